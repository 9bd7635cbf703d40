/**
 * Minimal EXIF (TIFF structure) access for the GB 45438 label that some tools write in
 * EXIF UserComment (tag 0x9286 in the Exif IFD, 8-byte character code then text, e.g.
 * `ASCII\0\0\0{"AIGC":{…}}`). Only IFD0 → Exif IFD → UserComment is followed; every
 * offset and count is checked against the buffer before use.
 */
import { MalformedInputError, type Said, said } from '../../errors.ts';

/** Tag of the Exif IFD pointer in IFD0. */
export const TAG_EXIF_IFD = 0x8769;
/** Tag of UserComment in the Exif IFD. */
export const TAG_USER_COMMENT = 0x9286;
/** Prefix of a JPEG APP1 EXIF payload. */
export const JPEG_EXIF_HEADER = new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0]);
/** The 8-byte character code for ASCII UserComments. */
export const USER_COMMENT_ASCII = new Uint8Array([0x41, 0x53, 0x43, 0x49, 0x49, 0, 0, 0]);

/** A UserComment located in a TIFF buffer. */
export interface UserComment {
  /** Decoded text without the character code and trailing NULs/spaces. */
  readonly text: string;
  /** Character code named by the first 8 bytes. */
  readonly charset: 'ascii' | 'unicode' | 'jis' | 'undefined' | 'unknown';
  /** Offset of the value (character code included) within the TIFF buffer. */
  readonly valueOffset: number;
  /** Value length in bytes. */
  readonly count: number;
}

interface Tiff {
  readonly b: Uint8Array;
  readonly le: boolean;
}

function u16(t: Tiff, at: number): number {
  return t.le ? t.b[at]! | (t.b[at + 1]! << 8) : (t.b[at]! << 8) | t.b[at + 1]!;
}

function u32(t: Tiff, at: number): number {
  return t.le
    ? (t.b[at]! | (t.b[at + 1]! << 8) | (t.b[at + 2]! << 16)) + t.b[at + 3]! * 0x1000000
    : t.b[at]! * 0x1000000 + ((t.b[at + 1]! << 16) | (t.b[at + 2]! << 8) | t.b[at + 3]!);
}

function bad(msg: Said, at?: number): never {
  throw new MalformedInputError('exif', msg, at);
}

/** Find `tag` in the IFD at `ifd`; returns the entry offset or undefined. */
function findEntry(t: Tiff, ifd: number, tag: number): number | undefined {
  if (ifd < 8 || ifd + 2 > t.b.length)
    bad(said('err.exif.ifdOffset', 'IFD offset {ifd} outside the {size}-byte TIFF', { ifd, size: t.b.length }), ifd);
  const count = u16(t, ifd);
  if (ifd + 2 + count * 12 > t.b.length) bad(said('err.exif.ifdEntries', 'IFD with {count} entries runs past the end', { count }), ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (u16(t, e) === tag) return e;
  }
  return undefined;
}

/**
 * Locate and decode the UserComment of a TIFF/EXIF buffer (without the JPEG `Exif\0\0` prefix).
 * @returns undefined when there is no Exif IFD or no UserComment.
 * @throws {MalformedInputError} when offsets or counts point outside the buffer.
 */
export function findUserComment(tiff: Uint8Array): UserComment | undefined {
  if (tiff.length < 8) bad(said('err.exif.header', 'TIFF header truncated'), 0);
  const order = String.fromCharCode(tiff[0]!, tiff[1]!);
  if (order !== 'II' && order !== 'MM') bad(said('err.exif.order', 'bad TIFF byte order mark'), 0);
  const t: Tiff = { b: tiff, le: order === 'II' };
  if (u16(t, 2) !== 42) bad(said('err.exif.magic', 'bad TIFF magic'), 2);
  const ptr = findEntry(t, u32(t, 4), TAG_EXIF_IFD);
  if (ptr === undefined) return undefined;
  const uc = findEntry(t, u32(t, ptr + 8), TAG_USER_COMMENT);
  if (uc === undefined) return undefined;
  const type = u16(t, uc + 2);
  if (type !== 7 && type !== 2 && type !== 1) bad(said('err.exif.ucType', 'UserComment has TIFF type {type}', { type }), uc);
  const count = u32(t, uc + 4);
  const valueOffset = count <= 4 ? uc + 8 : u32(t, uc + 8);
  if (valueOffset + count > tiff.length)
    bad(said('err.exif.ucPastEnd', 'UserComment of {count} bytes at {offset} runs past the end', { count, offset: valueOffset }), uc);
  const value = tiff.subarray(valueOffset, valueOffset + count);
  const code = count >= 8 ? String.fromCharCode(...value.subarray(0, 8)) : '';
  let charset: UserComment['charset'] = 'unknown';
  let text: string;
  if (code === 'ASCII\0\0\0') charset = 'ascii';
  else if (code === 'UNICODE\0') charset = 'unicode';
  else if (code === 'JIS\0\0\0\0\0') charset = 'jis';
  else if (code === '\0\0\0\0\0\0\0\0') charset = 'undefined';
  const body = charset === 'unknown' ? value : value.subarray(8);
  if (charset === 'unicode') {
    const bom = body.length >= 2 ? (body[0]! << 8) | body[1]! : 0;
    const le = bom === 0xfffe ? true : bom === 0xfeff ? false : t.le;
    text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(body.subarray(0, body.length & ~1));
  } else {
    text = new TextDecoder('utf-8').decode(body);
  }
  text = text.replace(/^\uFEFF/, '').replace(/[\0\s]+$/, '');
  return { text, charset, valueOffset, count };
}

/**
 * A copy of `tiff` with the UserComment value cleared (ASCII character code, then NULs).
 * Sizes and offsets are unchanged, so the surrounding container needs no other edit.
 */
export function blankUserComment(tiff: Uint8Array, uc: UserComment): Uint8Array {
  const out = new Uint8Array(tiff); // a copy (Buffer#slice would be a view)
  out.fill(0, uc.valueOffset, uc.valueOffset + uc.count);
  if (uc.count >= 8) out.set(USER_COMMENT_ASCII, uc.valueOffset);
  return out;
}
