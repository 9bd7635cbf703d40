/**
 * Buffer variants of the ffmpeg-based renderers, for services that hold media in memory. ffmpeg
 * needs seekable files for MP4/M4A, so these stage the bytes in a private temporary directory
 * that is always removed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, IoError, said } from '../../errors.ts';
import { renderAudioCue, type AudioCueInfo, type AudioCueOptions } from './audio-cue.ts';
import { renderVideoLabel, type VideoLabelInfo, type VideoLabelOptions } from './video-overlay.ts';

async function staged<T>(
  input: Uint8Array,
  extension: string,
  run: (inPath: string, outPath: string) => Promise<T>,
): Promise<{ bytes: Uint8Array; result: T }> {
  if (!(input instanceof Uint8Array)) throw InvalidArgumentError.expected('a Uint8Array', 'input', input);
  const ext = extension.startsWith('.') ? extension.toLowerCase() : `.${extension.toLowerCase()}`;
  if (!/^\.[a-z0-9]{1,8}$/.test(ext))
    throw InvalidArgumentError.expected('a file extension such as "mp4" or ".mp3"', 'extension', extension);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-explicit-'));
  try {
    const inPath = path.join(dir, `input${ext}`),
      outPath = path.join(dir, `output${ext}`);
    try {
      await writeFile(inPath, input);
    } catch (err) {
      throw new IoError(said('err.lbl.cannotStageInputTemporary', 'cannot stage the input in a temporary file'), inPath, { cause: err });
    }
    const result = await run(inPath, outPath);
    const bytes = await readFile(outPath);
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), result };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * {@link renderVideoLabel} on bytes; `extension` names the container (`mp4`, `mov`, `mkv`, `webm`).
 * @throws see {@link renderVideoLabel}; {@link IoError} when staging fails.
 */
export async function renderVideoLabelBytes(
  input: Uint8Array,
  extension: string,
  options: VideoLabelOptions = {},
): Promise<{ bytes: Uint8Array; info: VideoLabelInfo }> {
  const { bytes, result } = await staged(input, extension, (i, o) => renderVideoLabel(i, o, options));
  return { bytes, info: result.info };
}

/**
 * {@link renderAudioCue} on bytes; `extension` names the format (`mp3`, `wav`, `flac`, `m4a`, ...).
 * @throws see {@link renderAudioCue}; {@link IoError} when staging fails.
 */
export async function renderAudioCueBytes(
  input: Uint8Array,
  extension: string,
  options: AudioCueOptions = {},
): Promise<{ bytes: Uint8Array; info: AudioCueInfo }> {
  const { bytes, result } = await staged(input, extension, (i, o) => renderAudioCue(i, o, options));
  return { bytes, info: result.info };
}
