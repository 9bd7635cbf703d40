/**
 * The keyed spreading layout: which carrier cell (image grid cell or audio time-frequency
 * tile) carries which coded bit, and with which ±1 chip. Derived deterministically from a
 * key with SHA-256 seeding a small PRNG, so embedder and detector agree without sharing
 * anything but the key. The default key is public: anyone may detect, as for a label.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CODED_BITS } from './framing.ts';

/** The public default key of aigc-provenance watermarks. */
export const DEFAULT_WATERMARK_KEY = 'aigc-provenance/watermark/v1';

/** Cell → coded bit and chip assignment. */
export interface SpreadLayout {
  cells: number;
  /** ±1 per cell. */
  chips: Int8Array;
  /** Coded bit index per cell. */
  bitOf: Uint16Array;
  /** Cells per coded bit. */
  counts: Uint16Array;
}

/** sfc32: a small fast PRNG with a 128-bit state (Chris Doty-Humphrey's design). */
function sfc32(seed: Uint8Array): () => number {
  const dv = new DataView(seed.buffer, seed.byteOffset, 16);
  let a = dv.getUint32(0),
    b = dv.getUint32(4),
    c = dv.getUint32(8),
    d = dv.getUint32(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** `n` keyed pseudo-random numbers, uniform in [0, 1), for `domain` (e.g. the audio watermark's dithers). */
export function keyedUniform(key: string, domain: string, n: number): Float64Array {
  const rnd = keyedStream(key, domain);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd();
  return out;
}

/** An endless keyed stream of pseudo-random numbers, uniform in [0, 1), for `domain` (e.g. the audio watermark's noise floor). */
export function keyedStream(key: string, domain: string): () => number {
  const rnd = sfc32(sha256(utf8ToBytes(`${key}\u0000${domain}\u0000uniform`)));
  return () => rnd() / 4294967296;
}

const cache = new Map<string, SpreadLayout>();

/** The layout for `cells` carrier cells under `key` in `domain` ("image", "audio"); cached. */
export function spreadLayout(key: string, domain: string, cells: number): SpreadLayout {
  const ck = `${domain}\u0000${cells}\u0000${key}`;
  const hit = cache.get(ck);
  if (hit) return hit;
  const rnd = sfc32(sha256(utf8ToBytes(`${key}\u0000${domain}\u0000${cells}`)));
  const perm = new Uint32Array(cells);
  for (let i = 0; i < cells; i++) perm[i] = i;
  for (let i = cells - 1; i > 0; i--) {
    const j = rnd() % (i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const chips = new Int8Array(cells);
  const bitOf = new Uint16Array(cells);
  const counts = new Uint16Array(CODED_BITS);
  for (let k = 0; k < cells; k++) {
    const cell = perm[k]!;
    const bit = k % CODED_BITS;
    bitOf[cell] = bit;
    counts[bit]!++;
    chips[cell] = rnd() & 1 ? 1 : -1;
  }
  const layout = { cells, chips, bitOf, counts };
  if (cache.size > 64) cache.clear();
  cache.set(ck, layout);
  return layout;
}

/** Carrier value per cell for a coded frame: chip × (±1 of its coded bit), times `weight[cell]` when given. */
export function modulate(layout: SpreadLayout, codeword: ArrayLike<number>, weight?: ArrayLike<number>): Float32Array {
  const out = new Float32Array(layout.cells);
  for (let k = 0; k < layout.cells; k++) {
    out[k] = layout.chips[k]! * (codeword[layout.bitOf[k]!] ? 1 : -1) * (weight ? weight[k]! : 1);
  }
  return out;
}

/** Raw correlations per coded bit, Σ chip·r / √count (no noise normalization). */
export function correlate(layout: SpreadLayout, residual: ArrayLike<number>): Float64Array {
  const sums = new Float64Array(CODED_BITS);
  for (let k = 0; k < layout.cells; k++) sums[layout.bitOf[k]!] += layout.chips[k]! * residual[k]!;
  for (let j = 0; j < CODED_BITS; j++) sums[j] = sums[j]! / Math.sqrt(layout.counts[j]! || 1);
  return sums;
}

/** Decoy layouts used to calibrate the soft bits' noise level on the content itself. */
export const DECOY_LAYOUTS = 8;

/**
 * Soft bits from a whitened residual per cell: z_j = Σ chip·r / (σ·√count). σ is measured on
 * the same residual with {@link DECOY_LAYOUTS} unrelated keyed layouts (which no mark
 * correlates with), so each z_j is ≈ N(0,1) on unmarked content whatever the residual's
 * spatial correlation, and the mark does not inflate σ.
 */
export function demodulate(layout: SpreadLayout, residual: ArrayLike<number>): Float64Array {
  const soft = correlate(layout, residual);
  const sigma = noiseLevel(layout.cells, residual);
  for (let j = 0; j < CODED_BITS; j++) soft[j] = soft[j]! / sigma;
  return soft;
}

/** The soft bits' noise level on `residual`, measured with the decoy layouts. */
export function noiseLevel(cells: number, residual: ArrayLike<number>): number {
  let energy = 0;
  for (let d = 0; d < DECOY_LAYOUTS; d++) {
    const decoy = correlate(spreadLayout(`decoy-${d}`, 'calibration', cells), residual);
    for (let j = 0; j < CODED_BITS; j++) energy += decoy[j]! * decoy[j]!;
  }
  return Math.sqrt(energy / (DECOY_LAYOUTS * CODED_BITS)) || 1;
}
