/**
 * Vorbis comment structure (as stored in a FLAC `VORBIS_COMMENT` metadata block, which
 * has no framing bit): vendor string plus `KEY=value` entries, all lengths u32 LE.
 * Entries are kept as raw bytes so that rewriting never alters comments we do not touch.
 *
 * Spec: xiph.org Vorbis I §5 (comment header); RFC 9639 §8.6 (FLAC). GB 45438 label:
 * `AIGC=<json>` per TC260-PG-202510A appendices C–E.
 */
import { MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';

/** A parsed comment block. */
export interface VorbisComment {
  /** Vendor string bytes (UTF-8). */
  readonly vendor: Uint8Array;
  /** Entries as raw `KEY=value` UTF-8 bytes, in order. */
  readonly comments: readonly Uint8Array[];
}

/** The field name used for the GB 45438 label. */
export const AIGC_COMMENT_KEY = 'AIGC';

const FORMAT = 'vorbis-comment';

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/**
 * Parse a comment block. `base` is the block's offset in the file, for error positions.
 * @throws {MalformedInputError} when a length runs past the block.
 * @throws {LimitExceededError} past {@link MAX_SEGMENTS} entries.
 */
export function parseVorbisComment(data: Uint8Array, base = 0): VorbisComment {
  let at = 0;
  const need = (n: number, what: string) => {
    if (n > data.length - at)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.bytesRunsPastBlock', '{what} of {n} bytes runs past the block ({v3} left)', { what, n, v3: data.length - at }),
        base + at,
      );
  };
  need(4, 'vendor length');
  const vendorLength = u32le(data, at);
  at += 4;
  need(vendorLength, 'vendor string');
  const vendor = data.slice(at, at + vendorLength);
  at += vendorLength;
  need(4, 'comment count');
  const count = u32le(data, at);
  at += 4;
  if (count > MAX_SEGMENTS)
    throw new LimitExceededError('MAX_SEGMENTS', said('err.fmt.vorbisComments', '{count} Vorbis comments', { count }));
  if (count > (data.length - at) / 4)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.commentsCannotFitBytes', '{count} comments cannot fit in {v2} bytes', { count, v2: data.length - at }),
      base + at - 4,
    );
  const comments: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    need(4, 'comment length');
    const n = u32le(data, at);
    at += 4;
    need(n, `comment ${i}`);
    comments.push(data.slice(at, at + n));
    at += n;
  }
  return { vendor, comments };
}

/** Serialise a comment block (no framing bit, as FLAC stores it). */
export function serializeVorbisComment(vc: VorbisComment): Uint8Array {
  const size = 8 + vc.vendor.length + vc.comments.reduce((n, c) => n + 4 + c.length, 0);
  const out = new Uint8Array(size);
  const put32 = (at: number, v: number) => {
    out[at] = v & 0xff;
    out[at + 1] = (v >>> 8) & 0xff;
    out[at + 2] = (v >>> 16) & 0xff;
    out[at + 3] = (v >>> 24) & 0xff;
  };
  let at = 0;
  put32(at, vc.vendor.length);
  out.set(vc.vendor, 4);
  at = 4 + vc.vendor.length;
  put32(at, vc.comments.length);
  at += 4;
  for (const c of vc.comments) {
    put32(at, c.length);
    out.set(c, at + 4);
    at += 4 + c.length;
  }
  return out;
}

/** Field name of an entry (the part before `=`, upper-cased as field names are case-insensitive). */
export function commentKey(entry: Uint8Array): string {
  const eq = entry.indexOf(0x3d);
  return new TextDecoder().decode(eq < 0 ? entry : entry.subarray(0, eq)).toUpperCase();
}

/** Value of an entry (after the first `=`), decoded as UTF-8. */
export function commentValue(entry: Uint8Array): string {
  const eq = entry.indexOf(0x3d);
  return eq < 0 ? '' : new TextDecoder().decode(entry.subarray(eq + 1));
}

/** Values of every entry whose field name is `key` (case-insensitive). */
export function commentValues(vc: VorbisComment, key: string): string[] {
  const k = key.toUpperCase();
  return vc.comments.filter((c) => commentKey(c) === k).map(commentValue);
}

/**
 * A copy of `vc` without any `key` entries and, when `value` is given, with one new
 * `key=value` entry appended (replace, never append a second one).
 */
export function replaceComment(vc: VorbisComment, key: string, value: string | undefined): VorbisComment {
  const k = key.toUpperCase();
  const comments = vc.comments.filter((c) => commentKey(c) !== k);
  if (value !== undefined) comments.push(new TextEncoder().encode(`${key}=${value}`));
  return { vendor: vc.vendor, comments };
}
