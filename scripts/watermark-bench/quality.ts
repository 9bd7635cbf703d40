/** PSNR over all colour samples and SSIM on BT.601 luma (Gaussian σ 1.5 window, the usual constants). */

/** PSNR in dB between two equally sized interleaved 8-bit buffers. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    e += d * d;
  }
  return e === 0 ? 99 : 10 * Math.log10((255 * 255) / (e / a.length));
}

function luma(px: Uint8Array, channels: number, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++)
    y[i] = channels >= 3 ? 0.299 * px[i * channels]! + 0.587 * px[i * channels + 1]! + 0.114 * px[i * channels + 2]! : px[i * channels]!;
  return y;
}

function blur(src: Float32Array, w: number, h: number): Float32Array {
  const k = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 * 1.5)));
  const s = k.reduce((a, b) => a + b, 0);
  const kn = k.map((v) => v / s);
  const tmp = new Float32Array(src.length),
    out = new Float32Array(src.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let i = -5; i <= 5; i++) v += kn[i + 5]! * src[y * w + Math.min(w - 1, Math.max(0, x + i))]!;
      tmp[y * w + x] = v;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let i = -5; i <= 5; i++) v += kn[i + 5]! * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
      out[y * w + x] = v;
    }
  return out;
}

/** Mean SSIM between two images' luma. */
export function ssim(a: Uint8Array, b: Uint8Array, w: number, h: number, channels: number): number {
  const n = w * h;
  const x = luma(a, channels, n),
    y = luma(b, channels, n);
  const xx = new Float32Array(n),
    yy = new Float32Array(n),
    xy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!;
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const mx = blur(x, w, h),
    my = blur(y, w, h),
    sxx = blur(xx, w, h),
    syy = blur(yy, w, h),
    sxy = blur(xy, w, h);
  const c1 = (0.01 * 255) ** 2,
    c2 = (0.03 * 255) ** 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const vx = sxx[i]! - mx[i]! ** 2,
      vy = syy[i]! - my[i]! ** 2,
      cxy = sxy[i]! - mx[i]! * my[i]!;
    total += ((2 * mx[i]! * my[i]! + c1) * (2 * cxy + c2)) / ((mx[i]! ** 2 + my[i]! ** 2 + c1) * (vx + vy + c2));
  }
  return total / n;
}
