/**
 * Exact bytes of a CMS SignerInfo's signed attributes, found with a minimal bounds-checked
 * DER walk (the ASN.1 classes re-encode; a signature is over the stored bytes).
 * Path: ContentInfo › [0] › SignedData › signerInfos (SET) › first SignerInfo › [0] signedAttrs.
 */
import { MalformedInputError, said } from '../../errors.ts';

/** One DER tag-length-value. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the contents. */
  readonly body: number;
  /** Offset just past the contents. */
  readonly end: number;
}

/**
 * Read the TLV at `at` (short tags, lengths up to 4 bytes, bounded by `limit`).
 * @throws {MalformedInputError} when truncated or past `limit`.
 */
export function tlv(b: Uint8Array, at: number, limit: number): Tlv {
  if (limit - at < 2) throw new MalformedInputError('der', said('err.c2pa.truncatedTLV', 'truncated TLV'), at);
  const tag = b[at];
  if ((tag & 0x1f) === 0x1f)
    throw new MalformedInputError('der', said('err.c2pa.multiByteTagsAre', 'multi-byte tags are not supported'), at);
  let len = b[at + 1];
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || limit - body < n) throw new MalformedInputError('der', said('err.c2pa.badLength', 'bad length'), at);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[body + i];
    body += n;
  }
  if (len > limit - body) throw new MalformedInputError('der', said('err.c2pa.lengthPastEnd', 'length {len} past the end', { len }), at);
  return { tag, start: at, body, end: body + len };
}

/**
 * The TLVs inside a constructed TLV.
 * @throws {MalformedInputError} when one is truncated.
 */
export function children(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; ) {
    const t = tlv(b, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

/**
 * The DER of the first signer's signed attributes, re-tagged as `SET OF` (0x31) as they are
 * signed (RFC 5652 §5.4), or undefined when the signer has none.
 * @throws {MalformedInputError} when the token's outer structure is not walkable.
 */
export function signedAttributesDer(token: Uint8Array): Uint8Array | undefined {
  const ci = tlv(token, 0, token.length);
  const [, explicit] = children(token, ci);
  if (explicit?.tag !== 0xa0)
    throw new MalformedInputError('der', said('err.c2pa.contentinfoHasNoContent', 'ContentInfo has no [0] content'));
  const [sd] = children(token, explicit);
  if (sd?.tag !== 0x30) throw new MalformedInputError('der', said('err.c2pa.signeddataNotSEQUENCE', 'SignedData is not a SEQUENCE'));
  const parts = children(token, sd);
  const infos = parts[parts.length - 1];
  if (infos?.tag !== 0x31)
    throw new MalformedInputError('der', said('err.c2pa.signeddataHasNoSignerInfos', 'SignedData has no signerInfos SET'));
  const [si] = children(token, infos);
  if (!si) return undefined;
  const attrs = children(token, si).find((c) => c.tag === 0xa0);
  if (!attrs) return undefined;
  const out = token.slice(attrs.start, attrs.end);
  out[0] = 0x31;
  return out;
}
