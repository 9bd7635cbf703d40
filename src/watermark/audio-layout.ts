/**
 * Where the audio watermark's coded bits live, and how they are read: each period of
 * {@link AUDIO_SLOTS} slots × {@link AUDIO_BANDS} sub-bands is cut into 2 × 2 blocks of tiles;
 * the keyed layout gives every block a coded bit and a ±1 chip. A bit's value is carried by the
 * projection p = Σ chip · (L₀₀ − L₀₁ − L₁₀ + L₁₁) / (2√n) of its n blocks' tile log-energies
 * (a global gain, an equalizer and a slow fade all cancel in that second difference), quantized
 * by spread-transform dither modulation (Chen & Wornell): onto d + kΔ for a 0, d + Δ/2 + kΔ for
 * a 1, with a keyed dither d per bit.
 */
import { AUDIO_BANDS, AUDIO_QUANT_STEP, AUDIO_SLOTS } from './audio-constants.ts';
import { CODED_BITS } from './framing.ts';
import { keyedUniform, spreadLayout, type SpreadLayout } from './keyed-layout.ts';

/** Blocks per period. */
export const AUDIO_BLOCKS = (AUDIO_SLOTS / 2) * (AUDIO_BANDS / 2);
/** Decoy dither sets the detector uses to measure the soft bits' spread on the content itself. */
export const AUDIO_DECOYS = 8;

/** The keyed layout of one key. */
export interface AudioLayout {
  spread: SpreadLayout;
  /** Blocks of each coded bit (block = slotPair * AUDIO_BANDS/2 + bandPair). */
  blocksOf: Uint16Array[];
  /** Dither per coded bit, in [0, Δ). */
  dither: Float64Array;
  /** Decoy dithers, AUDIO_DECOYS × CODED_BITS. */
  decoys: Float64Array;
}

const cache = new Map<string, AudioLayout>();

/** The audio layout for `key` (cached). */
export function audioLayout(key: string): AudioLayout {
  const hit = cache.get(key);
  if (hit) return hit;
  const spread = spreadLayout(key, 'audio', AUDIO_BLOCKS);
  const lists: number[][] = Array.from({ length: CODED_BITS }, () => []);
  for (let k = 0; k < AUDIO_BLOCKS; k++) lists[spread.bitOf[k]!]!.push(k);
  const dither = keyedUniform(key, 'audio-dither', CODED_BITS).map((u) => u * AUDIO_QUANT_STEP);
  const decoys = keyedUniform(key, 'audio-decoys', AUDIO_DECOYS * CODED_BITS).map((u) => u * AUDIO_QUANT_STEP);
  const layout = { spread, blocksOf: lists.map((l) => Uint16Array.from(l)), dither, decoys };
  if (cache.size > 16) cache.clear();
  cache.set(key, layout);
  return layout;
}

/**
 * The four tiles of block `k` when the period starts at slot `periodStart` of a grid (tile index =
 * slot * AUDIO_BANDS + band), with their signs (chip × checkerboard), or undefined when a slot
 * falls outside [0, slots).
 */
export function blockTiles(k: number, periodStart: number, slots: number, out: Int32Array): boolean {
  const a = Math.floor(k / (AUDIO_BANDS / 2)),
    c = k % (AUDIO_BANDS / 2);
  const s = periodStart + 2 * a;
  if (s < 0 || s + 1 >= slots) return false;
  out[0] = s * AUDIO_BANDS + 2 * c; // +
  out[1] = s * AUDIO_BANDS + 2 * c + 1; // −
  out[2] = (s + 1) * AUDIO_BANDS + 2 * c; // −
  out[3] = (s + 1) * AUDIO_BANDS + 2 * c + 1; // +
  return true;
}

/** Checkerboard signs of a block's four tiles. */
export const BLOCK_SIGNS = [1, -1, -1, 1] as const;

/**
 * Projection of coded bit `bit` in the period starting at `periodStart`, or NaN when a block is
 * outside the grid or a tile is silent.
 */
export function projection(
  layout: AudioLayout,
  bit: number,
  periodStart: number,
  logE: Float64Array,
  silent: Uint8Array,
  slots: number,
  tiles: Int32Array,
): number {
  const blocks = layout.blocksOf[bit]!;
  let p = 0;
  for (let j = 0; j < blocks.length; j++) {
    const k = blocks[j]!;
    if (!blockTiles(k, periodStart, slots, tiles)) return Number.NaN;
    let v = 0;
    for (let t = 0; t < 4; t++) {
      if (silent[tiles[t]!]) return Number.NaN;
      v += BLOCK_SIGNS[t]! * logE[tiles[t]!]!;
    }
    p += layout.spread.chips[k]! * v;
  }
  return p / (2 * Math.sqrt(blocks.length));
}

/** Soft value of a projection against dither `d`: −√2·cos(2π(p − d)/Δ), +√2 on a 1's lattice, −√2 on a 0's. */
export function softOf(p: number, d: number): number {
  return -Math.SQRT2 * Math.cos((2 * Math.PI * (p - d)) / AUDIO_QUANT_STEP);
}

/** The lattice point of `bit` nearest to `p`. */
export function latticePoint(p: number, d: number, bit: number): number {
  const base = d + (bit ? AUDIO_QUANT_STEP / 2 : 0);
  return base + AUDIO_QUANT_STEP * Math.round((p - base) / AUDIO_QUANT_STEP);
}
