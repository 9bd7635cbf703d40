/**
 * `c2pa.hash.bmff.v3` structure (C2PA 2.2 §18.6; profile §2.3). The box walking and hashing
 * live with the BMFF format handler; this module defines the assertion, its mandatory
 * exclusions and its encoding.
 */
import { MalformedInputError, said } from '../../errors.ts';
import { encodeCbor, isCborMap } from '../cbor.ts';
import { DATA_HASH_NAME } from './data-hash.ts';
import { parseAssertionLabel } from './labels.ts';
import { readMerkleMaps, type MerkleMap } from './bmff-merkle-map.ts';

/** Label we write. */
export const BMFF_HASH_LABEL = 'c2pa.hash.bmff.v3';
/** Deprecated v2 label (read). */
export const BMFF_HASH_V2_LABEL = 'c2pa.hash.bmff.v2';
/** The v1 label (C2PA 1.x; read: c2pa-rs still verifies it). */
export const BMFF_HASH_V1_LABEL = 'c2pa.hash.bmff';

/**
 * The version of a BMFF hash label (`c2pa.hash.bmff` 1, `.v2` 2, `.v3` 3). Versions 2 and up
 * hash each top-level box's absolute offset before its bytes; version 1 does not (c2pa-rs).
 */
export function bmffHashVersion(label: string): number {
  return parseAssertionLabel(label).version;
}
/** Extended type of the C2PA `uuid` box: D8FEC3D6-1B0E-483C-9297-5828877EC481. */
export const C2PA_BMFF_UUID = Uint8Array.from([
  0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81,
]);

/** Byte values a box must have at an offset for an exclusion to apply. */
export interface BmffDataMatch {
  readonly offset: number;
  readonly value: Uint8Array;
}

/** A part of a box left out of the hash. `length` 0 means "to the end of the box". */
export interface BmffSubset {
  readonly offset: number;
  readonly length: number;
}

/** One exclusion entry: boxes at `xpath` (optionally filtered) are left out. */
export interface BmffExclusion {
  readonly xpath: string;
  readonly length?: number;
  readonly data?: readonly BmffDataMatch[];
  readonly subset?: readonly BmffSubset[];
  readonly version?: number;
  /** 3-byte FullBox flags to match. */
  readonly flags?: Uint8Array;
  readonly exact?: boolean;
}

/** A decoded BMFF hash assertion. */
export interface BmffHashAssertion {
  readonly exclusions: BmffExclusion[];
  readonly alg?: string;
  readonly hash?: Uint8Array;
  /** Merkle maps for fragmented or large files. */
  readonly merkle?: MerkleMap[];
  readonly name?: string;
}

/**
 * The exclusions C2PA makes mandatory: the C2PA `uuid` box (matched by its extended type at
 * offset 8), `/ftyp` and `/mfra`, plus `/free` and `/skip` as c2pa-rs writes them (so the
 * list equals the SDK's); `freeAndSkip: false` gives only the mandatory three.
 */
export function defaultBmffExclusions(options: { freeAndSkip?: boolean } = {}): BmffExclusion[] {
  const out: BmffExclusion[] = [
    { xpath: '/uuid', data: [{ offset: 8, value: C2PA_BMFF_UUID.slice() }] },
    { xpath: '/ftyp' },
    { xpath: '/mfra' },
  ];
  if (options.freeAndSkip !== false) out.push({ xpath: '/free' }, { xpath: '/skip' });
  return out;
}

/** Values for {@link encodeBmffHash}. */
export interface BmffHashInput {
  readonly exclusions: readonly BmffExclusion[];
  /** The flat hash; absent for the Merkle form of a fragmented asset (init segment + fragments). */
  readonly hash?: Uint8Array;
  /** Merkle maps (fragmented assets): `initHash` over the init segment, one stored row per map. */
  readonly merkle?: readonly MerkleMap[];
  readonly alg?: string;
  readonly name?: string;
}

/** The CBOR map of a BMFF hash assertion, in c2pa-rs field order. */
export function buildBmffHash(input: BmffHashInput): Record<string, unknown> {
  return {
    exclusions: input.exclusions.map((e) => ({
      xpath: e.xpath,
      length: e.length,
      data: e.data?.map((d) => ({ offset: d.offset, value: d.value })),
      subset: e.subset?.map((s) => ({ offset: s.offset, length: s.length })),
      version: e.version,
      flags: e.flags,
      exact: e.exact,
    })),
    alg: input.alg ?? 'sha256',
    hash: input.hash,
    merkle: input.merkle?.map((m) => ({
      uniqueId: m.uniqueId,
      localId: m.localId,
      count: m.count,
      alg: m.alg,
      initHash: m.initHash,
      hashes: m.hashes,
    })),
    name: input.name ?? DATA_HASH_NAME,
  };
}

/** Encode a BMFF hash assertion. @throws {InvalidArgumentError} for unencodable values. */
export function encodeBmffHash(input: BmffHashInput): Uint8Array {
  return encodeCbor(buildBmffHash(input));
}

const uint = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Read a v1/v2/v3 BMFF hash assertion.
 * @throws {MalformedInputError} when exclusions or Merkle maps are missing or mistyped.
 * @throws {LimitExceededError} past the Merkle limits.
 */
export function readBmffHash(data: unknown): BmffHashAssertion {
  if (!isCborMap(data) || !Array.isArray(data.exclusions))
    throw new MalformedInputError('c2pa.hash.bmff', said('err.c2pa.exclusionsArrayMissing', 'exclusions array is missing'));
  const exclusions = data.exclusions.map((e, i): BmffExclusion => {
    const bad = (what: string) =>
      new MalformedInputError('c2pa.hash.bmff', said('err.c2pa.exclusionsMalformed', 'exclusions[{i}].{what} is malformed', { i, what }));
    if (!isCborMap(e) || typeof e.xpath !== 'string') throw bad('xpath');
    if (e.length !== undefined && e.length !== null && !uint(e.length)) throw bad('length');
    const list = <T>(v: unknown, what: string, f: (x: Record<string, unknown>) => T | undefined): T[] | undefined => {
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v)) throw bad(what);
      return v.map((x) => {
        const r = isCborMap(x) ? f(x) : undefined;
        if (r === undefined) throw bad(what);
        return r;
      });
    };
    return {
      xpath: e.xpath,
      length: uint(e.length) ? e.length : undefined,
      data: list(e.data, 'data', (x) =>
        uint(x.offset) && x.value instanceof Uint8Array ? { offset: x.offset, value: x.value } : undefined,
      ),
      subset: list(e.subset, 'subset', (x) => (uint(x.offset) && uint(x.length) ? { offset: x.offset, length: x.length } : undefined)),
      version: uint(e.version) ? e.version : undefined,
      flags: e.flags instanceof Uint8Array ? e.flags : undefined,
      exact: typeof e.exact === 'boolean' ? e.exact : undefined,
    };
  });
  return {
    exclusions,
    alg: typeof data.alg === 'string' ? data.alg : undefined,
    hash: data.hash instanceof Uint8Array ? data.hash : undefined,
    merkle: data.merkle === undefined || data.merkle === null ? undefined : readMerkleMaps(data.merkle),
    name: typeof data.name === 'string' ? data.name : undefined,
  };
}
