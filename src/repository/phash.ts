/**
 * A 64-bit perceptual hash of an image (the DCT "pHash" of the literature): luma, area-downscaled to
 * 32×32, a 2-D DCT-II, the 8×8 lowest frequencies without the DC term (63 coefficients plus the first
 * of row 1 as the 64th), each bit set when its coefficient is above their median. Re-encoding,
 * resizing and mild colour changes move few bits; different images differ in about half.
 * Used to find a stripped file's manifest when no watermark is found, and to catch a watermark
 * transplanted onto other content.
 */
import { InvalidArgumentError } from '../errors.ts';

/** Side of the downscaled square. */
const N = 32;
/** Side of the low-frequency block kept. */
const K = 8;

const COS = (() => {
  const t = new Float64Array(K * N);
  for (let u = 0; u < K; u++) for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return t;
})();

/** pHash of 32×32 luma samples (row-major). */
export function phashOfLuma(luma: Float64Array | Uint8Array): bigint {
  if (luma.length !== N * N) throw InvalidArgumentError.expected(`${N * N} luma samples`, 'luma', luma.length);
  const rows = new Float64Array(N * K);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += luma[y * N + x]! * COS[u * N + x]!;
      rows[y * K + u] = s;
    }
  }
  const coef: number[] = [];
  for (let v = 0; v < K; v++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * K + u]! * COS[v * N + y]!;
      coef.push(s);
    }
  }
  const ac = coef.slice(1);
  ac.push(coef[K]!);
  const sorted = [...ac].sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let h = 0n;
  for (let i = 0; i < 64; i++) if (ac[i]! > median) h |= 1n << BigInt(i);
  return h;
}

/** pHash of an encoded image (anything sharp decodes), computed through sharp. */
export async function phashOfImage(bytes: Uint8Array): Promise<bigint> {
  const { default: sharp } = await import('sharp');
  const { data } = await sharp(bytes, { failOn: 'none' })
    .rotate()
    .greyscale()
    .resize(N, N, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return phashOfLuma(new Uint8Array(data.buffer, data.byteOffset, N * N));
}

function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two 64-bit hashes (signed or unsigned: the low 64 bits are compared). */
export function hammingDistance(a: bigint, b: bigint): number {
  const x = BigInt.asUintN(64, a ^ b);
  return popcount32(Number(x >> 32n)) + popcount32(Number(x & 0xffffffffn));
}

/** The four 16-bit bands of a hash (two hashes within distance 7 have a band differing in at most one bit). */
export function phashBands16(h: bigint): number[] {
  return Array.from({ length: 4 }, (_, i) => Number((h >> BigInt(i * 16)) & 0xffffn));
}

/** A 64-bit hash as a signed integer for SQLite (which stores 64-bit signed integers). */
export function toSigned64(h: bigint): bigint {
  return BigInt.asIntN(64, h);
}
