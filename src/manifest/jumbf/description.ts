/**
 * The JUMBF description box `jumd`: 16-byte type UUID, toggle byte, then (per toggle)
 * a NUL-terminated UTF-8 label, a u32 ID, a 32-byte SHA-256 and one private box.
 */
import { InvalidArgumentError, MalformedInputError, said } from '../../errors.ts';
import { checkFourcc, encodeBox, encodeBoxOf, readBoxHeader } from './box.ts';
import { TOGGLE, type JumbfDescription } from './types.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8_ENC = new TextEncoder();

/**
 * Parse a `jumd` payload. `base` is the payload's offset in the enclosing buffer (for messages).
 * @throws {MalformedInputError} when a field the toggles announce is missing or bytes are left over.
 */
export function parseDescription(payload: Uint8Array, base = 0): JumbfDescription {
  if (payload.length < 17)
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.descriptionBoxTooShort', 'description box too short ({v1} bytes)', { v1: payload.length }),
      base,
    );
  const type = payload.slice(0, 16);
  const toggles = payload[16];
  let at = 17;
  let label: string | undefined;
  if (toggles & TOGGLE.LABEL) {
    const nul = payload.indexOf(0, at);
    if (nul < 0)
      throw new MalformedInputError('jumbf', said('err.c2pa.descriptionLabelNotNUL', 'description label is not NUL-terminated'), base + at);
    try {
      label = UTF8.decode(payload.subarray(at, nul));
    } catch (err) {
      throw new MalformedInputError('jumbf', said('err.c2pa.descriptionLabelNotValid', 'description label is not valid UTF-8'), base + at, {
        cause: err,
      });
    }
    at = nul + 1;
  }
  let id: number | undefined;
  if (toggles & TOGGLE.ID) {
    if (payload.length - at < 4)
      throw new MalformedInputError('jumbf', said('err.c2pa.descriptionIDTruncated', 'description ID truncated'), base + at);
    id = new DataView(payload.buffer, payload.byteOffset + at, 4).getUint32(0);
    at += 4;
  }
  let hash: Uint8Array | undefined;
  if (toggles & TOGGLE.HASH) {
    if (payload.length - at < 32)
      throw new MalformedInputError('jumbf', said('err.c2pa.descriptionHashTruncated', 'description hash truncated'), base + at);
    hash = payload.slice(at, at + 32);
    at += 32;
  }
  let privateBox: JumbfDescription['privateBox'];
  if (toggles & TOGGLE.PRIVATE) {
    const h = readBoxHeader(payload, at, payload.length);
    privateBox = { type: h.type, payload: payload.slice(at + h.headerLength, at + h.size) };
    at += h.size;
  }
  if (at !== payload.length) {
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.unexpectedBytesEndDescription', '{v1} unexpected bytes at the end of a description box', { v1: payload.length - at }),
      base + at,
    );
  }
  return { type, toggles, label, id, hash, privateBox };
}

/** Fields for writing a description box; toggles are derived from what is present. */
export interface DescriptionInput {
  readonly type: Uint8Array;
  readonly label?: string;
  /** Default true. */
  readonly requestable?: boolean;
  readonly id?: number;
  readonly hash?: Uint8Array;
  readonly privateBox?: { readonly type: string; readonly payload: Uint8Array };
}

/**
 * Encode a complete `jumd` box.
 * @throws {InvalidArgumentError} for a bad UUID, a label containing NUL, a bad ID or hash length.
 */
export function encodeDescription(d: DescriptionInput): Uint8Array {
  if (!(d.type instanceof Uint8Array) || d.type.length !== 16)
    throw InvalidArgumentError.expected('a 16-byte UUID', 'description.type', d.type);
  let toggles = d.requestable === false ? 0 : TOGGLE.REQUESTABLE;
  const parts: Uint8Array[] = [d.type, new Uint8Array(1)];
  if (d.label !== undefined) {
    if (typeof d.label !== 'string' || d.label.includes('\0'))
      throw InvalidArgumentError.expected('a label without NUL', 'description.label', d.label);
    toggles |= TOGGLE.LABEL;
    parts.push(UTF8_ENC.encode(d.label), new Uint8Array(1));
  }
  if (d.id !== undefined) {
    if (!Number.isInteger(d.id) || d.id < 0 || d.id > 0xffffffff) throw InvalidArgumentError.expected('a u32', 'description.id', d.id);
    toggles |= TOGGLE.ID;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, d.id);
    parts.push(b);
  }
  if (d.hash !== undefined) {
    if (!(d.hash instanceof Uint8Array) || d.hash.length !== 32)
      throw InvalidArgumentError.expected('32 bytes', 'description.hash', d.hash);
    toggles |= TOGGLE.HASH;
    parts.push(d.hash);
  }
  if (d.privateBox !== undefined) {
    checkFourcc(d.privateBox.type, 'description.privateBox.type');
    toggles |= TOGGLE.PRIVATE;
    parts.push(encodeBox(d.privateBox.type, d.privateBox.payload));
  }
  parts[1] = Uint8Array.of(toggles);
  return encodeBoxOf('jumd', parts);
}
