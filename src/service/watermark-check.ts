/**
 * Watermark detection for `verify`/`inspect` on files without a manifest: a stripped copy
 * may still carry the identifier in its content. Never throws: problems become the finding's
 * `error`.
 */
import { ToolkitError } from '../errors.ts';
import type { WatermarkFinding } from '../verify/report/report.ts';
import { detectWatermark, mediumOf } from '../watermark/detect.ts';
import type { OpenedInput } from './input.ts';

/** Largest file read whole for detection (images; larger ones are skipped with an error). */
export const MAX_WATERMARK_INPUT_BYTES = 256 * 1024 * 1024;

/** Run the detector on the opened input when its medium has one; undefined otherwise. */
export async function watermarkFinding(opened: OpenedInput): Promise<WatermarkFinding | undefined> {
  const { src } = opened;
  try {
    const head = await src.read(0, Math.min(64, src.size));
    if (!mediumOf(head)) return undefined;
    if (src.size > MAX_WATERMARK_INPUT_BYTES) {
      return {
        found: false,
        error: { code: 'LIMIT_EXCEEDED', message: `file larger than ${MAX_WATERMARK_INPUT_BYTES} bytes: watermark not checked` },
      };
    }
    const d = await detectWatermark(await src.read(0, src.size));
    return {
      found: d.found,
      medium: d.medium,
      alg: d.alg,
      ...(d.id ? { id: d.id } : {}),
      pValue: d.pValue,
      log10PValue: d.log10PValue,
      margin: Math.round(d.margin * 1000) / 1000,
      bitErrors: d.bitErrors,
      ...(d.tooShort ? { tooShort: true } : {}),
      ...(d.durationMs !== undefined ? { durationMs: d.durationMs } : {}),
    };
  } catch (err) {
    if (err instanceof ToolkitError) return { found: false, error: { code: err.code, message: err.message } };
    return { found: false, error: { code: 'INTERNAL_ERROR', message: (err as Error).message } };
  }
}
