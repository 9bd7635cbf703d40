/**
 * Informed embedding on the grid: the embedder runs the detector's own front end on a model of
 * the marked grid (host + s·K∗P, K the 3×3 footprint of bilinear upsampling followed by area
 * averaging) and moves energy from coded bits with a wide margin to bits the host's texture
 * works against, then strengthens the whole mark (down to a PSNR floor) if margins stay thin.
 * This is where "strengthen only where the margin is thin" happens, at grid cost (128²).
 */
import { IMAGE_GRID } from './image-constants.ts';
import { whitenedResidual } from './image-grid.ts';
import { correlate, noiseLevel, type SpreadLayout } from './keyed-layout.ts';
import { CODED_BITS } from './framing.ts';

/** Footprint of bilinear upsampling then area averaging, per grid cell: centre, edge, corner. */
const K_CENTRE = 0.5625,
  K_EDGE = 0.09375,
  K_CORNER = 0.015625;
/** Re-weighting rounds. */
const ROUNDS = 5;
/** Mean soft-bit margin (σ units, unattacked) the embedder aims for before using the PSNR allowance. */
export const TARGET_MARGIN = 2.6;

function footprint(p: Float32Array, g: number): Float32Array {
  const out = new Float32Array(p.length);
  const at = (x: number, y: number) => p[Math.min(g - 1, Math.max(0, y)) * g + Math.min(g - 1, Math.max(0, x))]!;
  for (let y = 0; y < g; y++) {
    for (let x = 0; x < g; x++) {
      out[y * g + x] =
        K_CENTRE * at(x, y) +
        K_EDGE * (at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1)) +
        K_CORNER * (at(x - 1, y - 1) + at(x + 1, y - 1) + at(x - 1, y + 1) + at(x + 1, y + 1));
    }
  }
  return out;
}

function rmsOf(a: Float32Array): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e += a[i]! * a[i]!;
  return Math.sqrt(e / a.length) || 1;
}

/** Inputs of {@link planPattern}. */
export interface PlanInput {
  hostMean: Float32Array;
  mask: Float32Array;
  layout: SpreadLayout;
  codeword: Uint8Array;
  /** Pixel RMS of the upsampled field per unit grid RMS. */
  upsampleGain: number;
  /** Pixel RMS of the mark at the preferred PSNR, and the most allowed (PSNR floor). */
  rms: number;
  maxRms: number;
}

/** The planned grid field (to upsample and add) and its predicted unattacked margins. */
export interface Plan {
  field: Float32Array;
  pixelRms: number;
  meanMargin: number;
  minMargin: number;
}

/** Plan the grid pattern: per-bit weights equalized over {@link ROUNDS}, then the strength. */
export function planPattern(input: PlanInput): Plan {
  const { hostMean, mask, layout, codeword, upsampleGain } = input;
  const g = IMAGE_GRID;
  const weights = new Float32Array(CODED_BITS).fill(1);
  const sign = new Float32Array(layout.cells);
  for (let k = 0; k < layout.cells; k++) sign[k] = layout.chips[k]! * (codeword[layout.bitOf[k]!] ? 1 : -1) * mask[k]!;
  const pattern = new Float32Array(layout.cells);
  const marked = new Float32Array(layout.cells);
  let pixelRms = input.rms;
  let margins = new Float64Array(CODED_BITS);
  // The detector's noise level is the host's (the mark does not correlate with the decoys): measure it once.
  const sigma = noiseLevel(layout.cells, whitenedResidual(hostMean, g, g));
  const evaluate = (): void => {
    for (let k = 0; k < layout.cells; k++) pattern[k] = sign[k]! * weights[layout.bitOf[k]!]!;
    const s = pixelRms / (upsampleGain * rmsOf(pattern));
    for (let k = 0; k < layout.cells; k++) pattern[k] = pattern[k]! * s;
    const seen = footprint(pattern, g);
    for (let k = 0; k < layout.cells; k++) marked[k] = hostMean[k]! + seen[k]!;
    const soft = correlate(layout, whitenedResidual(marked, g, g));
    margins = soft.map((v, j) => (codeword[j] ? v : -v) / sigma);
  };
  for (let round = 0; round < ROUNDS; round++) {
    evaluate();
    const mean = margins.reduce((a, b) => a + b, 0) / CODED_BITS;
    for (let j = 0; j < CODED_BITS; j++) {
      const r = Math.sqrt(mean / Math.max(margins[j]!, 0.2 * mean));
      weights[j] = weights[j]! * Math.min(1.6, Math.max(0.7, r));
    }
  }
  evaluate();
  let mean = margins.reduce((a, b) => a + b, 0) / CODED_BITS;
  if (mean < TARGET_MARGIN && input.maxRms > pixelRms) {
    pixelRms = Math.min(input.maxRms, pixelRms * (TARGET_MARGIN / Math.max(mean, 0.1)));
    evaluate();
    mean = margins.reduce((a, b) => a + b, 0) / CODED_BITS;
  }
  return { field: pattern, pixelRms, meanMargin: mean, minMargin: Math.min(...margins) };
}
