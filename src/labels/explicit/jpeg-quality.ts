/**
 * Estimate the IJG-style quality (1–100) a JPEG was saved with, from its quantisation tables, so
 * that re-encoding after drawing a label keeps quality close to the input's. Reads the marker
 * segments before the first scan through a {@link ByteSource}; never reads entropy-coded data.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';

/** JPEG Annex K luminance table (natural order). */
const STD_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
/** JPEG Annex K chrominance table (natural order). */
const STD_CHROMA = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  ...Array(38).fill(99),
];
/** Zig-zag position → natural (row-major) index. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** Quantisation tables by id (0–3), each 64 values in natural order. */
export type QuantTables = Map<number, number[]>;

/**
 * Read the DQT tables of a JPEG (segments before the first SOS).
 * @throws {MalformedInputError} for a non-JPEG or a truncated/garbled header.
 * @throws {LimitExceededError} past {@link MAX_SEGMENTS} segments.
 */
export async function readQuantTables(src: ByteSource): Promise<QuantTables> {
  const soi = await src.read(0, 2);
  if (soi[0] !== 0xff || soi[1] !== 0xd8) throw new MalformedInputError('jpeg', said('err.lbl.missingSOIMarker', 'missing SOI marker'), 0);
  const tables: QuantTables = new Map();
  let off = 2;
  for (let count = 0; ; count++) {
    if (count >= MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.lbl.moreJPEGSegmentsBefore', 'more than {MAX_SEGMENTS} JPEG segments before the first scan', { MAX_SEGMENTS }),
      );
    if (off + 4 > src.size)
      throw new MalformedInputError('jpeg', said('err.lbl.headerEndsBeforeFirst', 'header ends before the first scan'), off);
    const head = await src.read(off, 4);
    if (head[0] !== 0xff)
      throw new MalformedInputError(
        'jpeg',
        said('err.lbl.expectedMarkerFoundX', 'expected a marker, found 0x{v1}', { v1: head[0].toString(16) }),
        off,
      );
    const marker = head[1];
    if (marker === 0xff) {
      off += 1;
      continue;
    } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      off += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return tables;
    const len = (head[2] << 8) | head[3];
    if (len < 2)
      throw new MalformedInputError('jpeg', said('err.lbl.segmentLengthTooSmall', 'segment length {len} too small', { len }), off + 2);
    if (off + 2 + len > src.size)
      throw new MalformedInputError(
        'jpeg',
        said('err.lbl.segmentBytesRunsPast', 'segment of {len} bytes runs past the end', { len }),
        off + 2,
      );
    if (marker === 0xdb) parseDqt(await src.read(off + 4, len - 2), off + 4, tables);
    off += 2 + len;
  }
}

function parseDqt(body: Uint8Array, base: number, tables: QuantTables): void {
  let p = 0;
  while (p < body.length) {
    const pq = body[p] >> 4,
      tq = body[p] & 15;
    const size = pq ? 128 : 64;
    if (pq > 1 || tq > 3)
      throw new MalformedInputError(
        'jpeg',
        said('err.lbl.badDQTTableSpec', 'bad DQT table spec 0x{v1}', { v1: body[p].toString(16) }),
        base + p,
      );
    if (p + 1 + size > body.length)
      throw new MalformedInputError('jpeg', said('err.lbl.dqtTableTruncated', 'DQT table truncated'), base + p);
    const t = new Array<number>(64);
    for (let i = 0; i < 64; i++) t[ZIGZAG[i]] = pq ? (body[p + 1 + 2 * i] << 8) | body[p + 2 + 2 * i] : body[p + 1 + i];
    tables.set(tq, t);
    p += 1 + size;
  }
}

/** The IJG table for `quality` from a standard table. */
export function scaledTable(std: readonly number[], quality: number): number[] {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - 2 * quality; // integer, as libjpeg
  return std.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

/** Result of {@link estimateJpegQuality}. */
export interface QualityEstimate {
  /** Best-fitting IJG quality, 1–100. */
  readonly quality: number;
  /** Mean absolute difference per coefficient between the file's tables and the IJG tables (0 = exact). */
  readonly error: number;
}

/**
 * Best-fitting IJG quality for tables `tables` (luminance table 0, chrominance table 1 when present),
 * or undefined when the file has no table 0.
 */
export function estimateJpegQuality(tables: QuantTables): QualityEstimate | undefined {
  const luma = tables.get(0);
  if (!luma) return undefined;
  const chroma = tables.get(1);
  let best: QualityEstimate = { quality: 0, error: Infinity };
  for (let q = 1; q <= 100; q++) {
    let err = 0;
    const l = scaledTable(STD_LUMA, q);
    for (let i = 0; i < 64; i++) err += Math.abs(l[i] - luma[i]);
    let n = 64;
    if (chroma) {
      const c = scaledTable(STD_CHROMA, q);
      for (let i = 0; i < 64; i++) err += Math.abs(c[i] - chroma[i]);
      n += 64;
    }
    if (err / n < best.error) best = { quality: q, error: err / n };
  }
  return best;
}
