/**
 * The audio watermark embedder on raw PCM: measures the tiles of the mono mix, fills weak tiles
 * with a keyed noise floor (audio-floor.ts), moves each coded bit's projection onto its lattice
 * point (spread-transform dither modulation), spreading the change over the bit's tiles with
 * weights (E_t / E_mean)^−½ (capped per tile), applies the tile gains to every channel by
 * short-time Fourier resynthesis, and repeats measure → correct ({@link AUDIO_EMBED_ROUNDS} rounds)
 * since resynthesis realizes tile gains only approximately. The gains are scaled back so the
 * signal-to-watermark ratio of the whole watermark (floor included) stays at or above the target.
 */
import { InvalidArgumentError, said } from '../errors.ts';
import {
  AUDIO_BANDS,
  AUDIO_DETECT_RATE,
  AUDIO_EMBED_ROUNDS,
  AUDIO_FLOOR_SHARE,
  AUDIO_MAX_TILE_CHANGE,
  AUDIO_SLOT_SECONDS,
  AUDIO_SLOTS,
  AUDIO_WEIGHT_EXPONENT,
  DEFAULT_AUDIO_SNR,
  MIN_AUDIO_RATE,
} from './audio-constants.ts';
import { audioLayout, BLOCK_SIGNS, blockTiles, latticePoint, projection, softOf } from './audio-layout.ts';
import { floorLevels } from './audio-floor.ts';
import { gainChange, shapedNoise } from './audio-synth.ts';
import { analyseBands, tileGrid, type TileGrid } from './audio-tiles.ts';
import { resample } from './resample.ts';
import { CODED_BITS, encodeFrame } from './framing.ts';
import { DEFAULT_WATERMARK_KEY, keyedStream } from './keyed-layout.ts';

/** Raw PCM: one Float32Array per channel (full scale ±1), all the same length. */
export interface AudioPcm {
  channels: Float32Array[];
  rate: number;
}

/** Options of {@link embedAudioPcm}. */
export interface AudioEmbedOptions {
  key?: string;
  /** Lowest signal-to-watermark ratio in dB (default {@link DEFAULT_AUDIO_SNR}). */
  snr?: number;
}

/** What the embedder did. */
export interface AudioEmbedResult {
  /** The marked PCM (new arrays; the input is not modified). */
  pcm: AudioPcm;
  /** Signal-to-watermark ratio of the marked PCM, dB. */
  snr: number;
  /** Whole periods (repetitions of the frame) in the audio. */
  periods: number;
  /** Mean soft bit along the codeword measured on the marked PCM (√2 = every bit on its lattice point). */
  meanMargin: number;
  /** Bit carriers (bit × period) that could be marked, and those skipped as silent. */
  carriers: number;
  silentCarriers: number;
}

/** Mono mix of channels. */
function mix(channels: Float32Array[]): Float32Array {
  const n = channels[0]!.length;
  const mono = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) mono[i] += ch[i]! / channels.length;
  return mono;
}

/** Mean power of channels (the same at any sample rate for band-limited content). */
function power(x: Float32Array[]): number {
  let e = 0;
  for (const c of x) for (let i = 0; i < c.length; i++) e += c[i]! * c[i]!;
  return e / Math.max(1, x[0]!.length);
}

/** Signal-to-difference ratio in dB over all channels. */
export function snrDb(a: AudioPcm, b: AudioPcm): number {
  let s = 0,
    e = 0;
  for (let c = 0; c < a.channels.length; c++) {
    const x = a.channels[c]!,
      y = b.channels[c]!;
    for (let i = 0; i < x.length; i++) {
      s += x[i]! * x[i]!;
      e += (y[i]! - x[i]!) ** 2;
    }
  }
  return e === 0 ? Infinity : 10 * Math.log10(s / e);
}

interface Carrier {
  bit: number;
  start: number;
  p0: number;
  target: number;
  tiles: Int32Array;
  signs: Float64Array;
  weights: Float64Array;
}

/**
 * Embed `id` (16 hex digits) into `pcm`.
 * @throws {InvalidArgumentError} for a malformed id, an SNR outside 20–60 dB, mismatched channels,
 *   a sample rate below {@link MIN_AUDIO_RATE} or audio shorter than one period.
 */
export function embedAudioPcm(pcm: AudioPcm, id: string, options: AudioEmbedOptions = {}): AudioEmbedResult {
  const snrTarget = options.snr ?? DEFAULT_AUDIO_SNR;
  if (!(snrTarget >= 20 && snrTarget <= 60)) throw InvalidArgumentError.expected('an SNR between 20 and 60 dB', 'snr', options.snr);
  if (!(pcm.rate >= MIN_AUDIO_RATE))
    throw new InvalidArgumentError(
      said('err.wm.lowRate', 'sample rate {rate} Hz is too low for the audio watermark (0.8–4 kHz band; at least {min} Hz)', {
        rate: pcm.rate,
        min: MIN_AUDIO_RATE,
      }),
    );
  if (!pcm.channels.length || pcm.channels.some((c) => c.length !== pcm.channels[0]!.length))
    throw InvalidArgumentError.expected('one or more channels of equal length', 'pcm', pcm.channels.length);
  const codeword = encodeFrame(id);
  const layout = audioLayout(options.key ?? DEFAULT_WATERMARK_KEY);
  // Everything is planned at the detector's rate; the change is band-limited, so it is computed
  // there and resampled back to the input's rate at the end.
  const rate = Math.min(pcm.rate, AUDIO_DETECT_RATE);
  const low = pcm.channels.map((c) => resample(c, pcm.rate, rate));
  const lowMono = mix(low);
  const measure = (change?: Float32Array[]) => {
    const m = Float32Array.from(lowMono);
    if (change) {
      const d = mix(change);
      for (let i = 0; i < m.length; i++) m[i] += d[i]!;
    }
    return tileGrid(analyseBands(m, rate, true));
  };
  const orig = measure();
  const periods = Math.floor(orig.slots / AUDIO_SLOTS);
  if (periods < 1) {
    throw new InvalidArgumentError(
      said('err.wm.shortAudio', 'audio of {seconds} s is too short for the audio watermark (one period is {period} s)', {
        seconds: (pcm.channels[0]!.length / pcm.rate).toFixed(1),
        period: (AUDIO_SLOTS * AUDIO_SLOT_SECONDS).toFixed(2),
      }),
    );
  }
  // The noise floor: keyed noise where the marked band is weak (see audio-floor.ts); gains then act on host + floor.
  const signal = power(pcm.channels);
  const budget = signal / 10 ** (snrTarget / 10);
  const noise = shapedNoise(
    keyedStream(options.key ?? DEFAULT_WATERMARK_KEY, `audio-floor\u0000${id}`),
    rate,
    lowMono.length,
    floorLevels(lowMono, rate, orig, snrTarget),
    orig.slots,
  );
  let noisePower = power([noise]);
  if (noisePower > AUDIO_FLOOR_SHARE * budget) {
    const k = Math.sqrt((AUDIO_FLOOR_SHARE * budget) / noisePower);
    for (let i = 0; i < noise.length; i++) noise[i] = noise[i]! * k;
    noisePower = AUDIO_FLOOR_SHARE * budget;
  }
  // From here on the gains act on host + floor (`low` is not needed unfloored any more: add in place).
  if (noisePower > 0) for (const c of low) for (let i = 0; i < c.length; i++) c[i] += noise[i]!;
  const start0 = noisePower > 0 ? measure([noise]) : orig;
  const carriers: Carrier[] = [];
  let silentCarriers = 0;
  const scratch = new Int32Array(4);
  for (let start = 0; start + 1 < start0.slots; start += AUDIO_SLOTS) {
    for (let bit = 0; bit < CODED_BITS; bit++) {
      const p0 = projection(layout, bit, start, start0.logE, start0.silent, start0.slots, scratch);
      if (Number.isNaN(p0)) {
        if (blocksInside(layout, bit, start, start0.slots)) silentCarriers++;
        continue;
      }
      carriers.push(carrierOf(layout, bit, start, start0, p0, latticePoint(p0, layout.dither[bit]!, codeword[bit]!)));
    }
  }
  const delta = new Float64Array(orig.slots * AUDIO_BANDS);
  const spread = (c: Carrier, dp: number) => {
    let den = 0;
    for (let t = 0; t < c.tiles.length; t++) den += c.signs[t]! * c.signs[t]! * c.weights[t]!;
    for (let t = 0; t < c.tiles.length; t++) {
      const i = c.tiles[t]!;
      delta[i] = Math.max(-AUDIO_MAX_TILE_CHANGE, Math.min(AUDIO_MAX_TILE_CHANGE, delta[i]! + (dp * c.signs[t]! * c.weights[t]!) / den));
    }
  };
  // The whole watermark (gain changes on host + floor, and the floor itself) against the budget.
  const synth = () => {
    const g = gainChange(low, rate, delta, orig.slots);
    if (noisePower > 0) for (const ch of g) for (let i = 0; i < ch.length; i++) ch[i] += noise[i]!;
    return g;
  };
  /** Scale the gains back until the SNR target holds (the floor is within its share already); the factor applied. */
  const fitBudget = (): [Float32Array[], number] => {
    let change = synth(),
      total = 1;
    for (let k = 0; k < 6; k++) {
      const now = power(change);
      if (now <= budget) break;
      // The gains' share of the budget (the floor is fixed); never more than scaling the whole by the overshoot.
      const alpha = Math.min(
        Math.sqrt(Math.max(0, budget - noisePower) / Math.max(1e-30, now - noisePower)) * 0.999 ** (k + 1),
        Math.sqrt(budget / now),
      );
      for (let i = 0; i < delta.length; i++) delta[i] = delta[i]! * alpha;
      total *= alpha;
      change = synth();
    }
    // Should the fit not have converged, scale the whole watermark: the SNR target is a promise.
    const over = power(change) / budget;
    if (over > 1) for (const ch of change) for (let i = 0; i < ch.length; i++) ch[i] = ch[i]! / Math.sqrt(over);
    return [change, total];
  };
  for (const c of carriers) spread(c, c.target - c.p0);
  let [change, alpha] = fitBudget();
  if (alpha < 1) for (const c of carriers) c.target = c.p0 + alpha * (c.target - c.p0);
  for (let round = 1; round < AUDIO_EMBED_ROUNDS; round++) {
    const now = measure(change);
    for (const c of carriers) {
      const p = projection(layout, c.bit, c.start, now.logE, now.silent, now.slots, scratch);
      if (!Number.isNaN(p)) spread(c, c.target - p);
    }
    [change, alpha] = fitBudget();
  }
  const fin = measure(change);
  let sum = 0,
    n = 0;
  for (const c of carriers) {
    const p = projection(layout, c.bit, c.start, fin.logE, fin.silent, fin.slots, scratch);
    if (Number.isNaN(p)) continue;
    sum += (codeword[c.bit] ? 1 : -1) * softOf(p, layout.dither[c.bit]!);
    n++;
  }
  const len = pcm.channels[0]!.length;
  const channels = pcm.channels.map((x, c) => {
    const d = resample(change[c]!, rate, pcm.rate, len);
    const y = new Float32Array(len);
    for (let i = 0; i < len; i++) y[i] = Math.max(-1, Math.min(1, x[i]! + d[i]!));
    return y;
  });
  const marked = { channels, rate: pcm.rate };
  return { pcm: marked, snr: snrDb(pcm, marked), periods, meanMargin: n ? sum / n : 0, carriers: carriers.length, silentCarriers };
}

function blocksInside(layout: ReturnType<typeof audioLayout>, bit: number, start: number, slots: number): boolean {
  const t = new Int32Array(4);
  for (const k of layout.blocksOf[bit]!) if (!blockTiles(k, start, slots, t)) return false;
  return true;
}

/**
 * A carrier's tiles with their projection weights and spreading weights (E_t / E_mean)^−γ: a loud
 * tile's change costs more power, a weak one's is cheaper but more fragile ({@link AUDIO_WEIGHT_EXPONENT}).
 */
function carrierOf(
  layout: ReturnType<typeof audioLayout>,
  bit: number,
  start: number,
  grid: TileGrid,
  p0: number,
  target: number,
): Carrier {
  const blocks = layout.blocksOf[bit]!;
  const tiles = new Int32Array(blocks.length * 4),
    signs = new Float64Array(blocks.length * 4),
    weights = new Float64Array(blocks.length * 4);
  const t4 = new Int32Array(4);
  const norm = 2 * Math.sqrt(blocks.length);
  blocks.forEach((k, j) => {
    blockTiles(k, start, grid.slots, t4);
    for (let t = 0; t < 4; t++) {
      tiles[4 * j + t] = t4[t]!;
      signs[4 * j + t] = (layout.spread.chips[k]! * BLOCK_SIGNS[t]!) / norm;
    }
  });
  let mean = 0;
  for (let t = 0; t < tiles.length; t++) mean += grid.logE[tiles[t]!]! / tiles.length;
  for (let t = 0; t < tiles.length; t++) weights[t] = Math.exp(-AUDIO_WEIGHT_EXPONENT * (grid.logE[tiles[t]!]! - mean));
  return { bit, start, p0, target, tiles, signs, weights };
}
