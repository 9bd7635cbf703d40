/**
 * PNG chunk walking (PNG spec §5) and text-chunk decoding (tEXt, zTXt, iTXt §11.3.4).
 * Chunk data is only read for the chunks the toolkit interprets; their CRCs are checked
 * (a mismatch is a {@link MalformedInputError}). IDAT and other chunks are skipped unread.
 */
import { concatBytes, fourcc } from '../binary/bytes.ts';
import { MAX_METADATA_BYTES, MAX_SEGMENTS } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { crc32 } from './common/crc32.ts';
import { latin1, readU32be, type WindowReader } from './common/window-reader.ts';

/** The 8-byte PNG signature. */
export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Largest chunk data length allowed by the PNG spec (2^31 − 1). */
export const PNG_MAX_CHUNK = 0x7fffffff;
/** iTXt keyword of an XMP packet. */
export const XMP_KEYWORD = 'XML:com.adobe.xmp';
/** tEXt/zTXt keyword of ImageMagick's hex-encoded XMP profile (read, never written). */
export const RAW_XMP_KEYWORD = 'Raw profile type xmp';

/**
 * Decode ImageMagick's "Raw profile" text: `\n<name>\n<spaces><decimal length>\n<hex lines>`.
 * @throws {MalformedInputError} when the header, the hex or the length does not fit.
 */
export function decodeRawProfile(text: string): Uint8Array {
  const m = /^\s*\n?\s*([A-Za-z0-9-]+)\s*\n\s*(\d+)\s*\n([\s0-9a-fA-F]*)$/.exec(text);
  if (!m) throw new MalformedInputError('png', said('err.fmt.rawProfileTextHas', 'raw profile text has no "name / length / hex" header'));
  const hex = m[3]!.replace(/\s+/g, '');
  const length = Number(m[2]);
  if (hex.length !== length * 2)
    throw new MalformedInputError(
      'png',
      said('err.fmt.rawProfileDeclaresBytes', 'raw profile declares {v1} bytes but holds {v2}', { v1: length, v2: hex.length / 2 }),
    );
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
/** Keyword of a bare GB 45438 JSON label in a text chunk. */
export const AIGC_KEYWORD = 'AIGC';
const INTERESTING = new Set(['caBX', 'iTXt', 'tEXt', 'zTXt', 'eXIf']);
const HEAD_BYTES = 96;

/** A chunk the handler may read or replace. */
export interface PngChunk {
  readonly type: string;
  readonly start: number;
  readonly length: number;
  readonly dataOffset: number;
  readonly end: number;
  /** Keyword of a text chunk ('' otherwise). */
  readonly keyword: string;
}

/** The chunk structure of a PNG. */
export interface PngLayout {
  readonly size: number;
  /** End of the IHDR chunk (where `caBX` goes). */
  readonly ihdrEnd: number;
  /** caBX, text and eXIf chunks in file order. */
  readonly chunks: readonly PngChunk[];
}

const IDAT = 0x49444154;

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

function keywordOf(head: Uint8Array): string {
  const nul = head.indexOf(0);
  return nul > 0 && nul < 80 ? String.fromCharCode(...head.subarray(0, nul)) : '';
}

/**
 * Walk every chunk from the signature to IEND (data after IEND is left alone).
 * @throws {MalformedInputError} for a bad signature, a first chunk other than IHDR, a bad type or length, or a missing IEND.
 * @throws {LimitExceededError} after MAX_SEGMENTS chunks.
 */
export async function walkPng(r: WindowReader): Promise<PngLayout> {
  if (r.size < 8 || !(await r.bytes(0, 8)).every((b, i) => b === PNG_SIGNATURE[i])) {
    throw new MalformedInputError('png', said('err.fmt.badPNGSignature', 'bad PNG signature'), 0);
  }
  const chunks: PngChunk[] = [];
  let ihdrEnd = 0;
  let pos = 8;
  for (let count = 1; ; count++) {
    if (count > MAX_SEGMENTS)
      throw new LimitExceededError('MAX_SEGMENTS', said('err.fmt.morePNGChunks', 'more than {MAX_SEGMENTS} PNG chunks', { MAX_SEGMENTS }));
    if (pos + 12 > r.size) throw new MalformedInputError('png', said('err.fmt.truncatedNoIENDChunk', 'truncated: no IEND chunk'), pos);
    const h = await r.bytes(pos, 8);
    const length = readU32be(h, 0);
    if (!isLetter(h[4]!) || !isLetter(h[5]!) || !isLetter(h[6]!) || !isLetter(h[7]!)) {
      throw new MalformedInputError(
        'png',
        said('err.fmt.badChunkType', 'bad chunk type {v1}', { v1: JSON.stringify(String.fromCharCode(...h.subarray(4, 8))) }),
        pos + 4,
      );
    }
    const code = readU32be(h, 4);
    const type = code === IDAT ? 'IDAT' : fourcc(h, 4);
    if (length > PNG_MAX_CHUNK)
      throw new MalformedInputError(
        'png',
        said('err.fmt.chunkLengthExceeds', 'chunk {type} length {v2} exceeds 2^31-1', { type, v2: length }),
        pos,
      );
    const end = pos + 12 + length;
    if (end > r.size)
      throw new MalformedInputError(
        'png',
        said('err.fmt.chunkBytesRunsPast2', 'chunk {type} of {v2} bytes runs past the end of the file', { type, v2: length }),
        pos,
      );
    if (count === 1) {
      if (type !== 'IHDR' || length !== 13)
        throw new MalformedInputError('png', said('err.fmt.firstChunkNotByte', 'first chunk is not a 13-byte IHDR'), pos);
      ihdrEnd = end;
    }
    if (INTERESTING.has(type)) {
      const keyword = type === 'caBX' || type === 'eXIf' ? '' : keywordOf(await r.bytes(pos + 8, Math.min(length, HEAD_BYTES)));
      chunks.push({ type, start: pos, length, dataOffset: pos + 8, end, keyword });
    }
    if (type === 'IEND') return { size: r.size, ihdrEnd, chunks };
    pos = end;
  }
}

/**
 * Read a chunk's data and check its CRC.
 * @throws {LimitExceededError} when the data is larger than `max`.
 * @throws {MalformedInputError} on a CRC mismatch.
 */
export async function readChunkData(r: WindowReader, c: PngChunk, max: number, limitName: string): Promise<Uint8Array> {
  if (c.length > max)
    throw new LimitExceededError(
      limitName,
      said('err.fmt.pngChunkBytesLarger', 'PNG {type} chunk of {v2} bytes is larger than {max}', { type: c.type, v2: c.length, max }),
    );
  const all = await r.bytes(c.start + 4, c.length + 8);
  const data = all.subarray(4, 4 + c.length);
  const stored = readU32be(all, 4 + c.length);
  if (crc32(all.subarray(0, 4 + c.length)) !== stored) {
    throw new MalformedInputError(
      'png',
      said('err.fmt.crcMismatchChunk', 'CRC mismatch in {type} chunk', { type: c.type }),
      c.start + 8 + c.length,
    );
  }
  return data;
}

/** A complete chunk: length, type, data, CRC over type+data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(latin1(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Inflate a zlib stream with an output cap (Compression Streams API: no Node-only imports).
 * @throws {LimitExceededError} when the output would exceed `cap`.
 * @throws {MalformedInputError} for corrupt compressed data.
 */
export async function inflateCapped(data: Uint8Array, cap: number): Promise<Uint8Array> {
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  writer.write(new Uint8Array(data)).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = ds.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw new LimitExceededError(
          'MAX_METADATA_BYTES',
          said('err.fmt.compressedTextInflatesMore', 'compressed text inflates to more than {cap} bytes', { cap }),
        );
      }
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof LimitExceededError) throw err;
    throw new MalformedInputError('png', said('err.fmt.corruptCompressedText', 'corrupt compressed text'), undefined, { cause: err });
  }
  return concatBytes(parts);
}

/** Decoded text chunk. */
export interface PngText {
  readonly keyword: string;
  readonly text: string;
}

/**
 * Decode a tEXt, zTXt or iTXt chunk's data (compressed text inflated with a cap).
 * @throws {MalformedInputError} for a missing separator or an unknown compression method.
 * @throws {LimitExceededError} for text above MAX_METADATA_BYTES.
 */
export async function decodeTextChunk(type: string, data: Uint8Array): Promise<PngText> {
  const bad = (key: string, reason: string): never => {
    throw new MalformedInputError('png', said(key, `{type}: ${reason}`, { type }));
  };
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79) bad('err.png.keyword', 'bad keyword');
  const keyword = String.fromCharCode(...data.subarray(0, nul));
  if (type === 'tEXt') return { keyword, text: decodeLatin1(data.subarray(nul + 1)) };
  if (type === 'zTXt') {
    if (data[nul + 1] !== 0) bad('err.png.method', 'unknown compression method');
    return { keyword, text: decodeLatin1(await inflateCapped(data.subarray(nul + 2), MAX_METADATA_BYTES)) };
  }
  const flag = data[nul + 1];
  const method = data[nul + 2];
  if (flag === undefined || method === undefined || flag > 1 || (flag === 1 && method !== 0))
    bad('err.png.flag', 'bad compression flag or method');
  const langEnd = data.indexOf(0, nul + 3);
  const tkwEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
  if (tkwEnd < 0) bad('err.png.lang', 'missing language tag or translated keyword');
  const body = data.subarray(tkwEnd + 1);
  const bytes = flag === 1 ? await inflateCapped(body, MAX_METADATA_BYTES) : body;
  return { keyword, text: new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '') };
}

/** Data of an uncompressed iTXt chunk (no language tag or translated keyword). */
export function itxtData(keyword: string, text: string): Uint8Array {
  const kw = latin1(keyword);
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(kw.length + 5 + body.length);
  out.set(kw, 0);
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL
  out.set(body, kw.length + 5);
  return out;
}

/** ISO-8859-1 decoding (TextDecoder's 'latin1' is windows-1252, which differs at 0x80–0x9F). */
function decodeLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
