/**
 * Bench inputs for the watermark: the public-domain/CC0 photographs in fixtures/external/photos
 * and generated images (seeded: gradients and shapes rendered from SVG, multi-octave value
 * noise "clouds", and both blended), all as PNG bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

/** One bench image. */
export interface BenchImage {
  name: string;
  set: 'photo' | 'generated';
  bytes: Uint8Array;
}

/** The photographs, as stored (PNG or JPEG). */
export function photos(dir: string): BenchImage[] {
  return readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .map((f) => ({ name: f, set: 'photo' as const, bytes: new Uint8Array(readFileSync(path.join(dir, f))) }));
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clouds(w: number, h: number, r: () => number): Uint8Array {
  const out = new Float32Array(w * h);
  for (let o = 0, cell = 128, amp = 1; o < 5; o++, cell /= 2, amp /= 2) {
    const gw = Math.ceil(w / cell) + 2,
      gh = Math.ceil(h / cell) + 2;
    const g = Float32Array.from({ length: gw * gh }, () => r());
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const fx = x / cell,
          fy = y / cell,
          x0 = Math.floor(fx),
          y0 = Math.floor(fy),
          tx = fx - x0,
          ty = fy - y0;
        const sx = tx * tx * (3 - 2 * tx),
          sy = ty * ty * (3 - 2 * ty);
        const a = g[y0 * gw + x0]!,
          b = g[y0 * gw + x0 + 1]!,
          c = g[(y0 + 1) * gw + x0]!,
          d = g[(y0 + 1) * gw + x0 + 1]!;
        out[y * w + x] += amp * (a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy);
      }
  }
  const px = new Uint8Array(w * h * 3);
  const tint = [r(), r(), r()];
  for (let i = 0; i < w * h; i++)
    for (let c = 0; c < 3; c++) px[i * 3 + c] = Math.max(0, Math.min(255, Math.round((out[i]! / 1.9) * 200 * (0.6 + 0.4 * tint[c]!) + 20)));
  return px;
}

function shapesSvg(w: number, h: number, r: () => number): string {
  const col = () => `rgb(${Math.floor(r() * 255)},${Math.floor(r() * 255)},${Math.floor(r() * 255)})`;
  let s =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="${col()}"/><stop offset="1" stop-color="${col()}"/></linearGradient>` +
    `<radialGradient id="r"><stop offset="0" stop-color="${col()}"/><stop offset="1" stop-color="${col()}" stop-opacity="0"/></radialGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>`;
  for (let i = 0; i < 14; i++) {
    const x = r() * w,
      y = r() * h,
      rad = 10 + (r() * w) / 5;
    s +=
      i % 3 === 0
        ? `<circle cx="${x}" cy="${y}" r="${rad}" fill="url(#r)"/>`
        : i % 3 === 1
          ? `<rect x="${x}" y="${y}" width="${rad * 1.5}" height="${rad}" rx="${rad / 5}" fill="${col()}" fill-opacity="${0.4 + r() * 0.6}"/>`
          : `<ellipse cx="${x}" cy="${y}" rx="${rad}" ry="${rad / 2}" fill="${col()}" fill-opacity="${0.3 + r() * 0.5}"/>`;
  }
  return `${s}</svg>`;
}

/** `count` generated images of `w × h`, kinds cycling shapes → clouds → blend. */
export async function generated(count: number, w = 768, h = 512): Promise<BenchImage[]> {
  const out: BenchImage[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng(1000 + i);
    const kind = i % 3;
    let img: Sharp;
    if (kind === 0) img = sharp(Buffer.from(shapesSvg(w, h, r)));
    else if (kind === 1) img = sharp(clouds(w, h, r), { raw: { width: w, height: h, channels: 3 } });
    else {
      const base = await sharp(clouds(w, h, r), { raw: { width: w, height: h, channels: 3 } })
        .png()
        .toBuffer();
      img = sharp(base).composite([{ input: Buffer.from(shapesSvg(w, h, r)), blend: 'over' }]);
    }
    const bytes = await img.removeAlpha().png().toBuffer();
    out.push({ name: `generated-${['shapes', 'clouds', 'blend'][kind]}-${i}`, set: 'generated', bytes: new Uint8Array(bytes) });
  }
  return out;
}
