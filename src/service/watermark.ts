/**
 * The invisible watermark step of `stamp --watermark`: embeds a 64-bit identifier in the
 * content before the labels and the manifest are written (so the hard binding covers the
 * marked pixels or samples), and describes it for the manifest.
 */
import { readFile } from 'node:fs/promises';
import { UnsupportedFormatError, said } from '../errors.ts';
import type { FormatHandler } from '../formats/types.ts';
import { WATERMARK_AUDIO_FORMATS } from '../watermark/audio-formats.ts';
import { embedImageWatermark } from '../watermark/image.ts';
import { newWatermarkId } from '../watermark/identifier.ts';
import { WATERMARK_ALGS, type WatermarkMedium } from '../watermark/soft-binding.ts';
import type { MediaInput } from './input.ts';

/** Options of the watermark step (`stamp({ watermark })`). */
export interface WatermarkStepOptions {
  /** The identifier (16 hex digits); default a fresh one from the CSPRNG. */
  id?: string;
  /** Preferred image PSNR in dB (default 42). */
  psnr?: number;
  /** Lowest audio signal-to-watermark ratio in dB (default 36). */
  snr?: number;
}

/** What the step embedded. */
export interface AppliedWatermark {
  medium: WatermarkMedium;
  alg: string;
  id: string;
  /** Audio duration in ms (the soft binding's timespan). */
  durationMs?: number;
  /** Image PSNR the embedder chose. */
  psnr?: number;
  /** Audio signal-to-watermark ratio of the marked audio, dB. */
  snr?: number;
}

/** Which watermark a container takes. */
export function watermarkMedium(handler: FormatHandler): WatermarkMedium | undefined {
  if (handler.id === 'jpeg' || handler.id === 'png' || handler.id === 'webp') return 'image';
  if ((WATERMARK_AUDIO_FORMATS as readonly string[]).includes(handler.id)) return 'audio';
  return undefined;
}

/**
 * Embed the watermark into `input`, whose container `handler` detected; returns the marked bytes.
 * @throws {UnsupportedFormatError} for containers without a watermark (video).
 * @throws {InvalidArgumentError} {@link MalformedInputError} {@link LimitExceededError} from the embedder.
 */
export async function applyWatermark(
  input: MediaInput,
  handler: FormatHandler,
  opts: WatermarkStepOptions = {},
): Promise<{ bytes: Uint8Array; info: AppliedWatermark }> {
  const medium = watermarkMedium(handler);
  if (!medium)
    throw new UnsupportedFormatError(
      said('err.wm.noFormat', 'no invisible watermark for {format} content (images: JPEG, PNG, WebP; audio: WAV, FLAC, MP3)', {
        format: handler.id,
      }),
    );
  const bytes = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input;
  const id = opts.id ?? newWatermarkId();
  if (medium === 'audio') {
    const { embedAudioWatermark } = await import('../watermark/audio.ts');
    const a = await embedAudioWatermark(bytes, { id, ...(opts.snr !== undefined ? { snr: opts.snr } : {}) });
    return {
      bytes: a.bytes,
      info: { medium, alg: WATERMARK_ALGS[medium], id: a.id, durationMs: Math.round(a.durationMs), snr: Math.round(a.snr * 100) / 100 },
    };
  }
  const r = await embedImageWatermark(bytes, { id, ...(opts.psnr !== undefined ? { psnr: opts.psnr } : {}) });
  return { bytes: r.bytes, info: { medium, alg: WATERMARK_ALGS[medium], id: r.id, psnr: r.psnr } };
}
