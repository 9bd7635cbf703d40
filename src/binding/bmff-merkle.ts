/**
 * Merkle trees of `c2pa.hash.bmff` (C2PA 2.2 §18.6.3) as c2pa-rs builds them: leaves at the
 * bottom, each parent the hash of `left ‖ right`, an unpaired last node promoted unchanged.
 * The assertion stores one row of the tree; a leaf's proof (in the asset's Merkle `uuid`
 * boxes) holds the siblings from the leaf up to that row. Also reads those Merkle boxes.
 */
import { createHash } from 'node:crypto';
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES } from '../binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { walkCbor } from '../manifest/cbor-walk.ts';
import { decodeCbor } from '../manifest/cbor.ts';
import { readMerkleProof, type MerkleMap, type MerkleProof } from '../manifest/assertions/bmff-merkle-map.ts';
import { type BoxHeader, listBoxes } from '../formats/bmff/bmff-boxes.ts';
import { bytesEqual } from '../binary/bytes.ts';
import { isC2paBox, readC2paBoxInfo } from '../formats/bmff/bmff-c2pa-box.ts';

/** `box_purpose` of a Merkle `uuid` box. */
export const C2PA_MERKLE_PURPOSE = 'merkle';

/** Number of nodes in each row of a tree of `leaves` leaves, leaves first, root last. */
export function merkleLayout(leaves: number): number[] {
  const rows = [leaves];
  let n = leaves;
  while (n > 1) {
    n = Math.ceil(n / 2);
    rows.push(n);
  }
  return rows;
}

function hashPair(alg: string, left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(alg).update(left).update(right).digest());
}

/**
 * Whether `leaf` (the hash of leaf `location`) climbs with `proof` to the row stored in `map`.
 * Walks the rows from the leaves; at each row a left node takes its right sibling from the
 * proof (if the row has one), a right node its left sibling; it stops at the row whose size
 * equals the stored row's and compares there.
 */
export function checkMerkleProof(map: MerkleMap, alg: string, leaf: Uint8Array, location: number, proof?: readonly Uint8Array[]): boolean {
  let index = location;
  let hash = leaf;
  if (proof) {
    let used = 0;
    for (const row of merkleLayout(map.count)) {
      if (row === map.hashes.length) break;
      const right = index % 2 === 1;
      if (right || index + 1 < row) {
        const sibling = proof[used++];
        if (!sibling) return false;
        hash = right ? hashPair(alg, sibling, hash) : hashPair(alg, hash, sibling);
      }
      index = Math.floor(index / 2);
    }
  }
  const stored = map.hashes[index];
  return stored !== undefined && bytesEqual(stored, hash);
}

/** A Merkle `uuid` box of an asset and its decoded proof. */
export interface MerkleBox {
  readonly box: BoxHeader;
  readonly proof: MerkleProof;
}

/**
 * The top-level boxes of `src` and its Merkle `uuid` boxes, in file order.
 * @throws {MalformedInputError} for a broken box structure or a Merkle box that does not decode
 * (trailing zero bytes after its CBOR are padding, as c2pa-rs writes them).
 * @throws {LimitExceededError} past the BMFF and CBOR limits.
 */
export async function readMerkleBoxes(src: ByteSource): Promise<{ boxes: BoxHeader[]; merkle: MerkleBox[] }> {
  const { boxes } = await listBoxes(src, 0, src.size, 1);
  const merkle: MerkleBox[] = [];
  for (const box of boxes) {
    if (!isC2paBox(box)) continue;
    const info = await readC2paBoxInfo(src, box);
    if (info.purpose !== C2PA_MERKLE_PURPOSE) continue;
    if (info.dataLength > MAX_MANIFEST_BYTES)
      throw new LimitExceededError(
        'MAX_MANIFEST_BYTES',
        said('err.bind.merkleBoxBytes', 'Merkle box of {dataLength} bytes', { dataLength: info.dataLength }),
      );
    const cbor = await src.read(info.dataOffset, info.dataLength);
    // c2pa-rs pads the Merkle boxes of a plain MP4 to one size with trailing zero bytes.
    const end = walkCbor(cbor, 0, {});
    if (cbor.subarray(end).some((b) => b !== 0))
      throw new MalformedInputError(
        'c2pa.hash.bmff',
        said('err.bind.merkleBoxNonZero', 'Merkle box at {offset}: non-zero bytes after its CBOR', { offset: box.offset }),
        box.offset,
      );
    merkle.push({ box, proof: readMerkleProof(decodeCbor(cbor.subarray(0, end), { context: 'Merkle box' }).value) });
  }
  return { boxes: [...boxes], merkle };
}

/**
 * Every row of the tree over `leaves`, leaves first, root last, built as c2pa-rs builds it
 * (parent = hash(left ‖ right), an unpaired last node promoted unchanged).
 * @throws {InvalidArgumentError} for no leaves.
 */
export function buildMerkleRows(leaves: readonly Uint8Array[], alg: string): Uint8Array[][] {
  if (!leaves.length) throw InvalidArgumentError.expected('at least one leaf', 'leaves', leaves.length);
  const rows: Uint8Array[][] = [[...leaves]];
  while (rows[rows.length - 1]!.length > 1) {
    const row = rows[rows.length - 1]!;
    const next: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(i + 1 < row.length ? hashPair(alg, row[i]!, row[i + 1]!) : row[i]!);
    rows.push(next);
  }
  return rows;
}

/** The siblings that take leaf `location` up to the root ({@link checkMerkleProof}'s order). */
export function merkleProofOf(rows: readonly (readonly Uint8Array[])[], location: number): Uint8Array[] {
  const proof: Uint8Array[] = [];
  let index = location;
  for (const row of rows.slice(0, -1)) {
    if (index % 2 === 1) proof.push(row[index - 1]!);
    else if (index + 1 < row.length) proof.push(row[index + 1]!);
    index = Math.floor(index / 2);
  }
  return proof;
}
