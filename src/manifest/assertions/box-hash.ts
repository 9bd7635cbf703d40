/**
 * `c2pa.hash.boxes`, the general box hash (C2PA 2.2 §18.7): the asset is cut into the
 * format's boxes (JPEG segments, PNG chunks, ...) and each entry hashes a run of named,
 * consecutive boxes; the entry naming only `C2PA` stands for the manifest store's boxes and
 * is not hashed.
 */
import { MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { isCborMap } from '../cbor.ts';

/** Label of the box hash assertion. */
export const BOX_HASH_LABEL = 'c2pa.hash.boxes';
/** The name standing for the manifest store's boxes. */
export const C2PA_BOX_NAME = 'C2PA';

/** One entry: a run of boxes, by name, and its hash. */
export interface BoxHashEntry {
  readonly names: readonly string[];
  readonly alg?: string;
  readonly hash: Uint8Array;
}

/** A decoded box hash assertion. */
export interface BoxHashAssertion {
  readonly boxes: readonly BoxHashEntry[];
  readonly alg?: string;
}

/**
 * Read a box hash assertion.
 * @throws {MalformedInputError} when `boxes` or an entry's `names`/`hash` is missing or mistyped.
 * @throws {LimitExceededError} past `MAX_SEGMENTS` entries.
 */
export function readBoxHash(data: unknown): BoxHashAssertion {
  if (!isCborMap(data) || !Array.isArray(data.boxes))
    throw new MalformedInputError(BOX_HASH_LABEL, said('err.c2pa.boxesArrayMissing', 'boxes array is missing'));
  if (data.boxes.length > MAX_SEGMENTS)
    throw new LimitExceededError('MAX_SEGMENTS', said('err.c2pa.boxHashEntries', '{v1} box hash entries', { v1: data.boxes.length }));
  const boxes = data.boxes.map((b, i): BoxHashEntry => {
    if (!isCborMap(b) || !Array.isArray(b.names) || b.names.length === 0 || !b.names.every((n) => typeof n === 'string')) {
      throw new MalformedInputError(
        BOX_HASH_LABEL,
        said('err.c2pa.boxesNamesNotNon', 'boxes[{i}].names is not a non-empty array of strings', { i }),
      );
    }
    if (!(b.hash instanceof Uint8Array))
      throw new MalformedInputError(BOX_HASH_LABEL, said('err.c2pa.boxesHashNotByte', 'boxes[{i}].hash is not a byte string', { i }));
    return { names: b.names as string[], hash: b.hash, ...(typeof b.alg === 'string' ? { alg: b.alg } : {}) };
  });
  return { boxes, ...(typeof data.alg === 'string' ? { alg: data.alg } : {}) };
}
