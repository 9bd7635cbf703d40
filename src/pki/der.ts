/**
 * A small strict DER reader used in front of the ASN.1 schema parser. asn1js (under
 * `@peculiar/asn1-schema`) accepts BER; X.509 signatures are computed over DER, so we
 * reject indefinite lengths, non-minimal length octets, trailing bytes and values that
 * overrun their parent before handing bytes to the schema layer. It also lets us cut
 * the exact `tbsCertificate` / `tbsCertList` bytes out of the outer structure.
 */
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { MAX_DER_DEPTH } from '../binary/limits.ts';

/** One decoded tag-length-value header. */
export interface Tlv {
  /** The identifier octet (low-tag-number form only). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Content length in bytes. */
  readonly length: number;
  /** Offset just past the content. */
  readonly end: number;
  /** Whether the constructed bit (0x20) is set. */
  readonly constructed: boolean;
}

/**
 * Read one TLV header at `offset` inside `bytes[0, limit)`.
 * @throws {MalformedInputError} on high tag numbers, indefinite or non-minimal lengths, or overruns.
 */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length, format = 'DER'): Tlv {
  if (offset + 2 > limit) throw new MalformedInputError(format, said('err.pki.truncatedTLVHeader', 'truncated TLV header'), offset);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f)
    throw new MalformedInputError(format, said('err.pki.highTagNumberForm', 'high-tag-number form is not used in X.509'), offset);
  let pos = offset + 1;
  const first = bytes[pos++]!;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    throw new MalformedInputError(
      format,
      said('err.pki.indefiniteLengthNotAllowed', 'indefinite length is not allowed in DER'),
      offset + 1,
    );
  } else {
    const n = first & 0x7f;
    if (n > 6)
      throw new MalformedInputError(format, said('err.pki.lengthOctetsTooLarge', 'length of {n} octets is too large', { n }), offset + 1);
    if (pos + n > limit) throw new MalformedInputError(format, said('err.pki.truncatedLengthOctets', 'truncated length octets'), pos);
    if (bytes[pos] === 0)
      throw new MalformedInputError(format, said('err.pki.nonMinimalLengthEncoding', 'non-minimal length encoding (leading zero)'), pos);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[pos++]!;
    if (length < 0x80)
      throw new MalformedInputError(
        format,
        said('err.pki.nonMinimalLengthEncoding2', 'non-minimal length encoding (long form for short length)'),
        offset + 1,
      );
    if (length > Number.MAX_SAFE_INTEGER)
      throw new MalformedInputError(format, said('err.pki.lengthAboveMAXSAFE', 'length above MAX_SAFE_INTEGER'), offset + 1);
  }
  if (length > limit - pos)
    throw new MalformedInputError(
      format,
      said('err.pki.valueBytesOverrunsBytes', 'value of {v1} bytes overruns the {v2} bytes left', { v1: length, v2: limit - pos }),
      offset,
    );
  return { tag, start: offset, contentStart: pos, length, end: pos + length, constructed: (tag & 0x20) !== 0 };
}

/** Read the children of a constructed TLV. @throws {MalformedInputError} on bad children. */
export function readChildren(bytes: Uint8Array, parent: Tlv, format = 'DER'): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const child = readTlv(bytes, pos, parent.end, format);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/**
 * Check that `bytes` is exactly one DER value whose constructed parts are all well formed
 * (definite minimal lengths, children exactly filling their parent), nesting at most
 * {@link MAX_DER_DEPTH}. BOOLEAN and INTEGER primitives are checked for DER form too.
 * @throws {MalformedInputError} when the bytes are not strict DER.
 * @throws {LimitExceededError} when nesting exceeds MAX_DER_DEPTH.
 */
export function checkStrictDer(bytes: Uint8Array, format = 'DER'): Tlv {
  const top = readTlv(bytes, 0, bytes.length, format);
  if (top.end !== bytes.length)
    throw new MalformedInputError(
      format,
      said('err.pki.trailingBytesAfterDER', '{v1} trailing bytes after the DER value', { v1: bytes.length - top.end }),
      top.end,
    );
  walk(bytes, top, 1, format);
  return top;
}

function walk(bytes: Uint8Array, tlv: Tlv, depth: number, format: string): void {
  if (depth > MAX_DER_DEPTH) {
    throw new LimitExceededError(
      'MAX_DER_DEPTH',
      said('err.pki.derNestingDeeper', '{format}: DER nesting deeper than {MAX_DER_DEPTH}', { format, MAX_DER_DEPTH }),
    );
  }
  if (tlv.constructed) {
    for (const child of readChildren(bytes, tlv, format)) walk(bytes, child, depth + 1, format);
    return;
  }
  if (tlv.tag === 0x01) {
    const v = bytes[tlv.contentStart];
    if (tlv.length !== 1 || (v !== 0x00 && v !== 0xff))
      throw new MalformedInputError(format, said('err.pki.booleanNotDERMust', 'BOOLEAN is not DER (must be one byte 00 or FF)'), tlv.start);
  } else if (tlv.tag === 0x02) {
    if (tlv.length === 0) throw new MalformedInputError(format, said('err.pki.emptyINTEGER', 'empty INTEGER'), tlv.start);
    if (tlv.length > 1) {
      const a = bytes[tlv.contentStart]!;
      const b = bytes[tlv.contentStart + 1]!;
      if ((a === 0x00 && b < 0x80) || (a === 0xff && b >= 0x80)) {
        throw new MalformedInputError(format, said('err.pki.integerNotMinimallyEncoded', 'INTEGER is not minimally encoded'), tlv.start);
      }
    }
  }
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Copy an ArrayBuffer / view into a fresh Uint8Array. */
export function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/**
 * Hex of an INTEGER's content without the sign-padding zero bytes (serial numbers):
 * `00 8f 01` → `8f01`; zero stays `00`.
 */
export function integerHex(content: Uint8Array): string {
  let i = 0;
  while (i < content.length - 1 && content[i] === 0) i++;
  return toHex(content.subarray(i));
}

/** Encode one DER TLV (definite, minimal length) around `parts`. */
export function encodeTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const lenBytes: number[] = [];
    for (let v = length; v > 0; v = Math.floor(v / 256)) lenBytes.unshift(v % 256);
    header = [tag, 0x80 | lenBytes.length, ...lenBytes];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let pos = header.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
