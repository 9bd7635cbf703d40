/**
 * The watermark detector that recovery uses: the toolkit's own soft-binding watermark when the
 * watermark module is present in this build, otherwise none (recovery then uses the perceptual hash).
 */
import type { RecoverOptions } from './recover.ts';

/** Load the detector, or undefined when no watermark module is available. */
export async function watermarkDetector(): Promise<RecoverOptions['detect'] | undefined> {
  return undefined;
}
