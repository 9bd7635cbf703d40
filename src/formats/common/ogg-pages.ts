/**
 * Ogg page layer (RFC 3533): read page headers, gather the header packets of the first
 * logical stream, and write pages (lacing, flags, CRC). Used by the Ogg Vorbis/Opus
 * handler to rewrite the comment header; audio pages are copied, never decoded.
 *
 * A page: `OggS`, version 0, header type (1 continued, 2 BOS, 4 EOS), granule position
 * (64-bit LE), serial, sequence number, CRC-32 (polynomial 0x04C11DB7, MSB first, initial
 * 0, over the page with the CRC field zeroed), segment count, lacing values, body.
 */
import { MAX_METADATA_BYTES, MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import type { WindowReader } from './window-reader.ts';

const FORMAT = 'ogg';
/** Size of a page header before its lacing values. */
export const OGG_PAGE_HEADER = 27;
/** Flag: the page's first segment continues a packet of the previous page. */
export const OGG_CONTINUED = 0x01;
/** Flag: beginning of a logical stream. */
export const OGG_BOS = 0x02;

/** One page as found in the source. */
export interface OggPage {
  readonly offset: number;
  readonly headerType: number;
  readonly serial: number;
  readonly sequence: number;
  /** Lacing values (a copy). */
  readonly lacing: Uint8Array;
  /** Offset of the body (after the lacing values). */
  readonly bodyOffset: number;
  readonly bodyLength: number;
  /** Offset just past the page. */
  readonly end: number;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** Ogg CRC-32 of `bytes`, continuing from `crc`. */
export function oggCrc(bytes: Uint8Array, crc = 0): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return c >>> 0;
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Whether `head` starts with an Ogg page capture pattern. Never throws. */
export function isOggPage(head: Uint8Array, at = 0): boolean {
  return (
    head.length >= at + 5 &&
    head[at] === 0x4f &&
    head[at + 1] === 0x67 &&
    head[at + 2] === 0x67 &&
    head[at + 3] === 0x53 &&
    head[at + 4] === 0
  );
}

/**
 * The page header at `at`.
 * @throws {MalformedInputError} without a capture pattern, for a version other than 0, or
 *   for a page truncated by the end of the file.
 */
export async function readPage(r: WindowReader, at: number): Promise<OggPage> {
  if (r.size - at < OGG_PAGE_HEADER)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.truncatedOggPageHeader', 'truncated Ogg page header ({v1} of 27 bytes)', { v1: r.size - at }),
      at,
    );
  const h = await r.bytes(at, OGG_PAGE_HEADER);
  if (!isOggPage(h))
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.noOggSCapturePattern', 'no OggS capture pattern (version 0) where a page was expected'),
      at,
    );
  const n = h[26]!;
  if (r.size - at - OGG_PAGE_HEADER < n)
    throw new MalformedInputError(FORMAT, said('err.fmt.truncatedOggPageLacing', 'truncated Ogg page: lacing values run past the end'), at);
  const lacing = new Uint8Array(await r.bytes(at + OGG_PAGE_HEADER, n));
  const bodyLength = lacing.reduce((s, v) => s + v, 0);
  const bodyOffset = at + OGG_PAGE_HEADER + n;
  if (bodyLength > r.size - bodyOffset) {
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.truncatedOggPageBody', 'truncated Ogg page: a body of {bodyLength} bytes runs past the end ({v2} left)', {
        bodyLength,
        v2: r.size - bodyOffset,
      }),
      at,
    );
  }
  return {
    offset: at,
    headerType: h[5]!,
    serial: u32le(h, 14),
    sequence: u32le(h, 18),
    lacing,
    bodyOffset,
    bodyLength,
    end: bodyOffset + bodyLength,
  };
}

/** The first logical stream's header packets and the pages that hold them. */
export interface OggHeaders {
  readonly serial: number;
  /** Header packets in order (the first is the identification header). */
  readonly packets: Uint8Array[];
  /** The pages of this stream that hold `packets[1..]` (the first page holds only `packets[0]`). */
  readonly pages: OggPage[];
  /** The first page (BOS). */
  readonly first: OggPage;
  /** Pages of other streams met among the header pages, in order. */
  readonly others: OggPage[];
  /** Offset just past the last header page. */
  readonly end: number;
}

/**
 * Gather `count` header packets of the first logical stream: the identification header
 * alone on the first (BOS) page, then `count - 1` packets on the following pages of that
 * stream, the last of which must end with the last header packet (RFC 7845 §3, Vorbis I §A.2).
 * @throws {MalformedInputError} for a malformed or truncated page or header layout.
 * @throws {LimitExceededError} when the headers exceed `MAX_METADATA_BYTES` or the pages `MAX_SEGMENTS`.
 */
export async function readHeaders(r: WindowReader, count: number): Promise<OggHeaders> {
  const first = await readPage(r, 0);
  if (!(first.headerType & OGG_BOS))
    throw new MalformedInputError(FORMAT, said('err.fmt.firstOggPageDoes', 'the first Ogg page does not begin a stream'), 0);
  if (first.lacing.length === 0 || first.lacing[first.lacing.length - 1] === 255 || first.lacing.slice(0, -1).some((v) => v < 255)) {
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.firstOggPageMust', 'the first Ogg page must hold exactly the identification header'),
      0,
    );
  }
  const packets: Uint8Array[] = [new Uint8Array(await r.bytes(first.bodyOffset, first.bodyLength))];
  const pages: OggPage[] = [];
  const others: OggPage[] = [];
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let total = first.bodyLength;
  let at = first.end;
  while (packets.length < count) {
    if (pages.length + others.length >= MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.moreOggPagesBefore', 'more than {MAX_SEGMENTS} Ogg pages before the headers end', { MAX_SEGMENTS }),
      );
    const page = await readPage(r, at);
    at = page.end;
    if (page.serial !== first.serial) {
      others.push(page);
      continue;
    }
    if (page.headerType & OGG_BOS)
      throw new MalformedInputError(FORMAT, said('err.fmt.secondBOSPageSame', 'a second BOS page for the same stream'), page.offset);
    if (Boolean(page.headerType & OGG_CONTINUED) !== pending.length > 0) {
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.oggPageContinuationFlag', 'Ogg page continuation flag disagrees with the packet layout'),
        page.offset,
      );
    }
    pages.push(page);
    total += page.bodyLength;
    if (total > MAX_METADATA_BYTES)
      throw new LimitExceededError(
        'MAX_METADATA_BYTES',
        said('err.fmt.oggHeaderPacketsOver', 'Ogg header packets over {MAX_METADATA_BYTES} bytes', { MAX_METADATA_BYTES }),
      );
    const body = await r.bytes(page.bodyOffset, page.bodyLength);
    let pos = 0;
    for (let i = 0; i < page.lacing.length; i++) {
      const v = page.lacing[i]!;
      if (packets.length >= count)
        throw new MalformedInputError(
          FORMAT,
          said('err.fmt.audioDataSharesPage', 'audio data shares a page with the header packets'),
          page.offset,
        );
      pending.push(new Uint8Array(body.subarray(pos, pos + v)));
      pendingLength += v;
      pos += v;
      if (v < 255) {
        const p = new Uint8Array(pendingLength);
        let o = 0;
        for (const s of pending) {
          p.set(s, o);
          o += s.length;
        }
        packets.push(p);
        pending = [];
        pendingLength = 0;
      }
    }
  }
  if (pending.length)
    throw new MalformedInputError(FORMAT, said('err.fmt.lastHeaderPageDoes', 'the last header page does not end its packet'), at);
  return { serial: first.serial, packets, pages, first, others, end: at };
}

/** Lacing values of a packet of `length` bytes. */
function lacingOf(length: number): number[] {
  const out = new Array<number>(Math.floor(length / 255)).fill(255);
  out.push(length % 255);
  return out;
}

/**
 * Pages holding `packets` (each ending on the last page that holds a part of it), numbered
 * from `sequence`, split over `pageCount` pages when that is possible (so the stream's later
 * pages keep their numbers), otherwise over as few as needed.
 */
export function writeHeaderPages(packets: readonly Uint8Array[], serial: number, sequence: number, pageCount: number): Uint8Array[] {
  const segs: { v: number; packet: number; offset: number; last: boolean }[] = [];
  packets.forEach((p, i) => {
    let offset = 0;
    const lace = lacingOf(p.length);
    lace.forEach((v, k) => {
      segs.push({ v, packet: i, offset, last: k === lace.length - 1 });
      offset += v;
    });
  });
  const needed = Math.ceil(segs.length / 255);
  const n = pageCount >= needed && pageCount <= segs.length ? pageCount : needed;
  const pages: Uint8Array[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const take = Math.floor(segs.length / n) + (i < segs.length % n ? 1 : 0);
    const mine = segs.slice(s, s + take);
    const continued = s > 0 && !segs[s - 1]!.last;
    s += take;
    const bodyLength = mine.reduce((t, x) => t + x.v, 0);
    const page = new Uint8Array(OGG_PAGE_HEADER + mine.length + bodyLength);
    const dv = new DataView(page.buffer);
    page.set([0x4f, 0x67, 0x67, 0x53, 0], 0);
    page[5] = continued ? OGG_CONTINUED : 0;
    const ends = mine.some((x) => x.last);
    dv.setUint32(6, ends ? 0 : 0xffffffff, true);
    dv.setUint32(10, ends ? 0 : 0xffffffff, true);
    dv.setUint32(14, serial, true);
    dv.setUint32(18, (sequence + i) >>> 0, true);
    page[26] = mine.length;
    let at = OGG_PAGE_HEADER;
    for (const x of mine) page[at++] = x.v;
    for (const x of mine) {
      page.set(packets[x.packet]!.subarray(x.offset, x.offset + x.v), at);
      at += x.v;
    }
    dv.setUint32(22, oggCrc(page), true);
    pages.push(page);
  }
  return pages;
}

/** A page header (with its lacing values) renumbered to `sequence`, with the CRC over it and `body`. */
export function renumberedHeader(header: Uint8Array, body: Uint8Array, sequence: number): Uint8Array {
  const h = new Uint8Array(header); // a copy: the source bytes are never mutated
  const dv = new DataView(h.buffer, h.byteOffset);
  dv.setUint32(18, sequence >>> 0, true);
  dv.setUint32(22, 0, true);
  dv.setUint32(22, oggCrc(body, oggCrc(h)), true);
  return h;
}
