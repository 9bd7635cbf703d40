/**
 * The watermark detector that recovery uses: the toolkit's own soft-binding watermark
 * (`src/watermark/`, images and WAV/FLAC/MP3/Ogg audio). Content without a detector (video) gives
 * null, so recovery falls back to the perceptual hash.
 */
import { ExternalToolError, MalformedInputError, UnsupportedFormatError } from '../errors.ts';
import type { RecoverOptions } from './recover.ts';

/**
 * Load the detector (the watermark module is loaded on first use). The detector gives null, so that
 * recovery falls back to the perceptual hash, for content it cannot read: an unsupported format,
 * malformed media, or media that ffmpeg fails to decode (damaged audio). Other errors propagate.
 */
export async function watermarkDetector(): Promise<RecoverOptions['detect'] | undefined> {
  const { detectWatermark } = await import('../watermark/detect.ts');
  return async (bytes) => {
    try {
      const d = await detectWatermark(bytes);
      return { found: d.found, alg: d.alg, ...(d.id ? { id: d.id } : {}), pValue: d.pValue };
    } catch (err) {
      if (err instanceof UnsupportedFormatError || err instanceof MalformedInputError || err instanceof ExternalToolError) return null;
      throw err;
    }
  };
}
