/**
 * The audio watermark on encoded WAV, FLAC and MP3: ffmpeg decodes to 32-bit float PCM, the
 * embedder marks it, and ffmpeg re-encodes it in the input's codec family (same sample rate,
 * channels, PCM/FLAC sample format, MP3 bit rate) keeping its tags; the detector reads mono PCM
 * resampled to 16 kHz from any audio ffmpeg decodes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, IoError, LimitExceededError, UnsupportedFormatError, said } from '../errors.ts';
import { detectHandler } from '../formats/registry.ts';
import { codecFamily } from '../labels/explicit/audio-cue.ts';
import { probe, probeDurationMs, runTool } from '../media/ffmpeg.ts';
import { AUDIO_DETECT_RATE, MAX_AUDIO_DETECT_SECONDS, MAX_AUDIO_EMBED_SECONDS } from './audio-constants.ts';
import { detectAudioPcm, type AudioDetectOptions, type AudioDetection } from './audio-detect-core.ts';
import { embedAudioPcm, type AudioEmbedOptions, type AudioPcm } from './audio-embed.ts';
import { WATERMARK_AUDIO_DETECT_FORMATS, WATERMARK_AUDIO_FORMATS } from './audio-formats.ts';
import { newWatermarkId } from './identifier.ts';
import { parseWatermarkId } from './framing.ts';

export { WATERMARK_AUDIO_DETECT_FORMATS, WATERMARK_AUDIO_FORMATS };

/** Options of {@link embedAudioWatermark}. */
export interface AudioFileEmbedOptions extends AudioEmbedOptions {
  /** The identifier (16 hex digits); default a fresh random one. */
  id?: string;
}

/** What {@link embedAudioWatermark} returns. */
export interface AudioFileEmbedResult {
  bytes: Uint8Array;
  id: string;
  format: (typeof WATERMARK_AUDIO_FORMATS)[number];
  sampleRate: number;
  channels: number;
  durationMs: number;
  /** Signal-to-watermark ratio of the marked PCM before re-encoding, dB. */
  snr: number;
  /** Whole periods of the frame in the audio, and the predicted mean bit margin (√2 is the most). */
  periods: number;
  meanMargin: number;
}

async function staged<T>(bytes: Uint8Array, ext: string, run: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-wm-audio-'));
  try {
    const file = path.join(dir, `input.${ext}`);
    try {
      await writeFile(file, bytes);
    } catch (err) {
      throw new IoError(said('err.wm.stage', 'cannot stage the audio in a temporary file'), file, { cause: err });
    }
    return await run(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function handlerId(bytes: Uint8Array): string {
  try {
    return detectHandler(bytes.subarray(0, 64)).id;
  } catch {
    return 'unknown';
  }
}

/** Split interleaved float32 little-endian PCM into channels. */
function deinterleave(buf: Buffer, channels: number): Float32Array[] {
  const frames = Math.floor(buf.length / (4 * channels));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + frames * channels * 4));
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let i = 0, k = 0; i < frames; i++) for (let c = 0; c < channels; c++) out[c]![i] = all[k++]!;
  return out;
}

function interleave(pcm: AudioPcm): Uint8Array {
  const c = pcm.channels.length,
    n = pcm.channels[0]!.length;
  const out = new Float32Array(n * c);
  for (let i = 0, k = 0; i < n; i++) for (let ch = 0; ch < c; ch++) out[k++] = pcm.channels[ch]![i]!;
  return new Uint8Array(out.buffer);
}

/**
 * Decode the first audio stream of `file` to float PCM at its own rate and channel count.
 * @throws {MalformedInputError} {@link ExternalToolError} {@link IoError} from ffmpeg.
 */
export async function decodeAudio(file: string, rate: number, channels: number): Promise<AudioPcm> {
  const { stdout } = await runTool(
    'ffmpeg',
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:a:0',
      '-ac',
      String(channels),
      '-ar',
      String(rate),
      '-f',
      'f32le',
      '-acodec',
      'pcm_f32le',
      'pipe:1',
    ],
    { subject: file },
  );
  return { channels: deinterleave(stdout, channels), rate };
}

/**
 * Embed a 64-bit identifier inaudibly in a WAV, FLAC or MP3 file and re-encode it in its codec
 * family. The input needs at least one period (11.52 s) of audio at ≥ 11.025 kHz.
 * @throws {InvalidArgumentError} for a malformed id or option, audio too short or too low a rate.
 * @throws {UnsupportedFormatError} for other containers, or a file without audio.
 * @throws {LimitExceededError} for audio longer than {@link MAX_AUDIO_EMBED_SECONDS}.
 * @throws {MalformedInputError} {@link ExternalToolError} {@link IoError} from ffmpeg.
 */
export async function embedAudioWatermark(input: Uint8Array, options: AudioFileEmbedOptions = {}): Promise<AudioFileEmbedResult> {
  if (!(input instanceof Uint8Array)) throw InvalidArgumentError.expected('a Uint8Array', 'input', input);
  const id = options.id ?? newWatermarkId();
  parseWatermarkId(id);
  const format = handlerId(input) as AudioFileEmbedResult['format'];
  if (!WATERMARK_AUDIO_FORMATS.includes(format))
    throw new UnsupportedFormatError(said('err.wm.audioFormats', 'the audio watermark writes WAV, FLAC and MP3'));
  return staged(input, format, async (file, dir) => {
    const p = await probe(file);
    const a = p.streams.find((s) => s.codec_type === 'audio');
    if (!a) throw new UnsupportedFormatError(said('err.wm.noAudio', 'the file has no audio stream'));
    const rate = Number(a.sample_rate),
      channels = a.channels ?? 0;
    if (!(rate > 0 && channels > 0))
      throw new UnsupportedFormatError(said('err.wm.noRate', 'audio stream without sample rate or channel count'));
    const durationMs = probeDurationMs(p);
    if (durationMs > MAX_AUDIO_EMBED_SECONDS * 1000)
      throw new LimitExceededError(
        'MAX_AUDIO_EMBED_SECONDS',
        said('err.wm.longAudio', 'audio longer than {max} s', { max: MAX_AUDIO_EMBED_SECONDS }),
      );
    const family = codecFamily(a, p);
    const pcm = await decodeAudio(file, rate, channels);
    const r = embedAudioPcm(pcm, id.toLowerCase(), options);
    const out = path.join(dir, `output.${format}`);
    await runTool(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-f',
        'f32le',
        '-ar',
        String(rate),
        '-ac',
        String(channels),
        '-i',
        'pipe:0',
        '-i',
        file,
        '-map',
        '0:a',
        '-map_metadata',
        '1',
        ...family.args,
        '-ar',
        String(rate),
        out,
      ],
      { stdin: interleave(r.pcm), subject: file },
    );
    const bytes = await readFile(out);
    return {
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      id: id.toLowerCase(),
      format,
      sampleRate: rate,
      channels,
      durationMs: (pcm.channels[0]!.length * 1000) / rate,
      snr: r.snr,
      periods: r.periods,
      meanMargin: r.meanMargin,
    };
  });
}

/**
 * Look for the audio watermark in an encoded audio file (WAV, FLAC, MP3, Ogg; any codec ffmpeg
 * decodes), reading at most {@link MAX_AUDIO_DETECT_SECONDS} of it, resampled to 16 kHz mono.
 * @throws {MalformedInputError} {@link ExternalToolError} {@link IoError} when it cannot be decoded.
 */
export async function detectAudioWatermark(input: Uint8Array, options: AudioDetectOptions = {}): Promise<AudioDetection> {
  if (!(input instanceof Uint8Array)) throw InvalidArgumentError.expected('a Uint8Array', 'input', input);
  return staged(input, 'bin', async (file) => {
    const { stdout } = await runTool(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-i',
        file,
        '-map',
        '0:a:0',
        '-t',
        String(MAX_AUDIO_DETECT_SECONDS),
        '-ac',
        '1',
        '-ar',
        String(AUDIO_DETECT_RATE),
        '-f',
        'f32le',
        '-acodec',
        'pcm_f32le',
        'pipe:1',
      ],
      { subject: 'the audio' },
    );
    return detectAudioPcm(deinterleave(stdout, 1)[0]!, AUDIO_DETECT_RATE, options);
  });
}
