/**
 * The audio watermark's time-frequency tiles: a short-time analysis (Hann frames of 32 ms every
 * 8 ms, defined in seconds and hertz so it reads the same at any sample rate) gives each frame's
 * power in the 12 sub-bands of 0.8–4 kHz; a tile's energy is the mean over the frames whose
 * centres lie in the middle two thirds of its 96 ms slot (the rest is guard).
 */
import {
  AUDIO_BAND_HIGH_HZ,
  AUDIO_BAND_LOW_HZ,
  AUDIO_BANDS,
  AUDIO_FRAME_SECONDS,
  AUDIO_GUARD,
  AUDIO_HOP_SECONDS,
  AUDIO_SILENCE_POWER,
  AUDIO_SLOT_SECONDS,
} from './audio-constants.ts';
import { fft } from './fft.ts';

/** Analysis hops per slot (12). */
export const SLOT_HOPS = Math.round(AUDIO_SLOT_SECONDS / AUDIO_HOP_SECONDS);
/** Guard hops at each end of a slot (3): frames [GUARD_HOPS, SLOT_HOPS − GUARD_HOPS) of a slot are measured. */
export const GUARD_HOPS = Math.round(AUDIO_GUARD * SLOT_HOPS);

/** Sub-band edges in Hz (length {@link AUDIO_BANDS} + 1), geometric from 0.8 to 4 kHz. */
export const BAND_EDGES: readonly number[] = Array.from(
  { length: AUDIO_BANDS + 1 },
  (_, b) => AUDIO_BAND_LOW_HZ * (AUDIO_BAND_HIGH_HZ / AUDIO_BAND_LOW_HZ) ** (b / AUDIO_BANDS),
);

/** Frame-wise band powers of a mono signal. */
export interface BandFrames {
  /** Frames, one every {@link AUDIO_HOP_SECONDS}, frame i centred at i hops. */
  frames: number;
  /** power[i * AUDIO_BANDS + b]; NaN for frames that were not analysed. */
  power: Float64Array;
}

/** Smallest power of two ≥ n. */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/** Bin range [lo, hi) of each sub-band for an FFT of `size` at `rate` Hz. */
export function bandBins(size: number, rate: number): Int32Array {
  const out = new Int32Array(AUDIO_BANDS * 2);
  for (let b = 0; b < AUDIO_BANDS; b++) {
    out[2 * b] = Math.ceil((BAND_EDGES[b]! * size) / rate);
    out[2 * b + 1] = Math.min(size / 2, Math.ceil((BAND_EDGES[b + 1]! * size) / rate));
  }
  return out;
}

/**
 * Band powers of `mono` (at `rate` Hz) per analysis frame. With `measuredOnly`, only frames that
 * measure a tile of the grid starting at time 0 are analysed (the embedder's case).
 */
export function analyseBands(mono: Float32Array, rate: number, measuredOnly = false): BandFrames {
  const len = Math.max(2, Math.round(AUDIO_FRAME_SECONDS * rate));
  const size = nextPow2(len);
  const win = new Float64Array(len);
  let wsum = 0;
  for (let n = 0; n < len; n++) {
    win[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / len);
    wsum += win[n]!;
  }
  const norm = 2 / (wsum * wsum);
  const bins = bandBins(size, rate);
  const frames = Math.floor(mono.length / (AUDIO_HOP_SECONDS * rate)) + 1;
  const power = new Float64Array(frames * AUDIO_BANDS).fill(Number.NaN);
  const re = new Float64Array(size),
    im = new Float64Array(size);
  for (let i = 0; i < frames; i++) {
    const inSlot = i % SLOT_HOPS;
    if (measuredOnly && (inSlot < GUARD_HOPS || inSlot >= SLOT_HOPS - GUARD_HOPS)) continue;
    const start = Math.round(i * AUDIO_HOP_SECONDS * rate) - (len >> 1);
    re.fill(0);
    im.fill(0);
    for (let n = 0; n < len; n++) {
      const s = start + n;
      if (s >= 0 && s < mono.length) re[n] = mono[s]! * win[n]!;
    }
    fft(re, im);
    for (let b = 0; b < AUDIO_BANDS; b++) {
      let e = 0;
      for (let k = bins[2 * b]!; k < bins[2 * b + 1]!; k++) e += re[k]! * re[k]! + im[k]! * im[k]!;
      power[i * AUDIO_BANDS + b] = e * norm;
    }
  }
  return { frames, power };
}

/** Tile log-energies on a slot grid shifted by `offsetHops` analysis hops. */
export interface TileGrid {
  /** Whole slots measured. */
  slots: number;
  /** ln(energy) per tile, [slot * AUDIO_BANDS + band]. */
  logE: Float64Array;
  /** 1 where the tile is silent (carries nothing). */
  silent: Uint8Array;
}

/** The tiles of slot grid `offsetHops` (0 ≤ offsetHops < {@link SLOT_HOPS}) from frame band powers. */
export function tileGrid(bf: BandFrames, offsetHops = 0): TileGrid {
  const slots = Math.max(0, Math.floor((bf.frames - offsetHops - (SLOT_HOPS - GUARD_HOPS)) / SLOT_HOPS) + 1);
  const logE = new Float64Array(slots * AUDIO_BANDS);
  const silent = new Uint8Array(slots * AUDIO_BANDS);
  const count = SLOT_HOPS - 2 * GUARD_HOPS;
  for (let m = 0; m < slots; m++) {
    const first = offsetHops + m * SLOT_HOPS + GUARD_HOPS;
    for (let b = 0; b < AUDIO_BANDS; b++) {
      let e = 0;
      for (let i = first; i < first + count; i++) e += bf.power[i * AUDIO_BANDS + b]!;
      e /= count;
      logE[m * AUDIO_BANDS + b] = Math.log(e + AUDIO_SILENCE_POWER * 1e-3);
      if (!(e >= AUDIO_SILENCE_POWER)) silent[m * AUDIO_BANDS + b] = 1;
    }
  }
  return { slots, logE, silent };
}

/** Sub-band of each FFT bin of `size` at `rate` (−1 outside the marked band). */
export function binBands(size: number, rate: number): Int8Array {
  const out = new Int8Array(size / 2 + 1).fill(-1);
  const bins = bandBins(size, rate);
  for (let b = 0; b < AUDIO_BANDS; b++) for (let k = bins[2 * b]!; k < bins[2 * b + 1]!; k++) out[k] = b;
  return out;
}
