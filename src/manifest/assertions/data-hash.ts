/**
 * `c2pa.hash.data` (C2PA 2.2 §18.5; profile §2.3): `{exclusions:[{start,length}], name,
 * alg, hash, pad}`. `pad` (and `pad2` when needed) absorb size changes so the assertion
 * keeps the size reserved for it when the real exclusions and hash are filled in.
 */
import { MalformedInputError, SigningError, said } from '../../errors.ts';
import { encodeCbor, isCborMap } from '../cbor.ts';
import { solvePadding } from '../padding.ts';

/** Label of the data-hash hard binding. */
export const DATA_HASH_LABEL = 'c2pa.hash.data';
/** The `name` c2pa-rs writes. */
export const DATA_HASH_NAME = 'jumbf manifest';

/** A byte range left out of a data hash (offsets in the asset). */
export interface Exclusion {
  readonly start: number;
  readonly length: number;
}

/** A decoded data-hash assertion. */
export interface DataHashAssertion {
  readonly exclusions: Exclusion[];
  readonly name?: string;
  readonly alg?: string;
  readonly hash: Uint8Array;
  readonly pad?: Uint8Array;
  readonly pad2?: Uint8Array;
  /** Deprecated external URL (must be absent for embedded manifests). */
  readonly url?: string;
}

/** Values for {@link encodeDataHash}. */
export interface DataHashInput {
  readonly exclusions: readonly Exclusion[];
  readonly hash: Uint8Array;
  /** Default `sha256`. */
  readonly alg?: string;
  /** Default `jumbf manifest`. */
  readonly name?: string;
}

function build(input: DataHashInput, pad: number, pad2?: number): Record<string, unknown> {
  return {
    exclusions: input.exclusions.map((e) => ({ start: e.start, length: e.length })),
    name: input.name ?? DATA_HASH_NAME,
    alg: input.alg ?? 'sha256',
    hash: input.hash,
    pad: new Uint8Array(pad),
    pad2: pad2 === undefined ? undefined : new Uint8Array(pad2),
  };
}

/**
 * Encode a data-hash assertion, padded to exactly `size` bytes when `size` is given.
 * @throws {SigningError} when the content does not fit in `size`.
 */
export function encodeDataHash(input: DataHashInput, size?: number): Uint8Array {
  const base = encodeCbor(build(input, 0));
  if (size === undefined) return base;
  const fit = solvePadding(size - base.length, 0);
  if (!fit)
    throw new SigningError(
      said('err.c2pa.c2paHashDataNeeds', 'c2pa.hash.data needs {v1} bytes but {size} are reserved (too many exclusions?)', {
        v1: base.length,
        size,
      }),
    );
  const out = encodeCbor(build(input, fit.pad, fit.pad2));
  if (out.length !== size)
    throw new SigningError(
      said('err.c2pa.c2paHashDataPadding', 'c2pa.hash.data padding produced {v1} bytes instead of {size}', { v1: out.length, size }),
    );
  return out;
}

/** Largest value a placeholder exclusion uses, so it encodes at the widest CBOR integer size. */
const PLACEHOLDER_INT = Number.MAX_SAFE_INTEGER;

/**
 * A placeholder with `count` maximal exclusions and a zero hash of `hashLength` bytes: any real
 * set of up to `count` exclusions encodes no larger, so it can be padded to this size.
 */
export function placeholderDataHash(count: number, hashLength = 32, alg = 'sha256'): Uint8Array {
  const exclusions = Array.from({ length: count }, () => ({ start: PLACEHOLDER_INT, length: PLACEHOLDER_INT }));
  return encodeDataHash({ exclusions, hash: new Uint8Array(hashLength), alg });
}

/**
 * Read a data-hash assertion.
 * @throws {MalformedInputError} when `hash` or `exclusions` are missing or mistyped.
 */
export function readDataHash(data: unknown): DataHashAssertion {
  if (!isCborMap(data)) throw new MalformedInputError('c2pa.hash.data', said('err.c2pa.notMap', 'not a map'));
  if (!(data.hash instanceof Uint8Array)) throw new MalformedInputError('c2pa.hash.data', said('err.c2pa.hashMissing', 'hash is missing'));
  const ex = data.exclusions ?? [];
  if (!Array.isArray(ex))
    throw new MalformedInputError('c2pa.hash.data', said('err.c2pa.exclusionsNotArray', 'exclusions is not an array'));
  const exclusions = ex.map((e, i) => {
    if (
      !isCborMap(e) ||
      !Number.isSafeInteger(e.start) ||
      !Number.isSafeInteger(e.length) ||
      (e.start as number) < 0 ||
      (e.length as number) < 0
    ) {
      throw new MalformedInputError('c2pa.hash.data', `exclusions[${i}] is not {start, length} with non-negative integers`);
    }
    return { start: e.start as number, length: e.length as number };
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const bytes = (v: unknown) => (v instanceof Uint8Array ? v : undefined);
  return {
    exclusions,
    hash: data.hash,
    name: str(data.name),
    alg: str(data.alg),
    pad: bytes(data.pad),
    pad2: bytes(data.pad2),
    url: str(data.url),
  };
}
