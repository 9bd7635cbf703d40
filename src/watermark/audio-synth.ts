/**
 * Short-time synthesis for the audio watermark embedder: tile gains applied to PCM, and keyed noise
 * shaped to given tile powers (the noise floor). Both work on sqrt-Hann frames of about 32 ms at
 * 50 % overlap (the windows' squares sum to one, so a filter of gain 1 leaves the signal unchanged
 * and independent noise frames keep their power), with per-tile values held constant in a slot's
 * middle and interpolated linearly across its guards, where the detector does not look.
 */
import { AUDIO_BANDS, AUDIO_GUARD, AUDIO_SLOT_SECONDS } from './audio-constants.ts';
import { binBands } from './audio-tiles.ts';
import { fft } from './fft.ts';

/** Value of a per-tile field (index slot * AUDIO_BANDS + band) at time `t` s in band `b`. */
export function tileFieldAt(field: Float64Array, slots: number, t: number, b: number): number {
  const x = t / AUDIO_SLOT_SECONDS;
  const m = Math.floor(x),
    frac = x - m;
  const at = (s: number) => (s >= 0 && s < slots ? field[s * AUDIO_BANDS + b]! : 0);
  if (frac < AUDIO_GUARD) {
    const w = (frac + AUDIO_GUARD) / (2 * AUDIO_GUARD);
    return (1 - w) * at(m - 1) + w * at(m);
  }
  if (frac > 1 - AUDIO_GUARD) {
    const w = (frac - 1 + AUDIO_GUARD) / (2 * AUDIO_GUARD);
    return (1 - w) * at(m) + w * at(m + 1);
  }
  return at(m);
}

/** The synthesis frame at `rate`: the largest power of two ≤ 32 ms, its sqrt-Hann window and the band of each bin. */
function frameOf(rate: number): { size: number; hop: number; win: Float64Array; band: Int8Array } {
  let size = 1;
  while (size * 2 <= 0.032 * rate) size *= 2;
  const win = new Float64Array(size);
  for (let n = 0; n < size; n++) win[n] = Math.sin((Math.PI * n) / size);
  return { size, hop: size / 2, win, band: binBands(size, rate) };
}

/**
 * The change tile log-gains `delta` (nepers of energy) make to each channel of `x` (at `rate`):
 * x·(e^{δ/2} − 1), band-limited to the marked band.
 */
export function gainChange(x: Float32Array[], rate: number, delta: Float64Array, slots: number): Float32Array[] {
  const { size, hop, win, band } = frameOf(rate);
  const n = x[0]!.length;
  const frames = Math.ceil(n / hop) + 1;
  const gain = new Float64Array(AUDIO_BANDS);
  const re = new Float64Array(size),
    im = new Float64Array(size);
  const out = x.map(() => new Float32Array(n));
  for (let f = 0; f < frames; f++) {
    const start = f * hop - hop;
    const t = (start + size / 2) / rate;
    let any = false;
    for (let b = 0; b < AUDIO_BANDS; b++) {
      const d = tileFieldAt(delta, slots, t, b);
      gain[b] = Math.exp(d / 2) - 1;
      any ||= d !== 0;
    }
    if (!any) continue;
    // Two channels ride in one complex transform (x₁ + i·x₂): a real, even gain filters both at once.
    for (let c = 0; c < x.length; c += 2) {
      const x1 = x[c]!,
        x2 = x[c + 1],
        y1 = out[c]!,
        y2 = out[c + 1];
      for (let i = 0; i < size; i++) {
        const s = start + i;
        const inside = s >= 0 && s < n;
        re[i] = inside ? x1[s]! * win[i]! : 0;
        im[i] = inside && x2 ? x2[s]! * win[i]! : 0;
      }
      fft(re, im);
      for (let k = 0; k < size; k++) {
        const b = band[k <= size / 2 ? k : size - k]!;
        const g = b < 0 ? 0 : gain[b]!;
        re[k] = re[k]! * g;
        im[k] = im[k]! * g;
      }
      fft(re, im, true);
      for (let i = 0; i < size; i++) {
        const s = start + i;
        if (s < 0 || s >= n) continue;
        y1[s] += (re[i]! * win[i]!) / size;
        if (y2) y2[s] += (im[i]! * win[i]!) / size;
      }
    }
  }
  return out;
}

/**
 * `n` samples at `rate` of noise drawn from `random` (uniform in [0, 1)) whose power in band b
 * around slot m is `level[m * AUDIO_BANDS + b]` (full scale = 1; 0: none): each frame draws a
 * complex Gaussian spectrum in the marked band, scaled to the tile's level, and is overlap-added
 * through the sqrt-Hann window.
 */
export function shapedNoise(random: () => number, rate: number, n: number, level: Float64Array, slots: number): Float32Array {
  const { size, hop, win, band } = frameOf(rate);
  const counts = new Float64Array(AUDIO_BANDS);
  for (let k = 0; k <= size / 2; k++) if (band[k]! >= 0) counts[band[k]!]!++;
  const amp = new Float64Array(level.length);
  for (let i = 0; i < level.length; i++) amp[i] = Math.sqrt(Math.max(0, level[i]!));
  const scale = new Float64Array(AUDIO_BANDS);
  const re = new Float64Array(size),
    im = new Float64Array(size);
  const out = new Float32Array(n);
  const frames = Math.ceil(n / hop) + 1;
  let spare = Number.NaN;
  const gauss = () => {
    if (!Number.isNaN(spare)) {
      const g = spare;
      spare = Number.NaN;
      return g;
    }
    const r = Math.sqrt(-2 * Math.log(1 - random())),
      a = 2 * Math.PI * random();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
  for (let f = 0; f < frames; f++) {
    const start = f * hop - hop;
    const t = (start + size / 2) / rate;
    let any = false;
    // Power of a real frame built from half a spectrum: (2/N²) Σ E|X_k|² over the band's bins.
    for (let b = 0; b < AUDIO_BANDS; b++) {
      const a = tileFieldAt(amp, slots, t, b);
      scale[b] = counts[b] ? (a * size) / Math.sqrt(2 * counts[b]!) / Math.SQRT2 : 0;
      any ||= a > 0;
    }
    if (!any) continue;
    re.fill(0);
    im.fill(0);
    for (let k = 1; k < size / 2; k++) {
      const b = band[k]!;
      if (b < 0 || scale[b] === 0) continue;
      re[k] = gauss() * scale[b]!;
      im[k] = gauss() * scale[b]!;
      re[size - k] = re[k]!;
      im[size - k] = -im[k]!;
    }
    fft(re, im, true);
    for (let i = 0; i < size; i++) {
      const s = start + i;
      if (s >= 0 && s < n) out[s] += (re[i]! * win[i]!) / size;
    }
  }
  return out;
}
