/**
 * C2PA claims (C2PA 2.2 §10; profile §1.3). We write `c2pa.claim.v2` and read both v2 and
 * the v1 `c2pa.claim` that older files carry. The stored bytes are kept: signatures are
 * verified over them, never over a re-encoding.
 */
import { InvalidArgumentError, MalformedInputError, said } from '../errors.ts';
import { decodeCbor, encodeCbor, isCborMap } from './cbor.ts';
import { readHashedUri, type HashedUri } from './hashed-uri.ts';
import { CLAIM_V1_LABEL, CLAIM_V2_LABEL } from './jumbf/c2pa-types.ts';

/** `claim_generator_info` entry. */
export interface ClaimGeneratorInfo {
  readonly name: string;
  readonly version?: string;
  readonly [key: string]: unknown;
}

/** Fields of a claim we write. */
export interface ClaimV2Input {
  /** Default: none (the builder supplies `xmp:iid:<uuid>`). */
  readonly instanceID: string;
  readonly claimGeneratorInfo: ClaimGeneratorInfo;
  /** `self#jumbf=/c2pa/<urn>/c2pa.signature`. */
  readonly signature: string;
  readonly createdAssertions: readonly HashedUri[];
  readonly gatheredAssertions?: readonly HashedUri[];
  readonly title?: string;
  /** Default `sha256`. */
  readonly alg?: string;
}

/**
 * Build the v2 claim map in the order c2pa-rs writes it.
 * @throws {InvalidArgumentError} for a missing instanceID, generator name or signature URI.
 */
export function buildClaimV2(input: ClaimV2Input): Record<string, unknown> {
  if (!input.instanceID) throw InvalidArgumentError.expected('a non-empty string', 'claim.instanceID', input.instanceID);
  if (!input.claimGeneratorInfo?.name)
    throw InvalidArgumentError.expected('a generator name', 'claim.claimGeneratorInfo.name', input.claimGeneratorInfo?.name);
  if (!input.signature) throw InvalidArgumentError.expected('a signature URI', 'claim.signature', input.signature);
  const uri = (u: HashedUri) => (u.alg ? { url: u.url, hash: u.hash, alg: u.alg } : { url: u.url, hash: u.hash });
  return {
    instanceID: input.instanceID,
    claim_generator_info: { ...input.claimGeneratorInfo },
    signature: input.signature,
    created_assertions: input.createdAssertions.map(uri),
    gathered_assertions: input.gatheredAssertions?.length ? input.gatheredAssertions.map(uri) : undefined,
    'dc:title': input.title,
    alg: input.alg ?? 'sha256',
  };
}

/** Encode a v2 claim. @throws {InvalidArgumentError} as {@link buildClaimV2}. */
export function encodeClaimV2(input: ClaimV2Input): Uint8Array {
  return encodeCbor(buildClaimV2(input));
}

/** A claim read from a store, normalised across v1 and v2. */
export interface Claim {
  /** 2 for `c2pa.claim.v2`, 1 for `c2pa.claim`. */
  readonly version: 1 | 2;
  /** The claim superbox label. */
  readonly label: string;
  /** The exact stored CBOR bytes (what the signature covers). */
  readonly raw: Uint8Array;
  /** The decoded map as stored. */
  readonly data: Record<string, unknown>;
  readonly instanceID: string;
  readonly signature: string;
  /** v2 `created_assertions`; for v1, all of `assertions`. */
  readonly createdAssertions: HashedUri[];
  /** v2 `gathered_assertions` (v1: empty). */
  readonly gatheredAssertions: HashedUri[];
  readonly redactedAssertions: string[];
  /** Claim-wide hash algorithm, when present. */
  readonly alg?: string;
  readonly title?: string;
  /** v1 `dc:format`. */
  readonly format?: string;
  /** v1 `claim_generator` string. */
  readonly claimGenerator?: string;
  /** `claim_generator_info` as a list (v2 has one map; v1 may have an array). */
  readonly claimGeneratorInfo: ClaimGeneratorInfo[];
}

/**
 * Decode and check a claim. `label` picks the version (`c2pa.claim.v2` or `c2pa.claim`).
 * @throws {MalformedInputError} with format `cbor` when the bytes are not CBOR (claim.cbor.invalid),
 * or format `c2pa.claim` when a required field is missing or mistyped (claim.malformed).
 * @throws {LimitExceededError} past the CBOR limits.
 */
export function readClaim(label: string, raw: Uint8Array): Claim {
  const version = label === CLAIM_V2_LABEL ? 2 : label === CLAIM_V1_LABEL ? 1 : undefined;
  if (!version)
    throw new MalformedInputError(
      'c2pa.claim',
      said('err.c2pa.unknownClaimLabel', 'unknown claim label {v1}', { v1: JSON.stringify(label) }),
    );
  const { value } = decodeCbor(raw, { context: label });
  if (!isCborMap(value)) throw new MalformedInputError('c2pa.claim', said('err.c2pa.claimNotCBORMap', 'claim is not a CBOR map'));
  const str = (k: string, required: boolean): string | undefined => {
    const v = value[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string')
      throw new MalformedInputError('c2pa.claim', `${label} field ${k} is ${v === undefined ? 'missing' : 'not a string'}`);
    return v;
  };
  const uris = (k: string, required: boolean): HashedUri[] => {
    const v = value[k];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v))
      throw new MalformedInputError('c2pa.claim', `${label} field ${k} is ${v === undefined ? 'missing' : 'not an array'}`);
    return v.map((x, i) => readHashedUri(x, `${k}[${i}]`));
  };
  const info = value.claim_generator_info;
  const infos = (Array.isArray(info) ? info : info === undefined ? [] : [info]).filter(isCborMap) as ClaimGeneratorInfo[];
  if (version === 2 && infos.length === 0)
    throw new MalformedInputError('c2pa.claim', said('err.c2pa.hasNoClaimGenerator', '{label} has no claim_generator_info', { label }));
  const redacted = value.redacted_assertions;
  const base = {
    version,
    label,
    raw,
    data: value,
    instanceID: str('instanceID', true)!,
    signature: str('signature', true)!,
    redactedAssertions: Array.isArray(redacted) ? redacted.filter((x): x is string => typeof x === 'string') : [],
    alg: str('alg', false),
    title: str('dc:title', false),
    claimGeneratorInfo: infos,
  } as const;
  if (version === 2) {
    return { ...base, createdAssertions: uris('created_assertions', true), gatheredAssertions: uris('gathered_assertions', false) };
  }
  return {
    ...base,
    createdAssertions: uris('assertions', true),
    gatheredAssertions: [],
    format: str('dc:format', false),
    claimGenerator: str('claim_generator', false),
  };
}
