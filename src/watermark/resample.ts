/**
 * A windowed-sinc resampler (Blackman window, cutoff 7 kHz, ±1.5 ms support), used by the audio
 * embedder to analyse its PCM at the detector's 16 kHz, exactly as the detector will see it
 * (the marked band ends at 5 kHz, far below the cutoff, so any good resampler reads it alike).
 */
import { InvalidArgumentError } from '../errors.ts';

/** Kernel cutoff (Hz). */
const CUTOFF_HZ = 7000;
/** Kernel half-width (s). */
const HALF_WIDTH_S = 0.0015;
/** Kernel table steps per input sample. */
const TABLE_STEPS = 64;

/**
 * Resample `x` from `from` Hz to `to` Hz (either way; equal rates: a copy), band-limited to 7 kHz,
 * `length` output samples (default ⌊len · to / from⌋).
 * @throws {InvalidArgumentError} for non-positive rates.
 */
export function resample(x: Float32Array, from: number, to: number, length?: number): Float32Array {
  if (!(from > 0 && to > 0)) throw InvalidArgumentError.expected('positive sample rates', 'rate', `${from} → ${to}`);
  if (from === to)
    return length === undefined || length === x.length ? Float32Array.from(x) : Float32Array.from({ length }, (_, i) => x[i] ?? 0);
  const fc = Math.min(CUTOFF_HZ, 0.45 * Math.min(from, to)) / from; // cycles per input sample
  const half = Math.ceil(HALF_WIDTH_S * from);
  const table = new Float64Array(2 * half * TABLE_STEPS + 2);
  for (let i = 0; i < table.length; i++) {
    const tau = i / TABLE_STEPS - half;
    const s = tau === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * tau) / (Math.PI * tau);
    const w = Math.abs(tau) >= half ? 0 : 0.42 + 0.5 * Math.cos((Math.PI * tau) / half) + 0.08 * Math.cos((2 * Math.PI * tau) / half);
    table[i] = s * w;
  }
  const n = length ?? Math.floor((x.length * to) / from);
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const pos = (j * from) / to;
    const k0 = Math.max(0, Math.ceil(pos - half)),
      k1 = Math.min(x.length - 1, Math.floor(pos + half));
    let acc = 0;
    for (let k = k0; k <= k1; k++) {
      const t = (k - pos + half) * TABLE_STEPS;
      const i = Math.floor(t);
      acc += x[k]! * (table[i]! + (t - i) * (table[i + 1]! - table[i]!));
    }
    out[j] = acc;
  }
  return out;
}
