/**
 * ID3v2.4 writing: frame and tag encoding, and conversion of frames read from an
 * existing v2.2/v2.3/v2.4 tag into v2.4 frames, as parts (large frames such as
 * cover art are copied from the source, never loaded).
 *
 * Spec: id3.org ID3v2.4.0 structure §3–4; ID3v2.3.0 §3.3 (frame flags); ID3v2.2 frame ids.
 */
import { concatBytes } from '../../binary/bytes.ts';
import type { Part } from '../../binary/parts.ts';
import { MAX_ID3_TAG_SIZE } from '../../binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, UnsupportedFormatError, said } from '../../errors.ts';
import type { Id3Frame, Id3Tag } from './id3.ts';

/** Encode `n` (< 2^28) as a 4-byte sync-safe integer. @throws {InvalidArgumentError} when out of range. */
export function syncsafeBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_ID3_TAG_SIZE)
    throw InvalidArgumentError.expected(`an integer between 0 and ${MAX_ID3_TAG_SIZE}`, 'sync-safe size', n);
  return Uint8Array.of((n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f);
}

/** A v2.4 frame header for `id` with a payload of `size` bytes. */
export function frameHeaderV24(id: string, size: number, flags = 0): Uint8Array {
  if (!/^[A-Z0-9]{4}$/.test(id)) throw InvalidArgumentError.expected('a four-character ID3v2.4 frame id', 'id', id);
  const h = new Uint8Array(10);
  for (let i = 0; i < 4; i++) h[i] = id.charCodeAt(i);
  h.set(syncsafeBytes(size), 4);
  h[8] = (flags >>> 8) & 0xff;
  h[9] = flags & 0xff;
  return h;
}

/** A complete v2.4 frame: header + payload. */
export function frameV24(id: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(10 + payload.length);
  out.set(frameHeaderV24(id, payload.length), 0);
  out.set(payload, 10);
  return out;
}

/** The 10-byte v2.4 tag header (no flags) for a body of `bodySize` bytes. @throws {LimitExceededError} past {@link MAX_ID3_TAG_SIZE}. */
export function tagHeaderV24(bodySize: number): Uint8Array {
  if (bodySize > MAX_ID3_TAG_SIZE)
    throw new LimitExceededError('MAX_ID3_TAG_SIZE', said('err.fmt.id3v2TagBodyBytes', 'ID3v2 tag body of {bodySize} bytes', { bodySize }));
  const h = Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0);
  h.set(syncsafeBytes(bodySize), 6);
  return h;
}

/** `TXXX` payload in UTF-8 (encoding byte 3): description, NUL, value. */
export function txxxPayload(description: string, value: string): Uint8Array {
  const d = new TextEncoder().encode(description);
  const v = new TextEncoder().encode(value);
  const out = new Uint8Array(2 + d.length + v.length);
  out[0] = 3;
  out.set(d, 1);
  out.set(v, 2 + d.length);
  return out;
}

/** The part of a `GEOB` payload before the object: encoding 3, MIME, filename and description, each NUL-terminated. */
export function geobPrefix(mime: string, filename: string, description: string): Uint8Array {
  const enc = new TextEncoder();
  const fields = [enc.encode(mime), enc.encode(filename), enc.encode(description)];
  const out = new Uint8Array(1 + fields.reduce((n, f) => n + f.length + 1, 0));
  out[0] = 3;
  let at = 1;
  for (const f of fields) {
    out.set(f, at);
    at += f.length + 1;
  }
  return out;
}

/** ID3v2.2 frame ids with the same payload layout in v2.4 (PIC is converted separately). */
const V22_TO_V24: Record<string, string> = {
  BUF: 'RBUF',
  CNT: 'PCNT',
  COM: 'COMM',
  CRA: 'AENC',
  ETC: 'ETCO',
  GEO: 'GEOB',
  IPL: 'TIPL',
  MCI: 'MCDI',
  MLL: 'MLLT',
  POP: 'POPM',
  REV: 'RVRB',
  SLT: 'SYLT',
  STC: 'SYTC',
  TAL: 'TALB',
  TBP: 'TBPM',
  TCM: 'TCOM',
  TCO: 'TCON',
  TCR: 'TCOP',
  TDA: 'TDAT',
  TDY: 'TDLY',
  TEN: 'TENC',
  TFT: 'TFLT',
  TIM: 'TIME',
  TKE: 'TKEY',
  TLA: 'TLAN',
  TLE: 'TLEN',
  TMT: 'TMED',
  TOA: 'TOPE',
  TOF: 'TOFN',
  TOL: 'TOLY',
  TOR: 'TDOR',
  TOT: 'TOAL',
  TP1: 'TPE1',
  TP2: 'TPE2',
  TP3: 'TPE3',
  TP4: 'TPE4',
  TPA: 'TPOS',
  TPB: 'TPUB',
  TRC: 'TSRC',
  TRD: 'TRDA',
  TRK: 'TRCK',
  TSI: 'TSIZ',
  TSS: 'TSSE',
  TT1: 'TIT1',
  TT2: 'TIT2',
  TT3: 'TIT3',
  TXT: 'TEXT',
  TXX: 'TXXX',
  TYE: 'TYER',
  UFI: 'UFID',
  ULT: 'USLT',
  WAF: 'WOAF',
  WAR: 'WOAR',
  WAS: 'WOAS',
  WCM: 'WCOM',
  WCP: 'WCOP',
  WPB: 'WPUB',
  WXX: 'WXXX',
};

/** `n` bytes of a frame's stored data starting `at` bytes in, as a part (copied when the body maps to the source). */
async function dataPart(tag: Id3Tag, frame: Id3Frame, at: number, n: number): Promise<Part> {
  const bodyOffset = frame.offset + frame.headerLength + at;
  if (tag.bodyInSource) return { copy: { offset: tag.offset + 10 + bodyOffset, length: n } };
  return { bytes: await tag.body.read(bodyOffset, n) };
}

/**
 * An existing frame as v2.4 parts (header + payload). v2.4 frames are copied; v2.3
 * frames get a sync-safe size and re-mapped flags and prefix fields; v2.2 frames are
 * renamed (and `PIC` becomes `APIC`).
 * @throws {UnsupportedFormatError} for a v2.2 frame with no v2.4 equivalent.
 * @throws {MalformedInputError} when prefix fields do not fit the frame.
 */
export async function frameAsV24(tag: Id3Tag, frame: Id3Frame): Promise<Part[]> {
  if (tag.version === 4) {
    if (!tag.unsynchronised || frame.flags & 0x02) return [await dataPart(tag, frame, -10, 10 + frame.size)];
    return [{ bytes: frameHeaderV24(frame.id, frame.size, frame.flags | 0x02) }, await dataPart(tag, frame, 0, frame.size)];
  }
  if (tag.version === 3) return v23AsV24(tag, frame);
  if (frame.id === 'PIC') return picAsApic(tag, frame);
  const id = V22_TO_V24[frame.id];
  if (!id)
    throw new UnsupportedFormatError(
      said('err.fmt.id3v2FrameHasNo', 'ID3v2.2 frame {id} has no ID3v2.4 equivalent; the tag cannot be rewritten', { id: frame.id }),
    );
  return [{ bytes: frameHeaderV24(id, frame.size) }, await dataPart(tag, frame, 0, frame.size)];
}

async function v23AsV24(tag: Id3Tag, frame: Id3Frame): Promise<Part[]> {
  const status = (frame.flags >>> 8) & 0xff;
  const fmt = frame.flags & 0xff;
  const comp = (fmt & 0x80) !== 0;
  const encr = (fmt & 0x40) !== 0;
  const group = (fmt & 0x20) !== 0;
  const prefixLength = (comp ? 4 : 0) + (encr ? 1 : 0) + (group ? 1 : 0);
  if (prefixLength > frame.size)
    throw new MalformedInputError(
      'id3',
      said('err.fmt.frameTooShortFlag', 'frame {id} too short for its flag fields', { id: frame.id }),
      tag.offset + 10 + frame.offset,
    );
  const prefix = prefixLength ? await tag.body.read(frame.offset + 10, prefixLength) : new Uint8Array(0);
  const out: number[] = [];
  let at = comp ? 4 : 0;
  const method = encr ? prefix[at++]! : 0;
  if (group) out.push(prefix[at]!);
  if (encr) out.push(method);
  if (comp) {
    const size = ((prefix[0]! << 24) >>> 0) + (prefix[1]! << 16) + (prefix[2]! << 8) + prefix[3]!;
    if (size > MAX_ID3_TAG_SIZE)
      throw new MalformedInputError(
        'id3',
        said('err.fmt.frameDecompressesBytes', 'frame {id} decompresses to {size} bytes', { id: frame.id, size }),
        tag.offset + 10 + frame.offset,
      );
    out.push(...syncsafeBytes(size));
  }
  const flags = (((status >>> 1) & 0x70) << 8) | (group ? 0x40 : 0) | (comp ? 0x09 : 0) | (encr ? 0x04 : 0);
  const rest = frame.size - prefixLength;
  return [
    { bytes: concat(frameHeaderV24(frame.id, out.length + rest, flags), Uint8Array.from(out)) },
    await dataPart(tag, frame, prefixLength, rest),
  ];
}

async function picAsApic(tag: Id3Tag, frame: Id3Frame): Promise<Part[]> {
  if (frame.size < 5)
    throw new MalformedInputError('id3', said('err.fmt.picFrameTooShort', 'PIC frame too short'), tag.offset + 10 + frame.offset);
  const head = await tag.body.read(frame.offset + 6, 5);
  const fmt = String.fromCharCode(head[1]!, head[2]!, head[3]!).toLowerCase();
  const mime = new TextEncoder().encode(`image/${fmt === 'jpg' ? 'jpeg' : fmt}`);
  const prefix = concat(Uint8Array.of(head[0]!), mime, Uint8Array.of(0, head[4]!));
  const rest = frame.size - 5;
  return [{ bytes: concat(frameHeaderV24('APIC', prefix.length + rest), prefix) }, await dataPart(tag, frame, 5, rest)];
}

/** Concatenate byte arrays (variadic form of {@link concatBytes}). */
export function concat(...arrays: Uint8Array[]): Uint8Array {
  return concatBytes(arrays);
}
