/**
 * Test-side measurement of rendered labels: everything is measured on the OUTPUT pixels (diff
 * against the input, luminance classes inside the changed region), never taken from the
 * renderer's own report.
 */
import sharp from 'sharp';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface Rgb8 {
  data: Buffer;
  width: number;
  height: number;
}

/** Decode to 8-bit sRGB RGB in displayed orientation. */
export async function decodeDisplayed(bytes: Uint8Array | string): Promise<Rgb8> {
  const { data, info } = await sharp(bytes).autoOrient().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const LIN = Array.from({ length: 256 }, (_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
/** WCAG relative luminance of pixel i. */
export function lum(img: Rgb8, i: number): number {
  return 0.2126 * LIN[img.data[i * 3]] + 0.7152 * LIN[img.data[i * 3 + 1]] + 0.0722 * LIN[img.data[i * 3 + 2]];
}
export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** Bounding box of pixels whose largest channel difference exceeds `threshold` (rows/cols with ≥ 2 such pixels). */
export function diffBox(a: Rgb8, b: Rgb8, threshold = 60): Box | null {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`size differs: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  const rows = new Uint32Array(a.height),
    cols = new Uint32Array(a.width);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 3;
      const d = Math.max(Math.abs(a.data[i] - b.data[i]), Math.abs(a.data[i + 1] - b.data[i + 1]), Math.abs(a.data[i + 2] - b.data[i + 2]));
      if (d > threshold) {
        rows[y]++;
        cols[x]++;
      }
    }
  }
  const y0 = rows.findIndex((n) => n >= 2),
    x0 = cols.findIndex((n) => n >= 2);
  if (y0 < 0 || x0 < 0) return null;
  let y1 = a.height - 1,
    x1 = a.width - 1;
  while (rows[y1] < 2) y1--;
  while (cols[x1] < 2) x1--;
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

function median(v: number[]): number {
  const s = [...v].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export interface LabelMeasure {
  /** Changed region (the plate, plus a few pixels of codec ringing). */
  plate: Box;
  /** Bounding box of the text ink inside the plate. */
  text: Box;
  plateLum: number;
  textLum: number;
  contrast: number;
  /** Binary ink mask over `text` (row-major, text.w × text.h). */
  mask: Uint8Array;
}

/**
 * Find the label in `output` by diffing against `input`, then split the changed region into
 * plate and text by luminance. Text pixels must lie between plate pixels on their row, which
 * keeps background showing at the plate's rounded corners out of the text class.
 */
export function measureLabel(input: Rgb8, output: Rgb8, threshold = 60): LabelMeasure | null {
  const plate = diffBox(input, output, threshold);
  if (!plate) return null;
  const W = output.width;
  const changed = (i: number) => Math.max(...[0, 1, 2].map((c) => Math.abs(input.data[i * 3 + c] - output.data[i * 3 + c]))) > threshold;
  const ls: number[] = [];
  for (let y = plate.y; y < plate.y + plate.h; y++)
    for (let x = plate.x; x < plate.x + plate.w; x++) if (changed(y * W + x)) ls.push(lum(output, y * W + x));
  // The plate is one of the two luminance classes; it is the class covering more changed pixels.
  const dark = ls.filter((l) => l < 0.5),
    light = ls.filter((l) => l >= 0.5);
  const plateLum = median(dark.length >= light.length ? dark : light);
  const isPlate = (l: number) => Math.abs(l - plateLum) < 0.2;
  const isText = (l: number) => Math.abs(l - plateLum) > 0.35;
  let tx0 = Infinity,
    ty0 = Infinity,
    tx1 = -Infinity,
    ty1 = -Infinity;
  const textLs: number[] = [];
  const inText: [number, number][] = [];
  for (let y = plate.y; y < plate.y + plate.h; y++) {
    let first = -1,
      last = -1;
    for (let x = plate.x; x < plate.x + plate.w; x++) {
      const i = y * W + x;
      if (isPlate(lum(output, i)) && changed(i)) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    for (let x = first + 1; x < last; x++) {
      const l = lum(output, y * W + x);
      if (!isText(l)) continue;
      inText.push([x, y]);
      textLs.push(l);
      tx0 = Math.min(tx0, x);
      tx1 = Math.max(tx1, x);
      ty0 = Math.min(ty0, y);
      ty1 = Math.max(ty1, y);
    }
  }
  if (!textLs.length) return null;
  const text = { x: tx0, y: ty0, w: tx1 - tx0 + 1, h: ty1 - ty0 + 1 };
  const mask = new Uint8Array(text.w * text.h);
  for (const [x, y] of inText) mask[(y - text.y) * text.w + (x - text.x)] = 1;
  const textLum = median(textLs);
  return { plate, text, plateLum, textLum, contrast: contrast(plateLum, textLum), mask };
}

/** Split the text mask into glyphs at empty columns; returns each glyph's column range. */
export function glyphColumns(m: LabelMeasure): [number, number][] {
  const { w, h } = m.text;
  const col = (x: number) => {
    let n = 0;
    for (let y = 0; y < h; y++) n += m.mask[y * w + x];
    return n;
  };
  const out: [number, number][] = [];
  let start = -1;
  for (let x = 0; x <= w; x++) {
    const ink = x < w && col(x) > 0;
    if (ink && start < 0) start = x;
    if (!ink && start >= 0) {
      out.push([start, x - 1]);
      start = -1;
    }
  }
  return out;
}

/** A glyph's mask resampled to n×n cells (cell = 1 when ≥ 30 % inked), over the full text height. */
export function glyphBitmap(m: LabelMeasure, [c0, c1]: [number, number], n = 12): Uint8Array {
  const { w, h } = m.text;
  const out = new Uint8Array(n * n);
  const gw = c1 - c0 + 1;
  for (let cy = 0; cy < n; cy++) {
    for (let cx = 0; cx < n; cx++) {
      const x0 = c0 + Math.floor((cx * gw) / n),
        x1 = c0 + Math.max(Math.floor(((cx + 1) * gw) / n), Math.floor((cx * gw) / n) + 1);
      const y0 = Math.floor((cy * h) / n),
        y1 = Math.max(Math.floor(((cy + 1) * h) / n), y0 + 1);
      let ink = 0,
        all = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < Math.min(x1, c1 + 1); x++) {
          ink += m.mask[y * w + x];
          all++;
        }
      out[cy * n + cx] = all && ink / all >= 0.3 ? 1 : 0;
    }
  }
  return out;
}

export function hamming(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] === b[i] ? 0 : 1;
  return d;
}

/** Photo-like busy background: random colour field at 1/12 size, upscaled, plus fine noise. */
export async function busyBackground(width: number, height: number, seed = 1): Promise<Buffer> {
  let s = seed >>> 0;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) >>> 24;
  const sw = Math.max(2, Math.round(width / 12)),
    sh = Math.max(2, Math.round(height / 12));
  const small = Buffer.alloc(sw * sh * 3);
  for (let i = 0; i < small.length; i++) small[i] = rnd();
  const big = await sharp(small, { raw: { width: sw, height: sh, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  for (let i = 0; i < big.length; i++) big[i] = Math.max(0, Math.min(255, big[i] + (rnd() % 41) - 20));
  return big;
}

/** Make an input image of `format` on `bg`. */
export async function makeImage(
  format: 'jpeg' | 'png' | 'webp',
  width: number,
  height: number,
  bg: 'white' | 'black' | 'busy',
): Promise<Buffer> {
  const base =
    bg === 'busy'
      ? sharp(await busyBackground(width, height), { raw: { width, height, channels: 3 } })
      : sharp({ create: { width, height, channels: 3, background: bg === 'white' ? '#ffffff' : '#000000' } });
  return format === 'jpeg'
    ? base.jpeg({ quality: 90 }).toBuffer()
    : format === 'png'
      ? base.png().toBuffer()
      : base.webp({ quality: 90 }).toBuffer();
}
