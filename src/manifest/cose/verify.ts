/**
 * Parse and verify COSE_Sign1 claim signatures: EdDSA (Ed25519), ES256/384/512 (raw r‖s)
 * and PS256/384/512, with the public key of the x5chain leaf. Certificate-chain validation
 * is the caller's (see `src/pki/`); this returns the DER chain and any RFC 3161 time-stamps.
 */
import { MAX_CHAIN_LENGTH, MAX_TIMESTAMP_TOKENS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, ToolkitError, said } from '../../errors.ts';
import type { CoseAlgorithm } from '../../crypto/signer.ts';
import { isDerEcdsaSignature, keyMismatch, publicKeyFromCertificate, verifyRawSignature } from '../../crypto/cose-keys.ts';
import { decodeCbor, Tag } from '../cbor.ts';
import { coseAlgorithmFromId } from './algorithms.ts';
import { COSE_SIGN1_TAG, HEADER_ALG, HEADER_X5CHAIN, sigStructure, timestampDataV1, timestampDataV2 } from './sign.ts';
import { verifyTimestampToken, type TimestampInfo } from './timestamp.ts';
import { bytesEqual } from '../../binary/bytes.ts';

/** A parsed COSE_Sign1. */
export interface CoseSign1 {
  /** The protected header bucket exactly as stored (signed). */
  readonly protectedRaw: Uint8Array;
  readonly protectedHeader: Map<unknown, unknown>;
  readonly unprotectedHeader: Map<unknown, unknown>;
  /** Attached payload, or null when detached (C2PA). */
  readonly payload: Uint8Array | null;
  readonly signature: Uint8Array;
  /** The `alg` header value as stored. */
  readonly algId: unknown;
  /** The algorithm, when supported. */
  readonly alg?: CoseAlgorithm;
  /** DER certificates from x5chain, leaf first. */
  readonly chainDer: Uint8Array[];
  /** Which header and key held the x5chain. */
  readonly x5chainForm: X5chainForm;
  /** Deviations from the C2PA profile that a reader tolerates. */
  readonly warnings: string[];
}

/**
 * Parse a COSE_Sign1(_Tagged) signature.
 * @throws {MalformedInputError} when the structure, the alg header or the x5chain is missing or malformed.
 * @throws {LimitExceededError} for a chain longer than {@link MAX_CHAIN_LENGTH}, more than
 * {@link MAX_TIMESTAMP_TOKENS} time-stamp tokens (`sigTst2` and `sigTst` together) or CBOR limits.
 */
export function parseCoseSign1(bytes: Uint8Array): CoseSign1 {
  const warnings: string[] = [];
  let v = decodeCbor(bytes, { maps: 'maps', context: 'COSE_Sign1' }).value;
  if (v instanceof Tag) {
    if (v.tag !== COSE_SIGN1_TAG)
      throw new MalformedInputError(
        'cose',
        said('err.c2pa.expectedTagCOSESign1', 'expected tag 18 (COSE_Sign1), found tag {tag}', { tag: v.tag }),
        0,
      );
    v = v.value;
  } else warnings.push('COSE_Sign1 is not tagged');
  if (!Array.isArray(v) || v.length !== 4)
    throw new MalformedInputError('cose', said('err.c2pa.coseSign1NotArray', 'COSE_Sign1 is not an array of 4 elements'), 0);
  const [p, u, payload, signature] = v as unknown[];
  if (!(p instanceof Uint8Array))
    throw new MalformedInputError('cose', said('err.c2pa.protectedHeaderNotByte', 'protected header is not a byte string'));
  if (!(u instanceof Map))
    throw new MalformedInputError('cose', said('err.c2pa.unprotectedHeaderNotMap', 'unprotected header is not a map'));
  if (payload !== null && !(payload instanceof Uint8Array))
    throw new MalformedInputError('cose', said('err.c2pa.payloadNeitherNilNor', 'payload is neither nil nor a byte string'));
  if (!(signature instanceof Uint8Array))
    throw new MalformedInputError('cose', said('err.c2pa.signatureNotByteString', 'signature is not a byte string'));
  const ph = p.length === 0 ? new Map() : decodeCbor(p, { maps: 'maps', context: 'COSE protected header' }).value;
  if (!(ph instanceof Map)) throw new MalformedInputError('cose', said('err.c2pa.protectedHeaderNotMap', 'protected header is not a map'));
  // A missing alg is c2pa-rs's algorithm.unsupported, decided by the caller (alg undefined).
  const algId = ph.get(HEADER_ALG);
  const { value: x5, form: x5chainForm } = findX5chain(ph, u);
  if (x5chainForm !== 'protected-33') warnings.push(`x5chain is stored as ${x5chainForm} (C2PA 1.x form)`);
  const chain = chainFromValue(x5);
  if (chain.length > MAX_CHAIN_LENGTH)
    throw new LimitExceededError(
      'MAX_CHAIN_LENGTH',
      said('err.c2pa.x5chainHasCertificates', 'x5chain has {v1} certificates', { v1: chain.length }),
    );
  let tokens = 0;
  for (const label of ['sigTst2', 'sigTst']) {
    const container = u.get(label);
    const list = container instanceof Map ? container.get('tstTokens') : undefined;
    if (Array.isArray(list)) tokens += list.length;
  }
  if (tokens > MAX_TIMESTAMP_TOKENS)
    throw new LimitExceededError(
      'MAX_TIMESTAMP_TOKENS',
      said('err.c2pa.signatureCarriesTimeStamp', 'the signature carries {tokens} time-stamp tokens', { tokens }),
    );
  return {
    protectedRaw: p,
    protectedHeader: ph,
    unprotectedHeader: u,
    payload: payload as Uint8Array | null,
    signature,
    algId,
    alg: coseAlgorithmFromId(algId),
    chainDer: chain,
    x5chainForm,
    warnings,
  };
}

/** Where a COSE_Sign1 keeps its certificate chain (reported by `inspect`). */
export type X5chainForm = 'protected-33' | 'protected-text' | 'unprotected-text';

/**
 * Find the x5chain as c2pa-rs does (`cert_chain_from_sign1`): the protected header under
 * label 33 or the text key `"x5chain"`; only when neither is there, the unprotected header
 * under the text key `"x5chain"` (allowed in C2PA 1.x). Label 33 in the unprotected header
 * is not looked at, and a chain in both headers is refused.
 */
function findX5chain(ph: Map<unknown, unknown>, u: Map<unknown, unknown>): { value: unknown; form: X5chainForm } {
  const unprotected = u.get('x5chain');
  let form: X5chainForm | undefined;
  let value: unknown;
  if (ph.has(HEADER_X5CHAIN)) [form, value] = ['protected-33', ph.get(HEADER_X5CHAIN)];
  else if (ph.has('x5chain')) [form, value] = ['protected-text', ph.get('x5chain')];
  if (form) {
    if (unprotected !== undefined && chainFromValueOrUndefined(unprotected)) {
      throw new MalformedInputError(
        'cose',
        said(
          'err.c2pa.x5chainBothProtectedUnprotected',
          'x5chain is in both the protected and the unprotected header (c2pa-rs: MultipleSigningCertificateChains)',
        ),
      );
    }
    return { value, form };
  }
  if (unprotected !== undefined) return { value: unprotected, form: 'unprotected-text' };
  const hint = u.has(HEADER_X5CHAIN) ? ' (label 33 in the unprotected header is not accepted)' : '';
  throw new MalformedInputError('cose', `no x5chain certificate chain${hint}`);
}

function chainFromValueOrUndefined(x5: unknown): Uint8Array[] | undefined {
  // As c2pa-rs: an array keeps its byte-string members (others are skipped); one byte string is a chain of one.
  if (x5 instanceof Uint8Array) return [x5];
  if (!Array.isArray(x5)) return undefined;
  const certs = x5.filter((c): c is Uint8Array => c instanceof Uint8Array);
  return certs.length ? certs : undefined;
}

function chainFromValue(x5: unknown): Uint8Array[] {
  if (Array.isArray(x5) && x5.length > MAX_CHAIN_LENGTH)
    throw new LimitExceededError(
      'MAX_CHAIN_LENGTH',
      said('err.c2pa.x5chainHasCertificates', 'x5chain has {v1} certificates', { v1: x5.length }),
    );
  const chain = chainFromValueOrUndefined(x5);
  if (!chain)
    throw new MalformedInputError(
      'cose',
      said('err.c2pa.x5chainNeitherCertificateNor', 'x5chain is neither a certificate nor an array of certificates'),
    );
  return chain;
}

/** Result of {@link verifyCoseSign1}. */
export type CoseVerifyStatus = 'valid' | 'mismatch' | 'unsupported-algorithm' | 'malformed' | 'bad-certificate' | 'der-ecdsa-signature';

/** Outcome of verifying a claim signature. */
export interface CoseVerification {
  /** True when the signature verifies over the claim with the leaf key. */
  readonly ok: boolean;
  readonly status: CoseVerifyStatus;
  readonly message?: string;
  readonly alg?: CoseAlgorithm;
  /** DER chain from x5chain (leaf first), for the caller's chain validation. Empty when unparsable. */
  readonly chainDer: Uint8Array[];
  /** The first time-stamp that verified, else the first one found. */
  readonly timestamp?: TimestampInfo;
  /** The time-stamp read (at most one: the first `sigTst2`/`sigTst` header, as c2pa-rs). */
  readonly timestamps: TimestampInfo[];
  readonly cose?: CoseSign1;
}

/**
 * Verify a C2PA claim signature over the exact claim bytes. Never throws on bad input:
 * every problem becomes the `status`.
 */
export async function verifyCoseSign1(coseBytes: Uint8Array, claimBytes: Uint8Array): Promise<CoseVerification> {
  let cose: CoseSign1;
  try {
    cose = parseCoseSign1(coseBytes);
  } catch (err) {
    return { ok: false, status: 'malformed', message: (err as Error).message, chainDer: [], timestamps: [] };
  }
  const base = { alg: cose.alg, chainDer: cose.chainDer, cose };
  const timestamps = readTimestamps(cose, claimBytes);
  const timestamp = timestamps.find((t) => t.status === 'valid') ?? timestamps[0];
  const done = (ok: boolean, status: CoseVerifyStatus, message?: string): CoseVerification => ({
    ok,
    status,
    message,
    ...base,
    timestamp,
    timestamps,
  });
  if (!cose.alg) return done(false, 'unsupported-algorithm', `unsupported COSE algorithm ${String(cose.algId)}`);
  if (cose.alg.startsWith('ES') && isDerEcdsaSignature(cose.signature))
    return done(false, 'der-ecdsa-signature', 'ECDSA signature is DER, not r‖s (IEEE P1363)');
  let key: ReturnType<typeof publicKeyFromCertificate>;
  try {
    key = publicKeyFromCertificate(cose.chainDer[0]);
  } catch (err) {
    return done(false, 'bad-certificate', (err as Error).message);
  }
  const mismatch = keyMismatch(cose.alg, key);
  if (mismatch) return done(false, 'bad-certificate', mismatch);
  const payload = cose.payload ?? claimBytes;
  if (cose.payload && !bytesEqual(cose.payload, claimBytes)) return done(false, 'mismatch', 'the attached COSE payload is not the claim');
  const ok = verifyRawSignature(cose.alg, key, sigStructure(cose.protectedRaw, payload), cose.signature);
  return ok ? done(true, 'valid') : done(false, 'mismatch', 'the claim signature does not verify');
}

/**
 * Read and check the time-stamp of a parsed signature as c2pa-rs does: the first `sigTst2`
 * (v2, over the signature) or `sigTst` (v1, over the claim) header in stored order; more
 * than one token in it is `malformed` (a signature with more than {@link MAX_TIMESTAMP_TOKENS}
 * tokens in all never gets here: {@link parseCoseSign1} refuses it). Never throws.
 */
export function readTimestamps(cose: CoseSign1, claimBytes: Uint8Array): TimestampInfo[] {
  const found = [...cose.unprotectedHeader.keys()].find((k) => k === 'sigTst2' || k === 'sigTst') as 'sigTst2' | 'sigTst' | undefined;
  if (!found) return [];
  const version = found === 'sigTst2' ? 2 : 1;
  const container = cose.unprotectedHeader.get(found);
  const tokens = container instanceof Map ? container.get('tstTokens') : undefined;
  const bad = (message: string, token: Uint8Array = new Uint8Array(0)): TimestampInfo[] => [
    { version, status: 'malformed', message, tsaChainDer: [], token },
  ];
  if (!Array.isArray(tokens)) return bad(`${found} has no tstTokens array`);
  if (tokens.length > 1) return bad('only a single timestamp response is allowed in a manifest');
  const val = tokens[0] instanceof Map ? tokens[0].get('val') : undefined;
  if (!(val instanceof Uint8Array)) return bad(`${found} token has no val byte string`);
  const tbs = version === 2 ? timestampDataV2(cose.protectedRaw, cose.signature) : timestampDataV1(cose.protectedRaw, claimBytes);
  try {
    return [verifyTimestampToken(val, tbs, version)];
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    return bad(err.message, val);
  }
}
