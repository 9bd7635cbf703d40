/** Text rendering of a watermark finding (for the verify summary and the inspect tree). */
import type { WatermarkFinding } from '../verify/report/report.ts';

/** One line describing a finding, for the text renderers. */
export function watermarkLine(w: WatermarkFinding): string {
  if ('error' in w) return `watermark: not checked (${w.error.message})`;
  const p = w.log10PValue < -300 ? `1e${Math.round(w.log10PValue)}` : w.pValue.toExponential(1);
  return w.found
    ? `watermark: found id=${w.id} (${w.alg}; p ≤ ${p} that unmarked content looks like this; bit margin ${w.margin.toFixed(2)})`
    : `watermark: none found (bit margin ${w.margin.toFixed(2)})`;
}
