/**
 * The C2PA manifest-store box of ISO-BMFF files (C2PA 2.2 §11.3.4): a top-level `uuid`
 * box with extended type D8FEC3D6-1B0E-483C-9297-5828877EC481, FullBox version 0 and
 * flags 0, a NUL-terminated `box_purpose` ("manifest"), a u64 offset of the first
 * Merkle box (0 when there is none) and the JUMBF store.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES } from '../../binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { BMFF, type BoxHeader, boxEnd, payloadStart } from './bmff-boxes.ts';
import { boxHeader, boxHeaderLength, concatBytes, u64be } from './bmff-writer.ts';
import { bytesEqual, fourcc } from '../../binary/bytes.ts';

/** Extended type of the C2PA `uuid` box. */
export const C2PA_UUID = Uint8Array.from([0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81]);

/** Extended type of the XMP `uuid` box (Adobe XMP part 3). */
export const XMP_UUID = Uint8Array.from([0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac]);

/** `box_purpose` of the box that carries the manifest store. */
export const C2PA_MANIFEST_PURPOSE = 'manifest';

const PURPOSE_BYTES = new TextEncoder().encode(`${C2PA_MANIFEST_PURPOSE}\0`);

/** Whether a box is a C2PA `uuid` box (any purpose). */
export function isC2paBox(box: BoxHeader): boolean {
  return box.type === 'uuid' && box.userType !== undefined && bytesEqual(box.userType, C2PA_UUID);
}

/** Whether a box is an XMP `uuid` box. */
export function isXmpUuidBox(box: BoxHeader): boolean {
  return box.type === 'uuid' && box.userType !== undefined && bytesEqual(box.userType, XMP_UUID);
}

/** Bytes in front of the store: box header, FullBox v0/0, "manifest\0", u64 Merkle offset 0. */
export function c2paBoxPrefix(storeLength: number): Uint8Array {
  if (!Number.isSafeInteger(storeLength) || storeLength < 0)
    throw InvalidArgumentError.expected('a non-negative integer', 'manifestLength', storeLength);
  const body = 4 + PURPOSE_BYTES.length + 8 + storeLength;
  const size = boxHeaderLength(body, true) + body;
  return concatBytes([boxHeader('uuid', size, { userType: C2PA_UUID }), new Uint8Array(4), PURPOSE_BYTES, u64be(0)]);
}

/** Where a C2PA box's parts lie. */
export interface C2paBoxInfo {
  readonly box: BoxHeader;
  /** `box_purpose`, e.g. "manifest" or "merkle". */
  readonly purpose: string;
  /** Absolute offset of the data after the purpose (and, for "manifest", the u64 Merkle offset). */
  readonly dataOffset: number;
  readonly dataLength: number;
  /** The Merkle offset field of a "manifest" box. */
  readonly merkleOffset?: bigint;
}

/**
 * Read the purpose and data range of a C2PA `uuid` box.
 * @throws {MalformedInputError} when the purpose or offset field is truncated.
 */
export async function readC2paBoxInfo(src: ByteSource, box: BoxHeader): Promise<C2paBoxInfo> {
  const p = payloadStart(box) + 4; // after version/flags
  const end = boxEnd(box);
  if (p > end) throw new MalformedInputError(BMFF, said('err.fmt.c2paBoxFullBoxHeader', 'C2PA box FullBox header truncated'), box.offset);
  const probe = await src.read(p, Math.min(64, end - p));
  const nul = probe.indexOf(0);
  if (nul < 0) throw new MalformedInputError(BMFF, said('err.fmt.c2paBoxPurposeNot', 'C2PA box purpose is not NUL-terminated'), p);
  const purpose = new TextDecoder('latin1').decode(probe.subarray(0, nul));
  let dataOffset = p + nul + 1;
  let merkleOffset: bigint | undefined;
  if (purpose === C2PA_MANIFEST_PURPOSE) {
    if (end - dataOffset < 8)
      throw new MalformedInputError(BMFF, said('err.fmt.c2paBoxMerkleOffset', 'C2PA box Merkle offset truncated'), dataOffset);
    const o = await src.read(dataOffset, 8);
    merkleOffset = new DataView(o.buffer, o.byteOffset, 8).getBigUint64(0);
    dataOffset += 8;
  }
  return { box, purpose, dataOffset, dataLength: end - dataOffset, ...(merkleOffset === undefined ? {} : { merkleOffset }) };
}

/**
 * Read the JUMBF store of a "manifest" C2PA box, trimmed to the store's own `jumb`
 * length when padding follows it.
 * @throws {LimitExceededError} above `MAX_MANIFEST_BYTES`.
 */
export async function readC2paStore(src: ByteSource, info: C2paBoxInfo): Promise<Uint8Array> {
  let length = info.dataLength;
  if (length >= 8) {
    const h = await src.read(info.dataOffset, 8);
    const lbox = new DataView(h.buffer, h.byteOffset, 8).getUint32(0);
    const tbox = fourcc(h, 4);
    if (tbox === 'jumb' && lbox >= 8 && lbox <= length) length = lbox;
  }
  if (length > MAX_MANIFEST_BYTES) {
    throw new LimitExceededError(
      'MAX_MANIFEST_BYTES',
      said('err.fmt.c2paManifestStoreBytes', 'C2PA manifest store of {v1} bytes', { v1: length }),
    );
  }
  return src.read(info.dataOffset, length);
}

/** A C2PA `uuid` box of purpose `merkle` holding one leaf's proof (CBOR), as in a fragment. */
export function c2paMerkleBox(cbor: Uint8Array): Uint8Array {
  const purpose = new TextEncoder().encode('merkle\0');
  const body = 4 + purpose.length + cbor.length;
  return concatBytes([boxHeader('uuid', boxHeaderLength(body, true) + body, { userType: C2PA_UUID }), new Uint8Array(4), purpose, cbor]);
}
