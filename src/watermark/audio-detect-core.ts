/**
 * The audio watermark detector on mono PCM (any rate; ffmpeg gives it 16 kHz): tiles are measured on
 * every slot grid shifted by half an analysis hop (2 × 12 sub-slot offsets) and every period phase
 * (120), which is the timing search; each hypothesis gives soft bits (repetitions of a bit summed,
 * decoy dithers measuring their spread); the strongest few are Viterbi-decoded and checked, and the
 * p-value is the union bound over all identifiers and all timing hypotheses.
 */
import { InvalidArgumentError } from '../errors.ts';
import {
  AUDIO_DECODE_CANDIDATES,
  AUDIO_HOP_SECONDS,
  AUDIO_PERIOD_SECONDS,
  AUDIO_SLOT_SECONDS,
  AUDIO_SLOTS,
  AUDIO_SUBHOP_PHASES,
  AUDIO_TIMING_HYPOTHESES,
} from './audio-constants.ts';
import { AUDIO_DECOYS, audioLayout, projection, softOf, type AudioLayout } from './audio-layout.ts';
import { analyseBands, SLOT_HOPS, tileGrid, type TileGrid } from './audio-tiles.ts';
import { DEFAULT_MAX_P_VALUE } from './image-constants.ts';
import { CODED_BITS, decodeFrame } from './framing.ts';
import { DEFAULT_WATERMARK_KEY } from './keyed-layout.ts';
import { codewordScore, log10PValueSubGaussian } from './stats.ts';
import type { WatermarkDetection } from './types.ts';

/** An audio detection: the generic fields plus where the mark's period starts. */
export interface AudioDetection extends WatermarkDetection {
  /** Start of the first period in the analysed audio (ms), for the best timing hypothesis. */
  offsetMs: number;
  /** Bit carriers (bit × period) read at that timing. */
  carriers: number;
  /** Length of the audio analysed (ms). */
  durationMs: number;
  /**
   * True when nothing was found in audio shorter than one period (11.52 s): too short to carry a
   * whole mark, so "not found" says nothing about whether the source was marked.
   */
  tooShort: boolean;
}

/** Options of {@link detectAudioPcm}. */
export interface AudioDetectOptions {
  key?: string;
  maxPValue?: number;
}

interface Hypothesis {
  grid: TileGrid;
  shift: number;
  offsetHops: number;
  phase: number;
  sync: number;
}

/** Per-bit sums of soft values over the periods of one timing hypothesis, with the dithers `dither`. */
function softSums(
  layout: AudioLayout,
  grid: TileGrid,
  phase: number,
  dithers: Float64Array[],
  sums: Float64Array[],
  counts: Uint16Array,
): void {
  for (const s of sums) s.fill(0);
  counts.fill(0);
  const tiles = new Int32Array(4);
  for (let start = -phase; start + 1 < grid.slots; start += AUDIO_SLOTS) {
    for (let bit = 0; bit < CODED_BITS; bit++) {
      const p = projection(layout, bit, start, grid.logE, grid.silent, grid.slots, tiles);
      if (Number.isNaN(p)) continue;
      counts[bit]!++;
      for (let d = 0; d < dithers.length; d++) sums[d]![bit] += softOf(p, dithers[d]![bit]!);
    }
  }
}

/**
 * Look for the audio watermark in mono PCM sampled at `rate` Hz.
 * @throws {InvalidArgumentError} for a non-positive rate.
 */
export function detectAudioPcm(mono: Float32Array, rate: number, options: AudioDetectOptions = {}): AudioDetection {
  if (!(rate > 0)) throw InvalidArgumentError.expected('a positive sample rate', 'rate', rate);
  const layout = audioLayout(options.key ?? DEFAULT_WATERMARK_KEY);
  const own = [layout.dither];
  const sums = [new Float64Array(CODED_BITS)];
  const counts = new Uint16Array(CODED_BITS);
  // Timing search: rank every hypothesis by the energy of its soft bits.
  const best: Hypothesis[] = [];
  for (let sub = 0; sub < AUDIO_SUBHOP_PHASES; sub++) {
    // Analysis phase: the audio from sample `shift` on, so frames fall between the unshifted ones.
    const shift = Math.round((sub * AUDIO_HOP_SECONDS * rate) / AUDIO_SUBHOP_PHASES);
    const bf = analyseBands(mono.subarray(shift), rate);
    for (let offsetHops = 0; offsetHops < SLOT_HOPS; offsetHops++) {
      const grid = tileGrid(bf, offsetHops);
      if (grid.slots < 2) continue;
      for (let phase = 0; phase < AUDIO_SLOTS; phase += 2) {
        for (const ph of [phase, phase + 1]) {
          softSums(layout, grid, ph, own, sums, counts);
          let sync = 0;
          for (let j = 0; j < CODED_BITS; j++) if (counts[j]) sync += sums[0]![j]! ** 2 / counts[j]!;
          if (best.length < AUDIO_DECODE_CANDIDATES || sync > best[best.length - 1]!.sync) {
            best.push({ grid, shift, offsetHops, phase: ph, sync });
            best.sort((a, b) => b.sync - a.sync);
            if (best.length > AUDIO_DECODE_CANDIDATES) best.pop();
          }
        }
      }
    }
  }
  const maxP = options.maxPValue ?? DEFAULT_MAX_P_VALUE;
  const durationMs = Math.round((mono.length / rate) * 1000);
  const short = mono.length / rate < AUDIO_PERIOD_SECONDS;
  let result: AudioDetection | undefined;
  const decoys = Array.from({ length: AUDIO_DECOYS }, (_, d) => layout.decoys.subarray(d * CODED_BITS, (d + 1) * CODED_BITS));
  const all = [layout.dither, ...decoys];
  const allSums = all.map(() => new Float64Array(CODED_BITS));
  for (const h of best) {
    softSums(layout, h.grid, h.phase, all, allSums, counts);
    let spread = 0,
      used = 0;
    const soft = new Float64Array(CODED_BITS);
    for (let j = 0; j < CODED_BITS; j++) {
      if (!counts[j]) continue;
      const norm = Math.sqrt(counts[j]!);
      soft[j] = allSums[0]![j]! / norm;
      for (let d = 1; d < all.length; d++) spread += (allSums[d]![j]! / norm) ** 2;
      used++;
    }
    // Decoys measure the soft bits' spread on this content; never scale them up (z stays sub-Gaussian).
    const sigma = used ? Math.max(1, Math.sqrt(spread / (used * AUDIO_DECOYS))) : 1;
    for (let j = 0; j < CODED_BITS; j++) soft[j] = soft[j]! / sigma;
    const frame = decodeFrame(soft);
    const { score, bitErrors, meanSoft } = codewordScore(soft, frame.codeword);
    const log10p = frame.valid ? log10PValueSubGaussian(score, AUDIO_TIMING_HYPOTHESES) : 0;
    const found = frame.valid && log10p <= Math.log10(maxP);
    const period = AUDIO_SLOTS * AUDIO_SLOT_SECONDS;
    const offsetMs =
      ((h.shift / rate + h.offsetHops * AUDIO_HOP_SECONDS + ((AUDIO_SLOTS - h.phase) % AUDIO_SLOTS) * AUDIO_SLOT_SECONDS) % period) * 1000;
    const r: AudioDetection = {
      found,
      ...(found ? { id: frame.id } : {}),
      pValue: 10 ** log10p,
      log10PValue: log10p,
      score,
      margin: meanSoft,
      bitErrors,
      codedBits: CODED_BITS,
      crcValid: frame.valid,
      offsetMs: Math.round(offsetMs * 10) / 10,
      carriers: counts.reduce((a, b) => a + b, 0),
      durationMs,
      tooShort: short && !found,
    };
    if (
      !result ||
      (r.found && !result.found) ||
      (r.found === result.found && r.log10PValue < result.log10PValue) ||
      (!r.found && !result.found && r.log10PValue === result.log10PValue && r.score > result.score)
    )
      result = r;
  }
  return (
    result ?? {
      found: false,
      pValue: 1,
      log10PValue: 0,
      score: 0,
      margin: 0,
      bitErrors: 0,
      codedBits: CODED_BITS,
      crcValid: false,
      offsetMs: 0,
      carriers: 0,
      durationMs,
      tooShort: short,
    }
  );
}
