/**
 * ID3v2 tag reader (v2.2, v2.3, v2.4) shared by the MP3 and FLAC handlers.
 *
 * Tags are walked frame by frame through a {@link ByteSource}; frame data is only
 * read for the frames a caller asks about (`TXXX`, `GEOB`). Whole-tag
 * unsynchronisation (v2.2/v2.3) is undone in memory up to {@link MAX_ID3_UNSYNC_BYTES}
 * and lazily above it (`id3-unsync.ts`: a checkpoint index, bounded memory). Sync-safe sizes are validated: a size byte with its
 * high bit set is a {@link MalformedInputError}.
 *
 * Spec: id3.org ID3v2.3.0 and ID3v2.4.0 (structure + frames), ID3v2.2 (informal).
 */
import { BufferSource, checkRange, type ByteSource } from '../../binary/byte-source.ts';
import { MAX_ID3_TAGS, MAX_ID3_UNSYNC_BYTES, MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { openUnsynchronised } from './id3-unsync.ts';
import { WindowReader } from './window-reader.ts';

/** One frame header as found in a tag body. */
export interface Id3Frame {
  /** Frame id: four characters (three for v2.2). */
  readonly id: string;
  /** Offset of the frame header within the tag body ({@link Id3Tag.body}). */
  readonly offset: number;
  /** Header length: 10 (6 for v2.2). */
  readonly headerLength: number;
  /** Stored data size (after the header). */
  readonly size: number;
  /** The two flag bytes as a 16-bit number (0 for v2.2). */
  readonly flags: number;
}

/** A parsed ID3v2 tag. */
export interface Id3Tag {
  /** Absolute offset of `ID3` in the source. */
  readonly offset: number;
  /** Major version: 2, 3 or 4. */
  readonly version: 2 | 3 | 4;
  /** Header flag byte. */
  readonly flags: number;
  /** Total bytes: header, body and footer. */
  readonly length: number;
  /** Whether the header's unsynchronisation flag is set. */
  readonly unsynchronised: boolean;
  /** The tag body after the 10-byte header (de-unsynchronised when the whole tag was). */
  readonly body: ByteSource;
  /** Whether body offsets map to source offsets as `offset + 10 + bodyOffset`. */
  readonly bodyInSource: boolean;
  /** Frames in order (empty for a v2.2 tag with its compression flag). */
  readonly frames: readonly Id3Frame[];
  /** True for a v2.2 tag whose frames cannot be read (compression flag). */
  readonly opaque: boolean;
}

/** Per-frame format flags, normalised over v2.3 and v2.4. */
export interface FrameFormat {
  readonly grouping: boolean;
  readonly compression: boolean;
  readonly encryption: boolean;
  readonly unsync: boolean;
  readonly dataLengthIndicator: boolean;
}

const FORMAT = 'id3';

/** Whether `b` holds an ID3v2 header start (`ID3` + plausible version) at `at`. Never throws. */
export function isId3Header(b: Uint8Array, at = 0): boolean {
  return b.length - at >= 5 && b[at] === 0x49 && b[at + 1] === 0x44 && b[at + 2] === 0x33 && b[at + 3]! < 0xff && b[at + 4]! < 0xff;
}

/** Total length of the ID3v2 tag whose 10-byte header is at `at`, or undefined if it is not one. Never throws. */
export function id3TagLength(b: Uint8Array, at = 0): number | undefined {
  if (b.length - at < 10 || !isId3Header(b, at)) return undefined;
  for (let i = 6; i < 10; i++) if (b[at + i]! & 0x80) return undefined;
  const size = decodeSyncsafe(b, at + 6);
  return 10 + size + (b[at + 3] === 4 && b[at + 5]! & 0x10 ? 10 : 0);
}

/** Decode a 4-byte sync-safe integer (caller validated the high bits). */
export function decodeSyncsafe(b: Uint8Array, at: number): number {
  return (b[at]! << 21) | (b[at + 1]! << 14) | (b[at + 2]! << 7) | b[at + 3]!;
}

/**
 * Read a sync-safe integer.
 * @throws {MalformedInputError} when a byte has its high bit set.
 */
export function readSyncsafe(b: Uint8Array, at: number, what: string, offset: number): number {
  for (let i = 0; i < 4; i++) {
    if (b[at + i]! & 0x80)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.badSyncSafeByte', 'bad sync-safe {what}: byte 0x{v2} has its high bit set', { what, v2: b[at + i]!.toString(16) }),
        offset + i,
      );
  }
  return decodeSyncsafe(b, at);
}

/** Undo unsynchronisation: every `FF 00` becomes `FF`. */
export function deunsynchronise(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    out[n++] = b[i]!;
    if (b[i] === 0xff && b[i + 1] === 0x00) i++;
  }
  return out.subarray(0, n);
}

/** A window `[base, base+size)` of `src` as a source. */
function viewOf(src: ByteSource, base: number, size: number): ByteSource {
  return {
    size,
    read(o: number, l: number): Promise<Uint8Array> {
      checkRange(size, o, l, FORMAT);
      return src.read(base + o, l);
    },
  };
}

/**
 * Parse the ID3v2 tag at `offset`.
 * @throws {MalformedInputError} for a bad version, bad sync-safe size, truncation, bad frame ids or sizes.
 * @throws {LimitExceededError} past {@link MAX_SEGMENTS}.
 */
export async function readId3Tag(src: ByteSource, offset: number): Promise<Id3Tag> {
  const h = await src.read(offset, 10);
  if (!isId3Header(h)) throw new MalformedInputError(FORMAT, said('err.fmt.noID3v2Header', 'no ID3v2 header'), offset);
  const version = h[3]!;
  if (version !== 2 && version !== 3 && version !== 4)
    throw new MalformedInputError(FORMAT, said('err.fmt.unsupportedID3v2Tag', 'unsupported ID3v2.{version} tag', { version }), offset + 3);
  const flags = h[5]!;
  const size = readSyncsafe(h, 6, 'tag size', offset + 6);
  const length = 10 + size + (version === 4 && flags & 0x10 ? 10 : 0);
  if (length > src.size - offset)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.tagBytesRunsPast', 'tag of {v1} bytes runs past the end ({v2} bytes left)', { v1: length, v2: src.size - offset }),
      offset,
    );
  const unsynchronised = (flags & 0x80) !== 0;
  let body = viewOf(src, offset + 10, size);
  let bodyInSource = true;
  if (unsynchronised && version < 4) {
    // Small tags are decoded in memory; larger ones through a checkpoint index (bounded memory).
    body =
      size <= MAX_ID3_UNSYNC_BYTES
        ? new BufferSource(deunsynchronise(await src.read(offset + 10, size)))
        : await openUnsynchronised(src, offset + 10, size);
    bodyInSource = false;
  }
  const base = { offset, version, flags, length, unsynchronised, body, bodyInSource } as const;
  if (version === 2 && flags & 0x40) return { ...base, frames: [], opaque: true };
  const r = new WindowReader(body, FORMAT);
  let pos = 0;
  if (version > 2 && flags & 0x40) pos = await extendedHeaderLength(r, version, offset);
  return { ...base, frames: await walkFrames(r, version, pos, offset), opaque: false };
}

async function extendedHeaderLength(r: WindowReader, version: number, tagOffset: number): Promise<number> {
  const b = await r.bytes(0, 4);
  const len =
    version === 3
      ? 4 + (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!)
      : readSyncsafe(b, 0, 'extended header size', tagOffset + 10);
  if (len < 6 || len > r.size)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.extendedHeaderBytesDoes', 'extended header of {len} bytes does not fit the tag', { len }),
      tagOffset + 10,
    );
  return len;
}

async function walkFrames(r: WindowReader, version: number, start: number, tagOffset: number): Promise<Id3Frame[]> {
  const headerLength = version === 2 ? 6 : 10;
  const idLength = version === 2 ? 3 : 4;
  const frames: Id3Frame[] = [];
  let pos = start;
  while (r.size - pos >= headerLength) {
    const h = await r.bytes(pos, headerLength);
    if (h[0] === 0) break; // padding
    const id = decodeText(h.subarray(0, idLength), 0);
    if (!/^[A-Z0-9]+$/.test(id))
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.invalidFrameId', 'invalid frame id {v1}', { v1: JSON.stringify(id) }),
        tagOffset + 10 + pos,
      );
    if (frames.length >= MAX_SEGMENTS)
      throw new LimitExceededError('MAX_SEGMENTS', said('err.fmt.moreID3Frames', 'more than {MAX_SEGMENTS} ID3 frames', { MAX_SEGMENTS }));
    let size: number;
    if (version === 2) size = (h[3]! << 16) | (h[4]! << 8) | h[5]!;
    else if (version === 3) size = ((h[4]! << 24) >>> 0) + (h[5]! << 16) + (h[6]! << 8) + h[7]!;
    else size = readSyncsafe(h, 4, `size of frame ${id}`, tagOffset + 10 + pos + 4);
    if (size > r.size - pos - headerLength) {
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.frameBytesRunsPast', 'frame {id} of {size} bytes runs past the end of the tag', { id, size }),
        tagOffset + 10 + pos,
      );
    }
    frames.push({ id, offset: pos, headerLength, size, flags: version === 2 ? 0 : (h[8]! << 8) | h[9]! });
    pos += headerLength + size;
  }
  return frames;
}

/**
 * Read the leading ID3v2 tags of a file (several may follow each other).
 * @returns the tags and the offset just past the last one (0 when there is none).
 * @throws {MalformedInputError} as {@link readId3Tag}, or for a header cut short.
 * @throws {LimitExceededError} past {@link MAX_ID3_TAGS}.
 */
export async function readLeadingId3Tags(src: ByteSource): Promise<{ tags: Id3Tag[]; end: number }> {
  const tags: Id3Tag[] = [];
  let pos = 0;
  while (src.size - pos >= 3) {
    const magic = await src.read(pos, 3);
    if (magic[0] !== 0x49 || magic[1] !== 0x44 || magic[2] !== 0x33) break;
    if (tags.length >= MAX_ID3_TAGS)
      throw new LimitExceededError(
        'MAX_ID3_TAGS',
        said('err.fmt.moreConsecutiveID3Tags', 'more than {MAX_ID3_TAGS} consecutive ID3 tags', { MAX_ID3_TAGS }),
      );
    const tag = await readId3Tag(src, pos);
    tags.push(tag);
    pos += tag.length;
  }
  return { tags, end: pos };
}

/** Normalised format flags of a frame. */
export function frameFormat(tag: Id3Tag, frame: Id3Frame): FrameFormat {
  const f = frame.flags & 0xff;
  if (tag.version === 3)
    return { compression: !!(f & 0x80), encryption: !!(f & 0x40), grouping: !!(f & 0x20), unsync: false, dataLengthIndicator: false };
  if (tag.version === 4) {
    return {
      grouping: !!(f & 0x40),
      compression: !!(f & 0x08),
      encryption: !!(f & 0x04),
      unsync: !!(f & 0x02) || tag.unsynchronised,
      dataLengthIndicator: !!(f & 0x01),
    };
  }
  return { grouping: false, compression: false, encryption: false, unsync: false, dataLengthIndicator: false };
}

/** Whether the frame's data lies in the source unchanged (no prefix fields, no unsynchronisation). */
export function isPlainFrame(tag: Id3Tag, frame: Id3Frame): boolean {
  const f = frameFormat(tag, frame);
  return !f.grouping && !f.compression && !f.encryption && !f.unsync && !f.dataLengthIndicator;
}

/**
 * The frame's content (data with prefix fields removed and unsynchronisation undone),
 * or `undefined` for compressed or encrypted frames, which are not decoded.
 * At most `want` bytes are read for a plain frame.
 * @throws {LimitExceededError} when a frame that must be decoded whole exceeds `max` (named `limitName`).
 * @throws {MalformedInputError} when prefix fields do not fit the frame.
 */
export async function frameContent(
  tag: Id3Tag,
  frame: Id3Frame,
  want: number,
  max: number,
  limitName: string,
): Promise<Uint8Array | undefined> {
  const f = frameFormat(tag, frame);
  if (f.compression || f.encryption) return undefined;
  const dataAt = frame.offset + frame.headerLength;
  if (isPlainFrame(tag, frame)) {
    const n = Math.min(want, frame.size);
    if (n > max)
      throw new LimitExceededError(
        limitName,
        said('err.fmt.id3FrameBytes', 'ID3 frame {id} of {size} bytes', { id: frame.id, size: frame.size }),
      );
    return tag.body.read(dataAt, n);
  }
  if (frame.size > max)
    throw new LimitExceededError(
      limitName,
      said('err.fmt.id3FrameBytes', 'ID3 frame {id} of {size} bytes', { id: frame.id, size: frame.size }),
    );
  let data = await tag.body.read(dataAt, frame.size);
  const skip = (f.grouping ? 1 : 0) + (f.dataLengthIndicator ? 4 : 0);
  if (skip > data.length)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.frameTooShortFlag', 'frame {id} too short for its flag fields', { id: frame.id }),
      tag.offset + 10 + dataAt,
    );
  data = data.subarray(skip);
  if (f.unsync) data = deunsynchronise(data);
  return data.subarray(0, Math.min(want, data.length));
}

/** Text encodings of ID3v2 (0 Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8). */
export type Id3Encoding = 0 | 1 | 2 | 3;

/** Decode text in an ID3 encoding (a missing or bad BOM in encoding 1 reads as little-endian). */
export function decodeText(b: Uint8Array, enc: number): string {
  if (enc === 0) {
    let s = '';
    for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
    return s;
  }
  if (enc === 3) return new TextDecoder().decode(b);
  if (enc === 1 && b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  if (enc === 1 && b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  return new TextDecoder(enc === 2 ? 'utf-16be' : 'utf-16le').decode(b);
}

/** Index of the string terminator from `at` (`00`, or `00 00` on an even step for UTF-16), or -1. */
export function findTerminator(b: Uint8Array, at: number, enc: number): number {
  if (enc === 1 || enc === 2) {
    for (let i = at; i + 1 < b.length; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
    return -1;
  }
  return b.indexOf(0, at);
}

/**
 * Split a `TXXX` frame's content into description and value (the value up to its
 * first terminator).
 * @throws {MalformedInputError} for an unknown encoding or a missing description terminator.
 */
export function decodeTxxx(content: Uint8Array): { description: string; value: string } {
  const enc = content[0] ?? 0;
  if (enc > 3)
    throw new MalformedInputError(FORMAT, said('err.fmt.txxxTextEncodingUnknown', 'TXXX text encoding {enc} is unknown', { enc }));
  const t = findTerminator(content, 1, enc);
  if (t < 0) throw new MalformedInputError(FORMAT, said('err.fmt.txxxDescriptionNotTerminated', 'TXXX description is not terminated'));
  const width = enc === 1 || enc === 2 ? 2 : 1;
  const rest = content.subarray(t + width);
  const end = findTerminator(rest, 0, enc);
  return { description: decodeText(content.subarray(1, t), enc), value: decodeText(end < 0 ? rest : rest.subarray(0, end), enc) };
}

/** The header fields of a `GEOB` frame and where its object starts within the content. */
export interface GeobHeader {
  readonly mime: string;
  readonly filename: string;
  readonly description: string;
  /** Offset of the encapsulated object within the frame content. */
  readonly objectOffset: number;
}

/**
 * Parse the header of a `GEOB` frame from (a prefix of) its content.
 * @returns undefined when the prefix does not hold the whole header.
 * @throws {MalformedInputError} for an unknown text encoding.
 */
export function decodeGeobHeader(content: Uint8Array): GeobHeader | undefined {
  const enc = content[0] ?? 0;
  if (enc > 3)
    throw new MalformedInputError(FORMAT, said('err.fmt.geobTextEncodingUnknown', 'GEOB text encoding {enc} is unknown', { enc }));
  const width = enc === 1 || enc === 2 ? 2 : 1;
  const m = content.indexOf(0, 1);
  if (m < 0) return undefined;
  const f = findTerminator(content, m + 1, enc);
  if (f < 0) return undefined;
  const d = findTerminator(content, f + width, enc);
  if (d < 0) return undefined;
  return {
    mime: decodeText(content.subarray(1, m), 0),
    filename: decodeText(content.subarray(m + 1, f), enc),
    description: decodeText(content.subarray(f + width, d), enc),
    objectOffset: d + width,
  };
}
