/**
 * Merkle maps of a `c2pa.hash.bmff` assertion (C2PA 2.2 §18.6.3) and the per-leaf proofs
 * stored in the asset's Merkle `uuid` boxes (box purpose `merkle`). A map covers one track
 * (`localId`) of one asset (`uniqueId`): `count` leaves (fragments or chunks), of which the
 * assertion stores one row of the tree (`hashes`); each leaf's proof in the asset climbs from
 * the leaf to that row. Fragmented MP4 maps also carry `initHash`, the hash of the init
 * segment minus the exclusions.
 */
import { MAX_MERKLE_HASHES, MAX_MERKLE_MAPS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { isCborMap } from '../cbor.ts';

/** One Merkle map of the assertion. */
export interface MerkleMap {
  readonly uniqueId: number;
  readonly localId: number;
  /** Number of leaves. */
  readonly count: number;
  readonly alg?: string;
  readonly initHash?: Uint8Array;
  /** The stored row of the tree (the root when it has one entry). */
  readonly hashes: readonly Uint8Array[];
  /** v3 block trees over `mdat` data: fixed leaf size, or one size per leaf (not verified yet). */
  readonly fixedBlockSize?: number;
  readonly variableBlockSizes?: readonly number[];
}

/** The proof of one leaf, as stored in a Merkle `uuid` box of the asset. */
export interface MerkleProof {
  readonly uniqueId: number;
  readonly localId: number;
  /** Leaf index. */
  readonly location: number;
  /** Sibling hashes from the leaf up to the stored row (absent when the row is the leaves). */
  readonly hashes?: readonly Uint8Array[];
}

const uint = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 0xffff_ffff;

function byteList(v: unknown, what: string): Uint8Array[] {
  if (!Array.isArray(v) || !v.every((h) => h instanceof Uint8Array))
    throw new MalformedInputError(
      'c2pa.hash.bmff',
      said('err.c2pa.notArrayByteStrings', '{what} is not an array of byte strings', { what }),
    );
  if (v.length > MAX_MERKLE_HASHES)
    throw new LimitExceededError('MAX_MERKLE_HASHES', said('err.c2pa.hashes', '{v1} hashes in {what}', { v1: v.length, what }));
  return v as Uint8Array[];
}

/**
 * Read the `merkle` array of a BMFF hash assertion.
 * @throws {MalformedInputError} for a map without its required fields.
 * @throws {LimitExceededError} past {@link MAX_MERKLE_MAPS} / {@link MAX_MERKLE_HASHES}.
 */
export function readMerkleMaps(v: unknown): MerkleMap[] {
  if (!Array.isArray(v)) throw new MalformedInputError('c2pa.hash.bmff', said('err.c2pa.merkleNotArray', 'merkle is not an array'));
  if (v.length > MAX_MERKLE_MAPS)
    throw new LimitExceededError('MAX_MERKLE_MAPS', said('err.c2pa.merkleMaps', '{v1} Merkle maps', { v1: v.length }));
  return v.map((m, i) => {
    const what = `merkle[${i}]`;
    if (!isCborMap(m) || !uint(m.uniqueId) || !uint(m.localId) || !uint(m.count))
      throw new MalformedInputError(
        'c2pa.hash.bmff',
        said('err.c2pa.needsUniqueIdLocalIdCount', '{what} needs uniqueId, localId and count', { what }),
      );
    if (m.alg !== undefined && m.alg !== null && typeof m.alg !== 'string')
      throw new MalformedInputError('c2pa.hash.bmff', said('err.c2pa.algNotString2', '{what}.alg is not a string', { what }));
    if (m.initHash !== undefined && m.initHash !== null && !(m.initHash instanceof Uint8Array))
      throw new MalformedInputError(
        'c2pa.hash.bmff',
        said('err.c2pa.inithashNotByteString', '{what}.initHash is not a byte string', { what }),
      );
    return {
      uniqueId: m.uniqueId,
      localId: m.localId,
      count: m.count,
      ...(typeof m.alg === 'string' ? { alg: m.alg } : {}),
      ...(m.initHash instanceof Uint8Array ? { initHash: m.initHash } : {}),
      hashes: byteList(m.hashes, `${what}.hashes`),
      ...(uint(m.fixedBlockSize) ? { fixedBlockSize: m.fixedBlockSize } : {}),
      ...(Array.isArray(m.variableBlockSizes) && m.variableBlockSizes.every(uint)
        ? { variableBlockSizes: m.variableBlockSizes as number[] }
        : {}),
    };
  });
}

/**
 * Read the CBOR map of a Merkle `uuid` box.
 * @throws {MalformedInputError} when a required field is missing or mistyped.
 */
export function readMerkleProof(v: unknown): MerkleProof {
  if (!isCborMap(v) || !uint(v.uniqueId) || !uint(v.localId) || !uint(v.location))
    throw new MalformedInputError(
      'c2pa.hash.bmff',
      said('err.c2pa.merkleBoxNeedsUniqueId', 'Merkle box needs uniqueId, localId and location'),
    );
  const hashes = v.hashes === undefined || v.hashes === null ? undefined : byteList(v.hashes, 'Merkle box hashes');
  return { uniqueId: v.uniqueId, localId: v.localId, location: v.location, ...(hashes ? { hashes } : {}) };
}
