/**
 * The audio watermark's noise floor: where a tile of the marked band holds almost no energy (a bass
 * line or plucked notes with weak harmonics, a band the content leaves empty), its log-energy has
 * nothing to modulate, a gain change costs no power and carries nothing, and a codec drops what is
 * there first. The embedder therefore fills such tiles with keyed noise up to a floor that follows
 * the content's own short-time loudness, so the floor stays under the loud parts it rides on and
 * pure digital silence stays silent; the floor's tiles are then modulated like any other. The floor
 * spends at most {@link AUDIO_FLOOR_SHARE} of the watermark's power budget (the SNR is measured on
 * the whole watermark, floor included). The detector is unchanged: it reads tile energies whatever
 * their origin, so its analytic p-value bound, which holds for any content, still holds.
 */
import { AUDIO_BANDS, AUDIO_FLOOR_SHARE, AUDIO_FLOOR_SPAN_SLOTS, AUDIO_SLOT_SECONDS } from './audio-constants.ts';
import type { TileGrid } from './audio-tiles.ts';

/** Mean power of `mono` (at `rate`) in each slot of the tile grid (slot m covers [m, m + 1) slot lengths). */
export function slotPowers(mono: Float32Array, rate: number, slots: number): Float64Array {
  const out = new Float64Array(slots);
  for (let m = 0; m < slots; m++) {
    const a = Math.round(m * AUDIO_SLOT_SECONDS * rate),
      b = Math.min(mono.length, Math.round((m + 1) * AUDIO_SLOT_SECONDS * rate));
    let e = 0;
    for (let i = a; i < b; i++) e += mono[i]! * mono[i]!;
    out[m] = b > a ? e / (b - a) : 0;
  }
  return out;
}

/**
 * Noise power to add to each tile of `grid` (index slot * AUDIO_BANDS + band): the floor of slot m
 * is share · 10^(−snr/10) · P(m) / AUDIO_BANDS, P(m) the content's power averaged over the
 * {@link AUDIO_FLOOR_SPAN_SLOTS} slots centred on m, and a tile gets what its own energy lacks to
 * reach it (so the noise in a slot never exceeds the floor's total, and the floor's mean power is at
 * most `share` of the watermark budget).
 */
export function floorLevels(mono: Float32Array, rate: number, grid: TileGrid, snr: number, share = AUDIO_FLOOR_SHARE): Float64Array {
  const p = slotPowers(mono, rate, grid.slots);
  const half = (AUDIO_FLOOR_SPAN_SLOTS - 1) / 2;
  const level = new Float64Array(grid.slots * AUDIO_BANDS);
  const rel = (share * 10 ** (-snr / 10)) / AUDIO_BANDS;
  for (let m = 0; m < grid.slots; m++) {
    let sum = 0,
      n = 0;
    for (let k = Math.max(0, m - half); k <= Math.min(grid.slots - 1, m + half); k++) {
      sum += p[k]!;
      n++;
    }
    const floor = (rel * sum) / n;
    for (let b = 0; b < AUDIO_BANDS; b++) {
      const i = m * AUDIO_BANDS + b;
      const have = grid.silent[i] ? 0 : Math.exp(grid.logE[i]!);
      level[i] = Math.max(0, floor - have);
    }
  }
  return level;
}
