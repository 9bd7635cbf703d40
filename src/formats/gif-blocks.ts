/**
 * GIF (87a/89a) block walker and the application-extension carriers the GIF handler writes.
 *
 * A GIF is a header, a logical screen descriptor with an optional global colour table (the
 * "preamble"), then blocks: extensions (`21 label` + data sub-blocks), images (`2C`
 * descriptor, optional local colour table, LZW minimum code size, sub-blocks) and the
 * trailer `3B`. Only block headers and sub-block length bytes are read (through a
 * {@link WindowReader}), never image data. Metadata extensions are capped at
 * {@link MAX_GIF_METADATA_BLOCKS}, all blocks at {@link MAX_SEGMENTS}.
 *
 * Carriers: the C2PA store in an application extension `C2PA_GIF` with authentication code
 * `01 00 00` whose sub-blocks hold the JUMBF (c2pa-rs); the XMP packet in an application
 * extension `XMP Data` + `XMP`, written raw and followed by the 258-byte "magic trailer"
 * (Adobe XMP spec part 3, as exiftool reads it), so GIF decoders skip it as sub-blocks.
 *
 * Spec: W3C GIF89a; C2PA 2.2 §A.3 (GIF); Adobe XMP Specification Part 3 §1.1.2 (GIF).
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_GIF_METADATA_BLOCKS, MAX_SEGMENTS } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { WINDOW_SIZE, WindowReader } from './common/window-reader.ts';

const FORMAT = 'gif';

/** Application identifier + authentication code of the C2PA store extension (c2pa-rs). */
export const C2PA_APP_ID = 'C2PA_GIF\x01\x00\x00';
/** Application identifier + authentication code of the XMP extension (Adobe). */
export const XMP_APP_ID = 'XMP DataXMP';
/** Bytes of an application extension before its data: `21 FF 0B` + 8-byte id + 3-byte code. */
export const APP_HEADER_BYTES = 14;

/** One block after the preamble. Offsets are absolute source offsets. */
export interface GifBlock {
  /** `app` / `comment` / `control` / `text` / other extension, `image`. */
  readonly kind: 'app' | 'comment' | 'extension' | 'image';
  /** Offset of the introducer byte (`21` or `2C`). */
  readonly offset: number;
  /** Offset just past the block terminator. */
  readonly end: number;
  /** For application extensions: the 11 bytes of identifier + authentication code (Latin-1). */
  readonly appId?: string;
}

/** A walked GIF. */
export interface GifFile {
  /** `87a` or `89a`. */
  readonly version: string;
  /** Offset just past the global colour table (where c2pa-rs inserts its block). */
  readonly preambleEnd: number;
  readonly blocks: readonly GifBlock[];
  /** Offset of the trailer byte `3B`. */
  readonly trailer: number;
}

/** Whether `head` starts a GIF. Never throws. */
export function sniffGif(head: Uint8Array): boolean {
  if (head.length < 6) return false;
  const s = String.fromCharCode(...head.subarray(0, 6));
  return s === 'GIF87a' || s === 'GIF89a';
}

/** Bytes of a colour table whose packed size field is `bits` (low three bits). */
function colourTableBytes(bits: number): number {
  return 3 * 2 ** ((bits & 7) + 1);
}

/**
 * Synchronous reads from a 64 KiB window, refilled only when a read leaves it: the walk visits
 * a few bytes per block, and an `await` per byte would make a file of 100 000 tiny blocks slow.
 */
class ByteWindow {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  constructor(private readonly r: WindowReader) {}
  /** The byte at `pos` if it is in the window, else -1. */
  at(pos: number): number {
    const i = pos - this.start;
    return i >= 0 && i < this.buf.length ? this.buf[i]! : -1;
  }
  /** The byte at `pos`, refilling the window. @throws {MalformedInputError} past the end. */
  async load(pos: number): Promise<number> {
    this.buf = await this.r.upTo(pos, WINDOW_SIZE);
    this.start = pos;
    if (!this.buf.length)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.truncatedNeedByteNone', 'truncated: need 1 byte at {pos}, none left', { pos }),
        pos,
      );
    return this.buf[0]!;
  }
}

/** Walk data sub-blocks from `pos`; returns the offset just past the zero-length terminator. */
function skipSubBlocks(w: ByteWindow, size: number, pos: number): number | Promise<number> {
  for (;;) {
    const n = w.at(pos);
    if (n < 0) return skipSubBlocksAsync(w, size, pos);
    pos += 1;
    if (n === 0) return pos;
    if (pos + n > size)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.dataSubBlockBytes', 'data sub-block of {n} bytes runs past the end', { n }),
        pos - 1,
      );
    pos += n;
  }
}

async function skipSubBlocksAsync(w: ByteWindow, size: number, pos: number): Promise<number> {
  for (;;) {
    let n = w.at(pos);
    if (n < 0) n = await w.load(pos);
    pos += 1;
    if (n === 0) return pos;
    if (pos + n > size)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.dataSubBlockBytes', 'data sub-block of {n} bytes runs past the end', { n }),
        pos - 1,
      );
    pos += n;
  }
}

/**
 * Walk `src` as a GIF up to its trailer.
 * @throws {MalformedInputError} for a bad signature, an unknown block introducer, a bad
 *   application block size, or a block that runs past the end (no trailer).
 * @throws {LimitExceededError} past {@link MAX_GIF_METADATA_BLOCKS} or {@link MAX_SEGMENTS}.
 */
export async function readGif(src: ByteSource): Promise<GifFile> {
  const r = new WindowReader(src, FORMAT);
  const head = await r.bytes(0, 13);
  if (!sniffGif(head))
    throw new MalformedInputError(FORMAT, said('err.fmt.notGIFFileSignature', 'not a GIF file (signature GIF87a/GIF89a missing)'), 0);
  const version = String.fromCharCode(head[3]!, head[4]!, head[5]!);
  const packed = head[10]!;
  const preambleEnd = 13 + ((packed & 0x80) !== 0 ? colourTableBytes(packed) : 0);
  if (preambleEnd > r.size)
    throw new MalformedInputError(FORMAT, said('err.fmt.globalColourTableRuns', 'global colour table runs past the end'), 13);
  const blocks: GifBlock[] = [];
  let metadata = 0;
  let pos = preambleEnd;
  const w = new ByteWindow(r);
  for (;;) {
    // synchronous while the bytes are in the window (an await per block costs a microtask)
    let intro = w.at(pos);
    if (intro < 0) intro = await w.load(pos);
    if (intro === 0x3b) return { version, preambleEnd, blocks, trailer: pos };
    if (blocks.length >= MAX_SEGMENTS)
      throw new LimitExceededError('MAX_SEGMENTS', said('err.fmt.moreGIFBlocks', 'more than {MAX_SEGMENTS} GIF blocks', { MAX_SEGMENTS }));
    if (intro === 0x21) {
      let label = w.at(pos + 1);
      if (label < 0) label = await w.load(pos + 1);
      let kind: GifBlock['kind'] = 'extension';
      let appId: string | undefined;
      let dataStart = pos + 2;
      if (label === 0xff || label === 0xfe) {
        if (++metadata > MAX_GIF_METADATA_BLOCKS) {
          throw new LimitExceededError(
            'MAX_GIF_METADATA_BLOCKS',
            said('err.fmt.moreGIFApplicationComment', 'more than {MAX_GIF_METADATA_BLOCKS} GIF application/comment extensions', {
              MAX_GIF_METADATA_BLOCKS,
            }),
          );
        }
      }
      if (label === 0xff) {
        kind = 'app';
        const size = await r.u8(pos + 2);
        if (size !== 11)
          throw new MalformedInputError(
            FORMAT,
            said('err.fmt.applicationExtensionBlockSize', 'application extension block size {size}, expected 11', { size }),
            pos + 2,
          );
        appId = String.fromCharCode(...(await r.bytes(pos + 3, 11)));
        dataStart = pos + APP_HEADER_BYTES;
      } else if (label === 0xfe) {
        kind = 'comment';
      }
      let end = skipSubBlocks(w, r.size, dataStart);
      if (typeof end !== 'number') end = await end;
      blocks.push({ kind, offset: pos, end, ...(appId !== undefined ? { appId } : {}) });
      pos = end;
    } else if (intro === 0x2c) {
      const desc = await r.bytes(pos, 10);
      let at = pos + 10 + ((desc[9]! & 0x80) !== 0 ? colourTableBytes(desc[9]!) : 0);
      if (at + 1 > r.size)
        throw new MalformedInputError(FORMAT, said('err.fmt.localColourTableRuns', 'local colour table runs past the end'), pos + 10);
      at += 1; // LZW minimum code size
      let end = skipSubBlocks(w, r.size, at);
      if (typeof end !== 'number') end = await end;
      blocks.push({ kind: 'image', offset: pos, end });
      pos = end;
    } else {
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.unknownBlockIntroducerX', 'unknown block introducer 0x{v1}', { v1: intro.toString(16).padStart(2, '0') }),
        pos,
      );
    }
  }
}

/** Application extensions with this identifier + authentication code. */
export function appBlocks(file: GifFile, appId: string): GifBlock[] {
  return file.blocks.filter((b) => b.kind === 'app' && b.appId === appId);
}

/** Size of the sub-block encoding of `n` data bytes (length bytes + data + terminator). */
export function subBlockBytes(n: number): number {
  return n + Math.ceil(n / 255) + 1;
}

/** The application extension `21 FF 0B id code` with `data` split into ≤ 255-byte sub-blocks. */
export function appExtension(appId: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(APP_HEADER_BYTES + subBlockBytes(data.length));
  out.set([0x21, 0xff, 0x0b], 0);
  for (let i = 0; i < 11; i++) out[3 + i] = appId.charCodeAt(i);
  let at = APP_HEADER_BYTES;
  for (let i = 0; i < data.length; i += 255) {
    const chunk = data.subarray(i, i + 255);
    out[at++] = chunk.length;
    out.set(chunk, at);
    at += chunk.length;
  }
  out[at] = 0;
  return out;
}

/** Bytes of the `C2PA_GIF` block for a store of `n` bytes. */
export function c2paBlockBytes(n: number): number {
  return APP_HEADER_BYTES + subBlockBytes(n);
}

/**
 * Join the data of the sub-blocks in `bytes` (which end with the zero terminator).
 * @throws {MalformedInputError} when a sub-block runs past `bytes` (`offset` places it in the file).
 */
export function joinSubBlocks(bytes: Uint8Array, offset: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  while (at < bytes.length) {
    const n = bytes[at]!;
    if (n === 0) break;
    if (at + 1 + n > bytes.length)
      throw new MalformedInputError(FORMAT, said('err.fmt.dataSubBlockRuns', 'data sub-block runs past its block'), offset + at);
    parts.push(bytes.subarray(at + 1, at + 1 + n));
    total += n;
    at += 1 + n;
  }
  const out = new Uint8Array(total);
  let w = 0;
  for (const p of parts) {
    out.set(p, w);
    w += p.length;
  }
  return out;
}

/** The 258 bytes after a raw XMP packet: `01 FF FE … 01 00` and the block terminator `00`. */
export function xmpMagicTrailer(): Uint8Array {
  const t = new Uint8Array(258);
  t[0] = 1;
  for (let i = 0; i < 256; i++) t[1 + i] = 255 - i;
  t[257] = 0;
  return t;
}

/** The `XMP Data` application extension for a packet (NUL bytes, which would end the block early, are dropped). */
export function xmpExtension(xmp: Uint8Array): Uint8Array {
  const clean = xmp.includes(0) ? xmp.filter((b) => b !== 0) : xmp;
  const out = new Uint8Array(APP_HEADER_BYTES + clean.length + 258);
  out.set([0x21, 0xff, 0x0b], 0);
  for (let i = 0; i < 11; i++) out[3 + i] = XMP_APP_ID.charCodeAt(i);
  out.set(clean, APP_HEADER_BYTES);
  out.set(xmpMagicTrailer(), APP_HEADER_BYTES + clean.length);
  return out;
}

/**
 * The XMP packet bytes of an `XMP Data` block's data (`body` = everything after the 14-byte
 * header up to the block end): the raw form with the magic trailer (Adobe, exiftool), else the
 * sub-block form c2pa-rs writes (packet + the 257 trailer bytes split into sub-blocks), else
 * the joined sub-blocks as they are.
 * @throws {MalformedInputError} when the sub-blocks are broken.
 */
export function xmpPacketOf(body: Uint8Array, offset: number): Uint8Array {
  const t = xmpMagicTrailer();
  if (body.length >= t.length && t.every((b, i) => body[body.length - t.length + i] === b)) return body.subarray(0, body.length - t.length);
  const joined = joinSubBlocks(body, offset);
  const tail = t.subarray(0, 257);
  if (joined.length >= tail.length && tail.every((b, i) => joined[joined.length - tail.length + i] === b))
    return joined.subarray(0, joined.length - tail.length);
  return joined;
}
