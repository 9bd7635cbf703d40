/**
 * Detection statistics. Under "no watermark" each soft bit is approximately N(0, 1), so the
 * correlation S = Σ c_j z_j / √n of the soft bits with any fixed codeword c is N(0, 1). The
 * decoder searches all 2^64 codewords of the current version, so the honest p-value of a
 * detection is the union bound  p ≤ H · 2^64 · Q(S), H the number of hypotheses tried.
 */
import { ID_BITS } from './framing.ts';

/** ln Q(x) for the standard normal tail Q(x) = P(N(0,1) > x); accurate in the far tail (relative error < 1e-6). */
export function logNormalTail(x: number): number {
  // Q(x) = erfc(x/√2)/2, erfc via Chebyshev fit with fractional error < 1.2e-7 everywhere.
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const lnErfc =
    Math.log(t) -
    z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  if (x >= 0) return lnErfc - Math.LN2;
  return Math.log1p(-Math.exp(lnErfc) / 2);
}

/** log10 of the union-bound p-value for correlation `score` over `hypotheses` tried. */
export function log10PValue(score: number, hypotheses = 1): number {
  const ln = Math.log(hypotheses) + ID_BITS * Math.LN2 + logNormalTail(score);
  return Math.min(0, ln / Math.LN10);
}

/**
 * log10 of the union-bound p-value for a score whose terms are sub-Gaussian with variance proxy 1
 * (the audio detector's bounded soft bits): P(S ≥ s) ≤ exp(−s²/2) by the Chernoff bound, times
 * 2^64 identifiers and `hypotheses` timing hypotheses.
 */
export function log10PValueSubGaussian(score: number, hypotheses = 1): number {
  const ln = Math.log(hypotheses) + ID_BITS * Math.LN2 - Math.max(0, score) ** 2 / 2;
  return Math.min(0, ln / Math.LN10);
}

/** The correlation score needed for a p-value of at most `pMax` (bisection on {@link log10PValue}). */
export function scoreThreshold(pMax: number, hypotheses = 1): number {
  let lo = 0;
  let hi = 60;
  const target = Math.log10(pMax);
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (log10PValue(mid, hypotheses) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Correlation of soft bits with a 0/1 codeword, normalized to N(0,1) under no mark, and the disagreeing hard bits. */
export function codewordScore(
  soft: ArrayLike<number>,
  codeword: ArrayLike<number>,
): { score: number; bitErrors: number; meanSoft: number } {
  let sum = 0;
  let errors = 0;
  for (let i = 0; i < codeword.length; i++) {
    const v = (codeword[i] ? 1 : -1) * soft[i]!;
    sum += v;
    if (v < 0) errors++;
  }
  return { score: sum / Math.sqrt(codeword.length), bitErrors: errors, meanSoft: sum / codeword.length };
}
