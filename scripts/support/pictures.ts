/**
 * Synthetic pictures for the repository tests and the recovery end-to-end script: smooth, varied,
 * seeded images (random low-frequency waves plus a few flat shapes), and what a platform does to a
 * published image (strip all metadata, resize, re-encode at JPEG q75).
 */
import sharp from 'sharp';

/** A seeded picture, JPEG q92 (`w`×`h`). */
export async function picture(seed: number, w = 480, h = 360): Promise<Buffer> {
  let s = (seed * 2654435761) >>> 0;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const waves = Array.from({ length: 6 }, () => ({
    fx: rnd() * 6,
    fy: rnd() * 6,
    ph: rnd() * 6.28,
    a: 20 + rnd() * 40,
    c: Math.floor(rnd() * 3),
  }));
  const rects = Array.from({ length: 3 }, () => ({ x: rnd() * w, y: rnd() * h, w: 40 + rnd() * 150, h: 40 + rnd() * 150, v: rnd() * 255 }));
  const px = Buffer.alloc(w * h * 3);
  // sin(X + Y) = sin X cos Y + cos X sin Y: each wave's terms are tabulated per column and per row.
  const tab = waves.map((wv) => ({
    sx: Float64Array.from({ length: w }, (_, x) => Math.sin(((wv.fx * x) / w) * 6.28)),
    cx: Float64Array.from({ length: w }, (_, x) => Math.cos(((wv.fx * x) / w) * 6.28)),
    sy: Float64Array.from({ length: h }, (_, y) => Math.sin(((wv.fy * y) / h) * 6.28 + wv.ph)),
    cy: Float64Array.from({ length: h }, (_, y) => Math.cos(((wv.fy * y) / h) * 6.28 + wv.ph)),
  }));
  const rgb = new Float64Array(3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      rgb[0] = 128;
      rgb[1] = 128;
      rgb[2] = 128;
      for (let k = 0; k < waves.length; k++) {
        const tb = tab[k]!;
        rgb[waves[k]!.c]! += waves[k]!.a * (tb.sx[x]! * tb.cy[y]! + tb.cx[x]! * tb.sy[y]!);
      }
      for (const r of rects) {
        if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) {
          rgb[0] = r.v;
          rgb[1] = 255 - r.v;
        }
      }
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) px[o + c] = Math.max(0, Math.min(255, Math.round(rgb[c]!)));
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** What a platform does: no metadata kept (sharp drops it by default), `scale`× resize, JPEG q75. */
export async function platformCopy(input: string | Uint8Array, scale = 0.5): Promise<Buffer> {
  const img = sharp(input);
  const { width } = await img.metadata();
  return img
    .resize({ width: Math.max(1, Math.round((width ?? 2) * scale)) })
    .jpeg({ quality: 75 })
    .toBuffer();
}
