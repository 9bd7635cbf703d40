/**
 * Parse and verify COSE_Sign1 claim signatures: EdDSA (Ed25519), ES256/384/512 (raw r‖s)
 * and PS256/384/512, with the public key of the x5chain leaf. Certificate-chain validation
 * is the caller's (see `src/pki/`); this returns the DER chain and any RFC 3161 time-stamps.
 */
import { MAX_CHAIN_LENGTH, MAX_TIMESTAMP_TOKENS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, ToolkitError } from '../../errors.ts';
import type { CoseAlgorithm } from '../../crypto/signer.ts';
import { keyMismatch, publicKeyFromCertificate, verifyRawSignature } from '../../crypto/cose-keys.ts';
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
    if (v.tag !== COSE_SIGN1_TAG) throw new MalformedInputError('cose', `expected tag 18 (COSE_Sign1), found tag ${v.tag}`, 0);
    v = v.value;
  } else warnings.push('COSE_Sign1 is not tagged');
  if (!Array.isArray(v) || v.length !== 4) throw new MalformedInputError('cose', 'COSE_Sign1 is not an array of 4 elements', 0);
  const [p, u, payload, signature] = v as unknown[];
  if (!(p instanceof Uint8Array)) throw new MalformedInputError('cose', 'protected header is not a byte string');
  if (!(u instanceof Map)) throw new MalformedInputError('cose', 'unprotected header is not a map');
  if (payload !== null && !(payload instanceof Uint8Array)) throw new MalformedInputError('cose', 'payload is neither nil nor a byte string');
  if (!(signature instanceof Uint8Array)) throw new MalformedInputError('cose', 'signature is not a byte string');
  const ph = p.length === 0 ? new Map() : decodeCbor(p, { maps: 'maps', context: 'COSE protected header' }).value;
  if (!(ph instanceof Map)) throw new MalformedInputError('cose', 'protected header is not a map');
  const algId = ph.get(HEADER_ALG);
  if (algId === undefined) throw new MalformedInputError('cose', 'protected header has no alg');
  let x5 = ph.get(HEADER_X5CHAIN);
  if (x5 === undefined && ph.has('x5chain')) {
    x5 = ph.get('x5chain');
    warnings.push('x5chain uses the deprecated text label');
  }
  if (x5 === undefined && u.has(HEADER_X5CHAIN)) {
    x5 = u.get(HEADER_X5CHAIN);
    warnings.push('x5chain is in the unprotected header');
  }
  if (x5 === undefined) throw new MalformedInputError('cose', 'no x5chain certificate chain');
  const chain = x5 instanceof Uint8Array ? [x5] : Array.isArray(x5) ? x5 : undefined;
  if (!chain || chain.length === 0 || !chain.every((c) => c instanceof Uint8Array)) {
    throw new MalformedInputError('cose', 'x5chain is neither a certificate nor an array of certificates');
  }
  if (chain.length > MAX_CHAIN_LENGTH) throw new LimitExceededError('MAX_CHAIN_LENGTH', `x5chain has ${chain.length} certificates`);
  let tokens = 0;
  for (const label of ['sigTst2', 'sigTst']) {
    const container = u.get(label);
    const list = container instanceof Map ? container.get('tstTokens') : undefined;
    if (Array.isArray(list)) tokens += list.length;
  }
  if (tokens > MAX_TIMESTAMP_TOKENS) throw new LimitExceededError('MAX_TIMESTAMP_TOKENS', `the signature carries ${tokens} time-stamp tokens`);
  return {
    protectedRaw: p, protectedHeader: ph, unprotectedHeader: u, payload: payload as Uint8Array | null,
    signature, algId, alg: coseAlgorithmFromId(algId), chainDer: chain as Uint8Array[], warnings,
  };
}

/** Result of {@link verifyCoseSign1}. */
export type CoseVerifyStatus = 'valid' | 'mismatch' | 'unsupported-algorithm' | 'malformed' | 'bad-certificate';

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
  /** Every time-stamp token found (sigTst2 first). */
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
  const done = (ok: boolean, status: CoseVerifyStatus, message?: string): CoseVerification => ({ ok, status, message, ...base, timestamp, timestamps });
  if (!cose.alg) return done(false, 'unsupported-algorithm', `unsupported COSE algorithm ${String(cose.algId)}`);
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
 * Read and check the time-stamp tokens of a parsed signature (`sigTst2` over the
 * signature, `sigTst` over the claim). Never throws.
 */
export function readTimestamps(cose: CoseSign1, claimBytes: Uint8Array): TimestampInfo[] {
  const out: TimestampInfo[] = [];
  for (const [label, version] of [['sigTst2', 2], ['sigTst', 1]] as const) {
    const container = cose.unprotectedHeader.get(label);
    if (container === undefined) continue;
    const tokens = container instanceof Map ? container.get('tstTokens') : undefined;
    if (!Array.isArray(tokens)) {
      out.push({ version, status: 'malformed', message: `${label} has no tstTokens array`, tsaChainDer: [], token: new Uint8Array(0) });
      continue;
    }
    const tbs = version === 2 ? timestampDataV2(cose.protectedRaw, cose.signature) : timestampDataV1(cose.protectedRaw, claimBytes);
    for (const t of tokens.slice(0, MAX_TIMESTAMP_TOKENS)) {
      const val = t instanceof Map ? t.get('val') : undefined;
      if (!(val instanceof Uint8Array)) {
        out.push({ version, status: 'malformed', message: `${label} token has no val byte string`, tsaChainDer: [], token: new Uint8Array(0) });
        continue;
      }
      try {
        out.push(verifyTimestampToken(val, tbs, version));
      } catch (err) {
        if (!(err instanceof ToolkitError)) throw err;
        out.push({ version, status: 'malformed', message: err.message, tsaChainDer: [], token: val });
      }
    }
  }
  return out;
}
