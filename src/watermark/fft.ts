/**
 * An in-place iterative radix-2 complex FFT (twiddles and bit-reversal cached per size), used by
 * the audio watermark's short-time analysis and resynthesis. Sizes are powers of two up to 2^16.
 */
import { InvalidArgumentError } from '../errors.ts';

/** Largest transform size. */
export const MAX_FFT_SIZE = 1 << 16;

interface Plan {
  cos: Float64Array;
  sin: Float64Array;
  rev: Uint32Array;
}
const plans = new Map<number, Plan>();

function plan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  if (!(Number.isInteger(n) && n >= 2 && n <= MAX_FFT_SIZE && (n & (n - 1)) === 0)) {
    throw InvalidArgumentError.expected(`a power of two from 2 to ${MAX_FFT_SIZE}`, 'FFT size', n);
  }
  const cos = new Float64Array(n / 2),
    sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
    rev[i] = r;
  }
  p = { cos, sin, rev };
  plans.set(n, p);
  return p;
}

/**
 * Transform `re`/`im` (same power-of-two length) in place; `inverse` computes the unscaled
 * inverse (divide by n yourself).
 * @throws {InvalidArgumentError} for a length that is not a power of two from 2 to {@link MAX_FFT_SIZE}.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  const { cos, sin, rev } = plan(n);
  if (im.length !== n) throw InvalidArgumentError.expected(`an imaginary part of length ${n}`, 'im', im.length);
  for (let i = 0; i < n; i++) {
    const j = rev[i]!;
    if (j > i) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  const sgn = inverse ? -1 : 1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1,
      step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!,
          wi = sgn * sin[k * step]!;
        const a = start + k,
          b = a + half;
        const xr = re[b]! * wr - im[b]! * wi,
          xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}
