/**
 * `detectWatermark(input)`: the one entry for issue #18's manifest repository and for
 * `verify`/`inspect`: finds the medium from the content and runs its detector.
 */
import { readFile } from 'node:fs/promises';
import { IoError, UnsupportedFormatError, said } from '../errors.ts';
import { detectHandler } from '../formats/registry.ts';
import { detectAudioWatermark } from './audio.ts';
import { WATERMARK_AUDIO_DETECT_FORMATS } from './audio-formats.ts';
import { detectImageWatermark, type DetectOptions } from './image.ts';
import { WATERMARK_ALGS, type WatermarkMedium } from './soft-binding.ts';
import type { WatermarkDetection } from './types.ts';

/** A detection with the medium and algorithm it was run for. */
export interface WatermarkReport extends WatermarkDetection {
  medium: WatermarkMedium;
  alg: string;
  /** Audio: where the best timing hypothesis puts the first period's start (ms). */
  offsetMs?: number;
  /** Audio: bit carriers (bit × period) read at that timing. */
  carriers?: number;
  /** Audio: length analysed (ms). */
  durationMs?: number;
  /** Audio: nothing found in less than one period (11.52 s) of audio, too short to carry a mark. */
  tooShort?: boolean;
}

/** The watermark medium of content starting with `head`, or undefined. */
export function mediumOf(head: Uint8Array): WatermarkMedium | undefined {
  let id: string;
  try {
    id = detectHandler(head).id;
  } catch {
    return undefined;
  }
  if (id === 'jpeg' || id === 'png' || id === 'webp') return 'image';
  if ((WATERMARK_AUDIO_DETECT_FORMATS as readonly string[]).includes(id)) return 'audio';
  return undefined;
}

/**
 * Look for an aigc-provenance watermark in a file (path) or bytes.
 * @throws {IoError} for an unreadable path.
 * @throws {UnsupportedFormatError} for content with no watermark detector (video, unknown).
 * @throws {MalformedInputError} {@link LimitExceededError} when the content cannot be decoded.
 * @throws {ExternalToolError} when ffmpeg (audio) is missing or fails.
 */
export async function detectWatermark(input: string | Uint8Array, options: DetectOptions = {}): Promise<WatermarkReport> {
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    try {
      bytes = new Uint8Array(await readFile(input));
    } catch (err) {
      throw new IoError(
        said('err.io.read', 'cannot read {path}: {why}', { path: input, why: (err as NodeJS.ErrnoException).code ?? String(err) }),
        input,
        {
          cause: err,
        },
      );
    }
  } else bytes = input;
  const medium = mediumOf(bytes.subarray(0, 64));
  if (medium === 'image') return { medium, alg: WATERMARK_ALGS.image, ...(await detectImageWatermark(bytes, options)) };
  if (medium === 'audio') return { medium, alg: WATERMARK_ALGS.audio, ...(await detectAudioWatermark(bytes, options)) };
  throw new UnsupportedFormatError(
    said('err.wm.detectFormats', 'watermark detection supports JPEG, PNG and WebP images and WAV, FLAC, MP3 and Ogg audio'),
  );
}
