/**
 * Pixel ↔ canonical grid operations of the image watermark, on raw interleaved 8-bit
 * pixels (1–4 channels): luma, area averaging onto the grid (with per-cell variance for the
 * perceptual mask), the whitened residual the detector correlates, and the bilinear
 * upsampling that spreads a grid pattern smoothly over the pixels.
 */

/** Raw interleaved 8-bit pixels. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** Colour channels to modify/read: all but alpha (channels 2 and 4 carry alpha last). */
export function colourChannels(channels: number): number {
  return channels === 2 || channels === 4 ? channels - 1 : channels;
}

/** Grid cell index of each pixel column/row: the cell containing the pixel centre. */
function cellIndex(n: number, cells: number): Uint16Array {
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(cells - 1, Math.floor(((i + 0.5) * cells) / n));
  return out;
}

/**
 * Per-cell luma mean and standard deviation (BT.601 luma, area average over the pixels whose
 * centres fall in the cell). `step` > 1 samples every step-th row and column (the embedder's
 * mask and host model on large images; cells keep ≥ 4 samples).
 */
export function gridStats(img: RawImage, gw: number, gh: number, step = 1): { mean: Float32Array; std: Float32Array } {
  const { data, width, height, channels } = img;
  const cx = cellIndex(width, gw);
  const cy = cellIndex(height, gh);
  const sum = new Float64Array(gw * gh);
  const sq = new Float64Array(gw * gh);
  const count = new Uint32Array(gw * gh);
  const colour = colourChannels(channels);
  const stride = channels * step;
  for (let y = 0; y < height; y += step) {
    const rowCell = cy[y]! * gw;
    let p = y * width * channels;
    for (let x = 0; x < width; x += step, p += stride) {
      const v = colour >= 3 ? (19595 * data[p]! + 38470 * data[p + 1]! + 7471 * data[p + 2]!) >>> 16 : data[p]!;
      const c = rowCell + cx[x]!;
      sum[c] += v;
      sq[c] += v * v;
      count[c]!++;
    }
  }
  const mean = new Float32Array(gw * gh);
  const std = new Float32Array(gw * gh);
  for (let c = 0; c < mean.length; c++) {
    const n = count[c]!;
    if (!n) continue;
    const m = sum[c]! / n;
    mean[c] = m;
    std[c] = Math.sqrt(Math.max(0, sq[c]! / n - m * m));
  }
  fillEmpty(mean, count, gw, gh);
  return { mean, std };
}

/** Cells with no pixel (images smaller than the grid) take their nearest filled left/upper neighbour's value. */
function fillEmpty(values: Float32Array, count: Uint32Array, gw: number, gh: number): void {
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const c = y * gw + x;
      if (count[c]) continue;
      values[c] = x > 0 ? values[c - 1]! : y > 0 ? values[c - gw]! : 0;
    }
  }
}

/** 3×3 box mean of a grid field (edges replicated). */
export function boxMean3(field: Float32Array, gw: number, gh: number): Float32Array {
  const out = new Float32Array(field.length);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = Math.min(gh - 1, Math.max(0, y + dy));
        for (let dx = -1; dx <= 1; dx++) s += field[yy * gw + Math.min(gw - 1, Math.max(0, x + dx))]!;
      }
      out[y * gw + x] = s / 9;
    }
  }
  return out;
}

/**
 * Whitened residual of the grid luma: each cell minus the mean of its 4 neighbours (removes
 * the smooth host content), divided by the local RMS of that residual over 5×5 cells (so busy
 * regions do not dominate) and clipped to ±3 (robust to edges).
 */
export function whitenedResidual(grid: Float32Array, gw: number, gh: number): Float32Array {
  const res = new Float32Array(grid.length);
  const at = (x: number, y: number) => grid[Math.min(gh - 1, Math.max(0, y)) * gw + Math.min(gw - 1, Math.max(0, x))]!;
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const nb = at(x, y - 1) + at(x - 1, y) + at(x + 1, y) + at(x, y + 1);
      res[y * gw + x] = grid[y * gw + x]! - nb / 4;
    }
  }
  const sq = new Float32Array(res.length);
  for (let i = 0; i < res.length; i++) sq[i] = res[i]! * res[i]!;
  const local = boxMean3(boxMean3(sq, gw, gh), gw, gh);
  for (let i = 0; i < res.length; i++) {
    const v = res[i]! / (Math.sqrt(local[i]!) + 0.25);
    res[i] = v > 3 ? 3 : Math.max(v, -3);
  }
  return res;
}

/** Bilinear interpolation weights from grid cells (centres at (i+0.5)·n/cells) to pixel positions. */
function axisWeights(n: number, cells: number): { i0: Uint16Array; i1: Uint16Array; f: Float32Array } {
  const i0 = new Uint16Array(n),
    i1 = new Uint16Array(n),
    f = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const g = ((p + 0.5) * cells) / n - 0.5;
    const lo = Math.floor(g);
    i0[p] = Math.min(cells - 1, Math.max(0, lo));
    i1[p] = Math.min(cells - 1, Math.max(0, lo + 1));
    f[p] = g - lo;
  }
  return { i0, i1, f };
}

/**
 * Pixel RMS of the bilinearly upsampled `field` per unit grid RMS, measured on the image's own
 * size capped at `cap` pixels per side (the ratio settles once cells span a few pixels).
 */
export function upsampleGain(field: Float32Array, gw: number, gh: number, width: number, height: number, cap = 512): number {
  const w = Math.min(width, cap),
    h = Math.min(height, cap);
  let ef = 0;
  for (let i = 0; i < field.length; i++) ef += field[i]! * field[i]!;
  let eu = 0;
  forEachUpsampledRow(field, gw, gh, w, h, (_y, row) => {
    for (let x = 0; x < w; x++) eu += row[x]! * row[x]!;
  });
  return Math.sqrt(eu / (w * h)) / (Math.sqrt(ef / field.length) || 1);
}

/** Call `fn(y, row)` with each pixel row of the bilinearly upsampled field (the row buffer is reused). */
export function forEachUpsampledRow(
  field: Float32Array,
  gw: number,
  gh: number,
  width: number,
  height: number,
  fn: (y: number, row: Float32Array) => void,
): void {
  const ax = axisWeights(width, gw);
  const ay = axisWeights(height, gh);
  const rows = [new Float32Array(width), new Float32Array(width)];
  const have = [-1, -1];
  const out = new Float32Array(width);
  const rowOf = (gy: number): Float32Array => {
    const slot = have[0] === gy ? 0 : have[1] === gy ? 1 : -1;
    if (slot >= 0) return rows[slot]!;
    const use = have[0]! < have[1]! ? 0 : 1; // evict the older (upper) row: rows only move down
    const row = rows[use]!;
    const base = gy * gw;
    for (let x = 0; x < width; x++) {
      const a = field[base + ax.i0[x]!]!,
        b = field[base + ax.i1[x]!]!;
      row[x] = a + (b - a) * ax.f[x]!;
    }
    have[use] = gy;
    return row;
  };
  for (let y = 0; y < height; y++) {
    const fy = ay.f[y]!;
    const r0 = rowOf(ay.i0[y]!);
    const r1 = rowOf(ay.i1[y]!);
    for (let x = 0; x < width; x++) out[x] = r0[x]! + (r1[x]! - r0[x]!) * fy;
    fn(y, out);
  }
}

/** Add the bilinearly upsampled grid `field` to every colour channel of `img` in place (rounded, clamped to 0–255). */
export function addUpsampled(img: RawImage, field: Float32Array, gw: number, gh: number): void {
  const { width, height, channels } = img;
  const clamped = new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const colour = colourChannels(channels);
  forEachUpsampledRow(field, gw, gh, width, height, (y, row) => {
    let p = y * width * channels;
    if (colour === 3) {
      for (let x = 0; x < width; x++, p += channels) {
        const d = Math.round(row[x]!);
        if (d === 0) continue;
        clamped[p] = clamped[p]! + d;
        clamped[p + 1] = clamped[p + 1]! + d;
        clamped[p + 2] = clamped[p + 2]! + d;
      }
    } else {
      for (let x = 0; x < width; x++, p += channels) clamped[p] = clamped[p]! + Math.round(row[x]!);
    }
  });
}
