/**
 * What the label overlay needs to know about a JPEG (size, components, precision, progressive
 * coding, chroma subsampling, EXIF orientation), read from the marker segments before the first
 * scan of bytes already in memory, so that a labelled JPEG costs one sharp call fewer (sharp's
 * `metadata()` parses the same header again on the thread pool, and every sharp call also costs
 * a few hundred microseconds on the calling thread to hand its options over). Only the common
 * case is answered: an 8-bit, three-component, baseline, extended or progressive Huffman JPEG
 * with at most one EXIF segment that parses cleanly. Anything else returns undefined and the
 * caller asks sharp, so an unusual file is described exactly as libvips describes it.
 */
import { MAX_SEGMENTS } from '../../binary/limits.ts';

/** The fields of sharp's `Metadata` the overlay reads, as sharp reports them for such a JPEG. */
export interface JpegHeaderMeta {
  readonly format: 'jpeg';
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
  readonly depth: 'uchar';
  readonly space: 'srgb';
  readonly hasAlpha: false;
  readonly isPalette: false;
  readonly isProgressive: boolean;
  /** `4:4:4` when every component has the same sampling factors, else `4:2:0`, `4:2:2`, `4:4:0` or `other`. */
  readonly chromaSubsampling: string;
  /** EXIF Orientation 1–8, undefined without one. */
  readonly orientation?: number;
}

/** SOF0 (baseline), SOF1 (extended), SOF2 (progressive): Huffman coding. */
const HUFFMAN_SOF = new Set([0xc0, 0xc1, 0xc2]);
/** Other start-of-frame markers (lossless, hierarchical, arithmetic): left to sharp. */
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const SOS = 0xda;
const EOI = 0xd9;
const APP1 = 0xe1;
const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

/**
 * The header facts of `b` when it is such a JPEG (see the module comment), else undefined.
 * Never throws; every length is checked against the bytes before it is used.
 */
export function jpegHeaderMeta(b: Uint8Array): JpegHeaderMeta | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let at = 2;
  let frame: Omit<JpegHeaderMeta, 'orientation'> | undefined;
  let orientation: number | undefined;
  let exifSegments = 0;
  for (let segments = 0; segments < MAX_SEGMENTS; segments++) {
    if (at + 4 > b.length || b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8) || marker === EOI) return undefined; // not in a header
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    if (length < 2 || at + 2 + length > b.length) return undefined;
    const body = b.subarray(at + 4, at + 2 + length);
    if (marker === SOS) {
      // A sequential JPEG whose first scan carries fewer than all components has several scans:
      // libvips then reports it as interlaced (progressive); left to sharp.
      if (!frame || (!frame.isProgressive && body[0] !== 3)) return undefined;
      return { ...frame, ...(orientation !== undefined ? { orientation } : {}) };
    }
    if (OTHER_SOF.has(marker)) return undefined;
    if (HUFFMAN_SOF.has(marker)) {
      if (frame) return undefined;
      frame = readFrame(marker, body);
      if (!frame) return undefined;
    } else if (marker === APP1 && startsWith(body, EXIF_ID)) {
      if (++exifSegments > 1) return undefined;
      const o = exifOrientation(body.subarray(EXIF_ID.length));
      if (o === null) return undefined;
      orientation = o;
    }
    at += 2 + length;
  }
  return undefined;
}

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  return b.length >= prefix.length && prefix.every((v, i) => b[i] === v);
}

/** The frame header (SOFn body), or undefined for one this module does not answer. */
function readFrame(marker: number, body: Uint8Array): Omit<JpegHeaderMeta, 'orientation'> | undefined {
  if (body.length < 6) return undefined;
  const precision = body[0]!;
  const height = (body[1]! << 8) | body[2]!;
  const width = (body[3]! << 8) | body[4]!;
  const components = body[5]!;
  if (precision !== 8 || components !== 3 || width === 0 || height === 0 || body.length < 6 + 3 * components) return undefined;
  const factors: [number, number][] = [];
  for (let i = 0; i < components; i++) {
    const hv = body[6 + 3 * i + 1]!;
    factors.push([hv >> 4, hv & 15]);
  }
  return {
    format: 'jpeg',
    width,
    height,
    channels: 3,
    depth: 'uchar',
    space: 'srgb',
    hasAlpha: false,
    isPalette: false,
    isProgressive: marker === 0xc2,
    chromaSubsampling: subsampling(factors),
  };
}

function subsampling(f: [number, number][]): string {
  const [y, ...chroma] = f as [[number, number], ...[number, number][]];
  if (f.every(([h, v]) => h === y[0] && v === y[1])) return '4:4:4';
  if (!chroma.every(([h, v]) => h === 1 && v === 1)) return 'other';
  if (y[0] === 2 && y[1] === 2) return '4:2:0';
  if (y[0] === 2 && y[1] === 1) return '4:2:2';
  if (y[0] === 1 && y[1] === 2) return '4:4:0';
  return 'other';
}

/**
 * The Orientation (tag 0x0112) of IFD0 of a TIFF structure: 1–8, undefined when absent, null
 * when the structure or the value is not clean (the caller then asks sharp).
 */
function exifOrientation(t: Uint8Array): number | undefined | null {
  if (t.length < 8) return null;
  const little = t[0] === 0x49 && t[1] === 0x49;
  if (!little && !(t[0] === 0x4d && t[1] === 0x4d)) return null;
  const u16 = (o: number): number => (little ? t[o]! | (t[o + 1]! << 8) : (t[o]! << 8) | t[o + 1]!);
  const u32 = (o: number): number => (little ? u16(o) + u16(o + 2) * 0x10000 : u16(o) * 0x10000 + u16(o + 2));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > t.length) return null;
  const count = u16(ifd);
  if (ifd + 2 + count * 12 > t.length) return null;
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (u16(e) !== 0x0112) continue;
    if (u16(e + 2) !== 3 || u32(e + 4) !== 1) return null; // SHORT, one value
    const v = u16(e + 8);
    return v >= 1 && v <= 8 ? v : null;
  }
  return undefined;
}
