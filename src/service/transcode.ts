/**
 * Platform-side re-encoding for `propagate --transcode` (resize / recompress), recorded
 * as `c2pa.transcoded`. Images go through sharp; MP4/MOV/M4A and MP3 through ffmpeg.
 * The result carries no metadata: the label and manifest are written afterwards.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { InvalidArgumentError, MalformedInputError, said } from '../errors.ts';
import type { FormatHandler } from '../formats/types.ts';
import { FORMAT_HANDLERS } from '../formats/registry.ts';
import { hasEncoder, runTool } from '../media/ffmpeg.ts';
import type { MediaInput } from './input.ts';

/** What to do: longest image side in pixels and/or quality 1–100. */
export interface TranscodeOptions {
  maxSide?: number;
  quality?: number;
}

/**
 * Parse a `--transcode` spec like `max=1024,quality=80` (an empty spec recompresses at 80).
 * @throws {InvalidArgumentError} for unknown keys or values out of range.
 */
export function parseTranscodeSpec(spec: string): TranscodeOptions {
  const out: TranscodeOptions = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (k === 'max' && Number.isInteger(n) && n >= 16) out.maxSide = n;
    else if (k === 'quality' && Number.isInteger(n) && n >= 1 && n <= 100) out.quality = n;
    else throw InvalidArgumentError.expected('max=PIXELS (≥ 16) or quality=1..100', '--transcode', part);
  }
  return out;
}

/** A short description for the `c2pa.transcoded` action. */
export function describeTranscode(o: TranscodeOptions): string {
  return `re-encoded by the platform${o.maxSide ? `, longest side ≤ ${o.maxSide} px` : ''}, quality ${o.quality ?? 80}`;
}

/** A re-encoded input: bytes (images) or a temporary file (audio, video), removed by `cleanup`. */
export interface Transcoded {
  readonly input: MediaInput;
  cleanup(): Promise<void>;
}

/**
 * Re-encode `input` (a path or bytes) of the container `handler` detected. Audio and video are
 * handed to ffmpeg by path and come back as a temporary file, so they are never loaded whole.
 * @throws {InvalidArgumentError} for containers we do not transcode (lossless audio).
 * @throws {MalformedInputError} / {@link ExternalToolError} when decoding fails.
 */
export async function transcodeMedia(input: MediaInput, handler: FormatHandler, o: TranscodeOptions): Promise<Transcoded> {
  const quality = o.quality ?? 80;
  if (handler.mediaKind === 'image') {
    try {
      // A GIF keeps every frame (and has no EXIF orientation to apply).
      const gif = handler.id === 'gif';
      let img = gif ? sharp(input, { failOn: 'error', animated: true }) : sharp(input, { failOn: 'error' }).rotate();
      if (o.maxSide) img = img.resize({ width: o.maxSide, height: o.maxSide, fit: 'inside', withoutEnlargement: true });
      const enc =
        handler.id === 'jpeg'
          ? img.jpeg({ quality, mozjpeg: true })
          : handler.id === 'png'
            ? img.png({ compressionLevel: 9 })
            : gif
              ? img.gif()
              : img.webp({ quality });
      return { input: new Uint8Array(await enc.toBuffer()), cleanup: async () => undefined };
    } catch (err) {
      throw new MalformedInputError(
        handler.id,
        said('err.transcode.decode', 'cannot decode the image to transcode it: {reason}', { reason: (err as Error).message }),
        undefined,
        {
          cause: err,
        },
      );
    }
  }
  if (!handler.reencodable) {
    const names = FORMAT_HANDLERS.filter((h) => h.reencodable && h.mediaKind !== 'image')
      .map((h) => h.name)
      .join(' and ');
    throw new InvalidArgumentError(
      said('err.transcode.unsupported', '--transcode is supported for images, {names}, not {format}', { names, format: handler.id }),
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-transcode-'));
  const cleanup = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ext = handler.extensions[0]!;
    let source: string;
    if (typeof input === 'string') {
      source = input;
    } else {
      source = path.join(dir, `in.${ext}`);
      await writeFile(source, input);
    }
    const output = path.join(dir, `out.${ext}`);
    const crf = String(Math.round(51 - (quality / 100) * 33));
    const video = (await hasEncoder('libx264')) ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', crf] : ['-c:v', 'mpeg4', '-q:v', '5'];
    const scale = o.maxSide
      ? ['-vf', `scale='min(${o.maxSide},iw)':'min(${o.maxSide},ih)':force_original_aspect_ratio=decrease:force_divisible_by=2`]
      : [];
    // `file:` keeps a path that starts with "-" or names a protocol from being read as one.
    // Ogg holds Vorbis (or Opus), not MP3: a platform re-encodes it as Vorbis.
    const audio =
      handler.id === 'ogg'
        ? ['-c:a', 'libvorbis', '-q:a', String(Math.round((quality / 100) * 10))]
        : ['-c:a', 'libmp3lame', '-q:a', String(Math.round(9 - (quality / 100) * 9))];
    const args =
      handler.mediaKind === 'audio'
        ? ['-v', 'error', '-y', '-i', `file:${source}`, '-map_metadata', '-1', ...audio, output]
        : ['-v', 'error', '-y', '-i', `file:${source}`, '-map_metadata', '-1', ...scale, ...video, '-c:a', 'aac', '-b:a', '128k', output];
    await runTool('ffmpeg', args, { subject: 'transcode input' });
    return { input: output, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
