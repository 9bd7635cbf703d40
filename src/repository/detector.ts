/**
 * The watermark detector that recovery uses: the toolkit's own soft-binding watermark
 * (`src/watermark/`, images and WAV/FLAC/MP3/Ogg audio). Content without a detector (video) gives
 * null, so recovery falls back to the perceptual hash.
 */
import { UnsupportedFormatError } from '../errors.ts';
import type { RecoverOptions } from './recover.ts';

/** Load the detector (the watermark module is loaded on first use). */
export async function watermarkDetector(): Promise<RecoverOptions['detect'] | undefined> {
  const { detectWatermark } = await import('../watermark/detect.ts');
  return async (bytes) => {
    try {
      const d = await detectWatermark(bytes);
      return { found: d.found, alg: d.alg, ...(d.id ? { id: d.id } : {}), pValue: d.pValue };
    } catch (err) {
      if (err instanceof UnsupportedFormatError) return null;
      throw err;
    }
  };
}
