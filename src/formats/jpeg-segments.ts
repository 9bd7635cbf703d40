/**
 * JPEG marker-segment walking (ITU T.81 §B.1) and the C2PA JPEG-XT APP11 carrier
 * (ISO/IEC 18477-3 box segments: `CI`="JP", `En` box instance, `Z` sequence, JUMBF).
 * The walk stops at SOS (or EOI): entropy-coded data is never scanned.
 */
import { MAX_MANIFEST_BYTES, MAX_SEGMENTS } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, MultipleManifestsError, InvalidArgumentError, said } from '../errors.ts';
import { latin1, readU16be, readU32be, startsWith, type WindowReader } from './common/window-reader.ts';

/** APP0 marker code (JFIF). */
export const APP0 = 0xe0;
/** APP1 marker code (EXIF, XMP). */
export const APP1 = 0xe1;
/** APP11 marker code (JPEG XT boxes: JUMBF / C2PA). */
export const APP11 = 0xeb;
const SOS = 0xda;
const EOI = 0xd9;
const SOI = 0xd8;

/** JPEG XT common identifier "JP". */
export const JPXT_CI = 0x4a50;
/** Box instance number written for the C2PA store (as c2pa-rs). */
export const C2PA_BOX_INSTANCE = 0x0211;
/** Maximum JUMBF bytes carried by one APP11 segment (as c2pa-rs). */
export const MAX_JUMBF_PER_SEGMENT = 64_000;
/** APP1 XMP namespace header. */
export const XMP_HEADER = latin1('http://ns.adobe.com/xap/1.0/\0');
/** APP1 Extended XMP namespace header. */
export const XMP_EXT_HEADER = latin1('http://ns.adobe.com/xmp/extension/\0');
/** JPEG APP1 EXIF header. */
export const EXIF_HEADER = latin1('Exif\0\0');
/** Largest segment payload (Lp = 65 535 counts its own two bytes). */
export const MAX_SEGMENT_PAYLOAD = 65_533;
/** C2PA manifest-store JUMBF description type (`c2pa` + ISO suffix). */
const C2PA_JUMD_TYPE = new Uint8Array([0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);
const JUMB = latin1('jumb');
const JUMD = latin1('jumd');
const HEAD_BYTES = 64;

/** What a segment carries, as far as this toolkit cares. */
export type SegmentKind = 'xmp' | 'xmp-ext' | 'exif' | 'jpxt' | 'other';

/** One marker segment the handler may need to read or replace. */
export interface JpegSegment {
  readonly marker: number;
  /** Offset of the first fill byte before the marker (so removal drops the fill too). */
  readonly start: number;
  /** Offset just past the segment. */
  readonly end: number;
  readonly payloadOffset: number;
  readonly payloadLength: number;
  readonly kind: SegmentKind;
  /** JPEG XT box instance and sequence number (kind `jpxt`). */
  readonly en?: number;
  readonly z?: number;
  /** First bytes of the payload (up to 64). */
  readonly head: Uint8Array;
}

/** The header part of a JPEG, up to the first scan. */
export interface JpegLayout {
  readonly size: number;
  /** End of the last APP0 segment, if any. */
  readonly app0End: number | undefined;
  /** APP1 and APP11 segments, in file order. */
  readonly segments: readonly JpegSegment[];
  /** Offset where SOS (or EOI) starts, fill bytes included. */
  readonly scanStart: number;
}

function classify(marker: number, head: Uint8Array, payloadLength: number): Pick<JpegSegment, 'kind' | 'en' | 'z'> {
  if (marker === APP1) {
    if (startsWith(head, XMP_HEADER)) return { kind: 'xmp' };
    if (startsWith(head, XMP_EXT_HEADER)) return { kind: 'xmp-ext' };
    if (startsWith(head, EXIF_HEADER)) return { kind: 'exif' };
  } else if (marker === APP11 && payloadLength >= 8 && readU16be(head, 0) === JPXT_CI) {
    return { kind: 'jpxt', en: readU16be(head, 2), z: readU32be(head, 4) };
  }
  return { kind: 'other' };
}

/**
 * Walk the marker segments from SOI to the first SOS (or EOI).
 * @throws {MalformedInputError} for a missing SOI, a non-marker byte, a bad or overlong length, or no SOS/EOI.
 * @throws {LimitExceededError} after MAX_SEGMENTS markers.
 */
export async function walkJpeg(r: WindowReader): Promise<JpegLayout> {
  if (r.size < 4 || (await r.u16be(0)) !== 0xffd8)
    throw new MalformedInputError('jpeg', said('err.fmt.missingSOIMarker', 'missing SOI marker'), 0);
  const segments: JpegSegment[] = [];
  let app0End: number | undefined;
  let pos = 2;
  let count = 0;
  for (;;) {
    const start = pos;
    if (pos >= r.size)
      throw new MalformedInputError('jpeg', said('err.fmt.noSOSEOIBefore', 'no SOS or EOI before the end of the file'), pos);
    let h = await r.upTo(pos, 4);
    if (h[0] !== 0xff) throw new MalformedInputError('jpeg', said('err.fmt.expectedMarker', 'expected a marker'), pos);
    if (h[1] === 0xff) {
      // Fill bytes: skip every 0xFF before the marker code.
      while ((await r.u8(pos + 1)) === 0xff) pos++;
      h = await r.upTo(pos, 4);
    }
    const marker = h[1]!;
    if (marker === undefined) throw new MalformedInputError('jpeg', said('err.fmt.truncatedMarker', 'truncated marker'), pos);
    if (++count > MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.moreJPEGMarkersBefore', 'more than {MAX_SEGMENTS} JPEG markers before the scan', { MAX_SEGMENTS }),
      );
    if (marker === 0x00 || marker === SOI)
      throw new MalformedInputError('jpeg', said('err.fmt.unexpectedMarkerXFF', 'unexpected marker 0xFF{v1}', { v1: hex(marker) }), pos);
    if (marker === EOI) return { size: r.size, app0End, segments, scanStart: start };
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (h.length < 4) throw new MalformedInputError('jpeg', said('err.fmt.truncatedSegmentLength', 'truncated segment length'), pos + 2);
    const len = readU16be(h, 2);
    if (len < 2)
      throw new MalformedInputError(
        'jpeg',
        said('err.fmt.segmentXFFHasLength', 'segment 0xFF{v1} has length {len}', { v1: hex(marker), len }),
        pos + 2,
      );
    const end = pos + 2 + len;
    if (end > r.size)
      throw new MalformedInputError(
        'jpeg',
        said('err.fmt.segmentXFFBytesRuns', 'segment 0xFF{v1} of {len} bytes runs past the end of the file', { v1: hex(marker), len }),
        pos + 2,
      );
    if (marker === SOS) return { size: r.size, app0End, segments, scanStart: start };
    if (marker === APP0) app0End = end;
    if (marker === APP1 || marker === APP11) {
      const payloadLength = len - 2;
      const head = new Uint8Array(await r.bytes(pos + 4, Math.min(payloadLength, HEAD_BYTES)));
      segments.push({ marker, start, end, payloadOffset: pos + 4, payloadLength, head, ...classify(marker, head, payloadLength) });
    }
    pos = end;
  }
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

/** Whether a first (Z=1) JPEG XT segment starts a C2PA store (`jumb` whose `jumd` type is `c2pa`). */
function startsC2paStore(s: JpegSegment): boolean {
  const h = s.head;
  if (h.length < 16 || !startsWith(h, JUMB, 12)) return false;
  const jumdAt = readU32be(h, 8) === 1 ? 24 : 16;
  return h.length >= jumdAt + 24 && startsWith(h, JUMD, jumdAt + 4) && startsWith(h, C2PA_JUMD_TYPE, jumdAt + 8);
}

/**
 * The APP11 segments of every C2PA store, grouped by box instance (file order within a group).
 * Groups whose first segment is not a C2PA `jumb` (other JPEG XT boxes) are left out.
 */
export function c2paGroups(layout: JpegLayout): JpegSegment[][] {
  const groups = new Map<number, JpegSegment[]>();
  for (const s of layout.segments) {
    if (s.kind !== 'jpxt') continue;
    const g = groups.get(s.en!) ?? [];
    g.push(s);
    groups.set(s.en!, g);
  }
  return [...groups.values()].filter((g) => g.some((s) => s.z === 1 && startsC2paStore(s)));
}

/**
 * Reassemble the single C2PA store of a JPEG, or undefined when there is none.
 * @throws {MultipleManifestsError} for two or more stores.
 * @throws {MalformedInputError} for out-of-order sequence numbers, mismatched repeated headers or a wrong total size.
 * @throws {LimitExceededError} for a store above MAX_MANIFEST_BYTES.
 */
export async function readJpegStore(r: WindowReader, layout: JpegLayout): Promise<Uint8Array | undefined> {
  const groups = c2paGroups(layout);
  if (!groups.length) return undefined;
  if (groups.length > 1 || groups[0]!.filter((s) => s.z === 1).length > 1) throw new MultipleManifestsError();
  const segs = groups[0]!;
  segs.forEach((s, i) => {
    if (s.z !== i + 1)
      throw new MalformedInputError(
        'jpeg',
        said('err.fmt.c2paAPP11SegmentHas', 'C2PA APP11 segment has sequence number {z}, expected {v2}', { z: String(s.z), v2: i + 1 }),
        s.start,
      );
  });
  const first = segs[0]!;
  const lbox = readU32be(first.head, 8);
  const headerLen = lbox === 1 ? 16 : 8;
  if (first.head.length < 8 + headerLen)
    throw new MalformedInputError(
      'jpeg',
      said('err.fmt.c2paAPP11SegmentToo', 'C2PA APP11 segment too short for a box header'),
      first.start,
    );
  let total: number | undefined = lbox;
  if (lbox === 1) total = Number(new DataView(first.head.buffer, first.head.byteOffset + 16, 8).getBigUint64(0));
  else if (lbox === 0) total = undefined;
  else if (lbox < 8)
    throw new MalformedInputError(
      'jpeg',
      said('err.fmt.c2paStoreBoxHas', 'C2PA store box has LBox {lbox}', { lbox }),
      first.payloadOffset + 8,
    );
  const header = first.head.subarray(8, 8 + headerLen);
  let sum = 0;
  const pieces: { offset: number; length: number }[] = [];
  for (const [i, s] of segs.entries()) {
    const skip = i === 0 ? 8 : 8 + headerLen;
    if (s.payloadLength < skip)
      throw new MalformedInputError(
        'jpeg',
        said('err.fmt.c2paAPP11ContinuationSegment', 'C2PA APP11 continuation segment too short'),
        s.start,
      );
    if (i > 0 && !startsWith(s.head, header, 8)) {
      throw new MalformedInputError(
        'jpeg',
        said('err.fmt.c2paAPP11ContinuationDoes', 'C2PA APP11 continuation does not repeat the store box header'),
        s.payloadOffset + 8,
      );
    }
    pieces.push({ offset: s.payloadOffset + skip, length: s.payloadLength - skip });
    sum += s.payloadLength - skip;
  }
  if (sum > MAX_MANIFEST_BYTES || (total !== undefined && total > MAX_MANIFEST_BYTES)) {
    throw new LimitExceededError(
      'MAX_MANIFEST_BYTES',
      said('err.fmt.c2paStoreBytesLarger', 'C2PA store of {v1} bytes is larger than {MAX_MANIFEST_BYTES}', {
        v1: total ?? sum,
        MAX_MANIFEST_BYTES,
      }),
    );
  }
  if (total !== undefined && total !== sum) {
    throw new MalformedInputError(
      'jpeg',
      said('err.fmt.c2paStoreBoxBytes', 'C2PA store box is {total} bytes but its APP11 segments carry {sum}', { total, sum }),
      first.payloadOffset + 8,
    );
  }
  const out = new Uint8Array(sum);
  let at = 0;
  for (const p of pieces) {
    out.set(await r.bytes(p.offset, p.length), at);
    at += p.length;
  }
  return out;
}

/** Total bytes of the APP11 segments that carry a store of `length` bytes (0 for none). */
export function jpegCarrierLength(length: number): number {
  if (length === 0) return 0;
  const n = Math.ceil(length / MAX_JUMBF_PER_SEGMENT);
  return length + n * 12 + (n - 1) * 8;
}

/**
 * Render a store as contiguous APP11 segments: each `FFEB Lp "JP" En Z`, continuation
 * segments repeating the store's 8-byte LBox+TBox, at most {@link MAX_JUMBF_PER_SEGMENT}
 * store bytes per segment.
 * @throws {InvalidArgumentError} for a multi-segment store whose LBox uses the 64-bit form.
 */
export function renderJpegCarrier(store: Uint8Array): Uint8Array {
  const n = Math.ceil(store.length / MAX_JUMBF_PER_SEGMENT);
  if (n > 1 && (store.length < 8 || readU32be(store, 0) === 1)) {
    throw InvalidArgumentError.expected('a store with a 32-bit LBox', 'store', store);
  }
  const out = new Uint8Array(jpegCarrierLength(store.length));
  const dv = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const chunk = store.subarray(i * MAX_JUMBF_PER_SEGMENT, Math.min(store.length, (i + 1) * MAX_JUMBF_PER_SEGMENT));
    const payload = 8 + (i > 0 ? 8 : 0) + chunk.length;
    dv.setUint16(at, 0xff00 | APP11);
    dv.setUint16(at + 2, payload + 2);
    dv.setUint16(at + 4, JPXT_CI);
    dv.setUint16(at + 6, C2PA_BOX_INSTANCE);
    dv.setUint32(at + 8, i + 1);
    at += 12;
    if (i > 0) {
      out.set(store.subarray(0, 8), at);
      at += 8;
    }
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A complete APP1 segment (marker, length, payload). @throws {InvalidArgumentError} when too long. */
export function app1Segment(header: Uint8Array, body: Uint8Array): Uint8Array {
  const payload = header.length + body.length;
  if (payload > MAX_SEGMENT_PAYLOAD) throw InvalidArgumentError.expected(`at most ${MAX_SEGMENT_PAYLOAD} bytes`, 'APP1 payload', payload);
  const out = new Uint8Array(4 + payload);
  out[0] = 0xff;
  out[1] = APP1;
  out[2] = (payload + 2) >> 8;
  out[3] = (payload + 2) & 0xff;
  out.set(header, 4);
  out.set(body, 4 + header.length);
  return out;
}
