/**
 * CAWG identity assertion (`cawg.identity`, Creator Assertions Working Group identity
 * assertion 1.x): a `signer_payload` naming the claim's assertions it vouches for
 * (`referenced_assertions`, hashed URIs, at least the hard binding) and the signature type,
 * the credential holder's `signature` over the CBOR of `signer_payload`, and zero padding
 * (`pad1`, optional `pad2`). For `cawg.x509.cose` the signature is a COSE_Sign1 with a
 * detached payload and an X.509 chain in `x5chain`.
 */
import { MAX_ASSERTIONS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { encodeCbor, isCborMap } from '../cbor.ts';
import { readHashedUri, type HashedUri } from '../hashed-uri.ts';

/** Label of the identity assertion. */
export const CAWG_IDENTITY_LABEL = 'cawg.identity';
/** Signature type of an X.509 COSE identity signature. */
export const CAWG_X509_SIG_TYPE = 'cawg.x509.cose';

/** The signed part of an identity assertion. */
export interface CawgSignerPayload {
  readonly referencedAssertions: readonly HashedUri[];
  readonly sigType: string;
  readonly roles: readonly string[];
  /** Fields kept for the CBOR the signature covers. */
  readonly expectedPartialClaim?: HashedUri;
  readonly expectedClaimedSigner?: HashedUri;
  readonly expectedCountersigners?: readonly unknown[];
}

/** A decoded identity assertion. */
export interface CawgIdentityAssertion {
  readonly signerPayload: CawgSignerPayload;
  readonly signature: Uint8Array;
  readonly pad1: Uint8Array;
  readonly pad2?: Uint8Array;
}

const fail = (what: string): MalformedInputError => new MalformedInputError(CAWG_IDENTITY_LABEL, what);

/**
 * Read an identity assertion.
 * @throws {MalformedInputError} when a required field is missing or mistyped (c2pa-rs reports
 * `cawg.identity.cbor.invalid` for those). @throws {LimitExceededError} past `MAX_ASSERTIONS` references.
 */
export function readCawgIdentity(data: unknown): CawgIdentityAssertion {
  if (!isCborMap(data) || !isCborMap(data.signer_payload)) throw fail('signer_payload is missing');
  const sp = data.signer_payload;
  if (!Array.isArray(sp.referenced_assertions)) throw fail('signer_payload.referenced_assertions is missing');
  if (sp.referenced_assertions.length > MAX_ASSERTIONS)
    throw new LimitExceededError(
      'MAX_ASSERTIONS',
      said('err.c2pa.referencedAssertions', '{v1} referenced assertions', { v1: sp.referenced_assertions.length }),
    );
  if (typeof sp.sig_type !== 'string') throw fail('signer_payload.sig_type is missing');
  if (!(data.signature instanceof Uint8Array)) throw fail('signature is not a byte string');
  if (!(data.pad1 instanceof Uint8Array)) throw fail('pad1 is not a byte string');
  if (data.pad2 !== undefined && data.pad2 !== null && !(data.pad2 instanceof Uint8Array)) throw fail('pad2 is not a byte string');
  const roles = sp.roles === undefined || sp.roles === null ? [] : sp.roles;
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw fail('signer_payload.roles is not an array of strings');
  const opt = (v: unknown, name: string): HashedUri | undefined => (v === undefined || v === null ? undefined : readHashedUri(v, name));
  const epc = opt(sp.expected_partial_claim, 'expected_partial_claim');
  const ecs = opt(sp.expected_claimed_signer, 'expected_claimed_signer');
  const ecos = sp.expected_countersigners === undefined || sp.expected_countersigners === null ? undefined : sp.expected_countersigners;
  if (ecos !== undefined && !Array.isArray(ecos)) throw fail('signer_payload.expected_countersigners is not an array');
  return {
    signerPayload: {
      referencedAssertions: sp.referenced_assertions.map((r, i) => readHashedUri(r, `referenced_assertions[${i}]`)),
      sigType: sp.sig_type,
      roles: roles as string[],
      ...(epc ? { expectedPartialClaim: epc } : {}),
      ...(ecs ? { expectedClaimedSigner: ecs } : {}),
      ...(ecos ? { expectedCountersigners: ecos } : {}),
    },
    signature: data.signature,
    pad1: data.pad1,
    ...(data.pad2 instanceof Uint8Array ? { pad2: data.pad2 } : {}),
  };
}

const uri = (h: HashedUri): Record<string, unknown> => ({ url: h.url, ...(h.alg !== undefined ? { alg: h.alg } : {}), hash: h.hash });

/**
 * The CBOR the identity signature covers: `signer_payload` serialised as c2pa-rs serialises
 * it (field order `referenced_assertions`, `sig_type`, `roles` when not empty, then the
 * `expected_*` fields when present; hashed URIs as `url`, `alg?`, `hash`).
 */
export function signerPayloadBytes(sp: CawgSignerPayload): Uint8Array {
  return encodeCbor({
    referenced_assertions: sp.referencedAssertions.map(uri),
    sig_type: sp.sigType,
    ...(sp.roles.length ? { roles: sp.roles } : {}),
    ...(sp.expectedPartialClaim ? { expected_partial_claim: uri(sp.expectedPartialClaim) } : {}),
    ...(sp.expectedClaimedSigner ? { expected_claimed_signer: uri(sp.expectedClaimedSigner) } : {}),
    ...(sp.expectedCountersigners ? { expected_countersigners: sp.expectedCountersigners } : {}),
  });
}
