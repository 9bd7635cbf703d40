/**
 * The GB 45438 §5.3 rhythm label: Morse "AI" (`.- ..`, short-long-short-short) with standard
 * timing — dot 1 unit, dash 3 units, gap inside a letter 1 unit, gap between letters 3 units,
 * gap between words 7 units — as a sine tone with short raised-cosine ramps, plus the loudness
 * arithmetic (ITU-R BS.1770 K-weighting) used to match it to a programme.
 */
import { InvalidArgumentError } from '../../errors.ts';

/** Morse code of "AI". */
export const MORSE_AI = '.- ..';
/** Default unit (dot) length in ms. */
export const DEFAULT_UNIT_MS = 100;
/** Default tone frequency in Hz. */
export const DEFAULT_TONE_HZ = 880;
/** Ramp length at each tone edge (ms), to avoid clicks. */
export const RAMP_MS = 5;
/** Silence between the cue and the programme: one Morse word gap (units). */
export const WORD_GAP_UNITS = 7;

/** One on/off stretch of the rhythm. */
export interface MorseSegment {
  readonly on: boolean;
  readonly units: number;
}

/**
 * The on/off segments of a Morse pattern (`.`, `-`, space between letters).
 * @throws {InvalidArgumentError} for other characters or an empty pattern.
 */
export function morseSegments(pattern: string = MORSE_AI): MorseSegment[] {
  if (!/^[.-]+( [.-]+)*$/.test(pattern))
    throw InvalidArgumentError.expected('a Morse pattern of "." and "-" with single spaces between letters', 'pattern', pattern);
  const out: MorseSegment[] = [];
  for (const [li, letter] of pattern.split(' ').entries()) {
    if (li > 0) out.push({ on: false, units: 3 });
    for (const [si, sym] of [...letter].entries()) {
      if (si > 0) out.push({ on: false, units: 1 });
      out.push({ on: true, units: sym === '.' ? 1 : 3 });
    }
  }
  return out;
}

/** Length of a pattern in units (11 for "AI"). */
export function morseUnits(pattern: string = MORSE_AI): number {
  return morseSegments(pattern).reduce((n, s) => n + s.units, 0);
}

/** Options of {@link synthesizeCue}. */
export interface CueSynthesis {
  readonly sampleRate: number;
  readonly channels: number;
  readonly unitMs?: number;
  readonly toneHz?: number;
  /** Peak amplitude of the tone, 0–1. */
  readonly amplitude: number;
  /** Silence before the cue, in units. */
  readonly leadUnits?: number;
  /** Silence after the cue, in units. */
  readonly tailUnits?: number;
  readonly pattern?: string;
}

/**
 * Synthesize the cue as interleaved 32-bit float PCM (little-endian when written with a
 * `Buffer`), `channels` identical channels.
 */
export function synthesizeCue(o: CueSynthesis): Float32Array {
  const unitMs = o.unitMs ?? DEFAULT_UNIT_MS,
    hz = o.toneHz ?? DEFAULT_TONE_HZ;
  const unit = Math.round((o.sampleRate * unitMs) / 1000);
  const ramp = Math.max(1, Math.round((o.sampleRate * RAMP_MS) / 1000));
  const segs = [{ on: false, units: o.leadUnits ?? 0 }, ...morseSegments(o.pattern), { on: false, units: o.tailUnits ?? 0 }];
  const frames = segs.reduce((n, s) => n + s.units * unit, 0);
  const out = new Float32Array(frames * o.channels);
  let at = 0;
  for (const s of segs) {
    const len = s.units * unit;
    if (s.on) {
      for (let i = 0; i < len; i++) {
        const edge = Math.min(i, len - 1 - i);
        const env = edge >= ramp ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / ramp);
        const v = o.amplitude * env * Math.sin((2 * Math.PI * hz * i) / o.sampleRate);
        for (let c = 0; c < o.channels; c++) out[(at + i) * o.channels + c] = v;
      }
    }
    at += len;
  }
  return out;
}

/** Power gain of the BS.1770 K-weighting filter (48 kHz coefficients) at `hz`, in dB. */
export function kWeightingGainDb(hz: number): number {
  const w = (2 * Math.PI * hz) / 48000;
  const resp = (b: number[], a: number[]) => {
    const re = (c: number[]) => c[0] + c[1] * Math.cos(w) + c[2] * Math.cos(2 * w);
    const im = (c: number[]) => -(c[1] * Math.sin(w) + c[2] * Math.sin(2 * w));
    return (re(b) ** 2 + im(b) ** 2) / (re(a) ** 2 + im(a) ** 2);
  };
  const shelf = resp([1.53512485958697, -2.69169618940638, 1.19839281085285], [1, -1.69065929318241, 0.73248077421585]);
  const highpass = resp([1, -2, 1], [1, -1.99004745483398, 0.99007225036621]);
  return 10 * Math.log10(shelf * highpass);
}

/** Loudness (LUFS) of a steady sine of peak `amplitude` in `channels` front channels. */
export function sineLoudness(amplitude: number, channels: number, hz = DEFAULT_TONE_HZ): number {
  return -0.691 + 10 * Math.log10((channels * amplitude * amplitude) / 2) + kWeightingGainDb(hz);
}

/** Peak amplitude of a sine whose steady loudness is `lufs`, clamped to −50…−1 dBFS. */
export function amplitudeForLoudness(lufs: number, channels: number, hz = DEFAULT_TONE_HZ): number {
  const a = Math.sqrt((2 * 10 ** ((lufs + 0.691 - kWeightingGainDb(hz)) / 10)) / Math.max(1, channels));
  return Math.min(10 ** (-1 / 20), Math.max(10 ** (-50 / 20), a));
}
