/**
 * COSE_Sign1_Tagged claim signatures (C2PA 2.2 §14; profile §3.1): protected header
 * `{1: alg, 33: x5chain}`, unprotected header with `pad` (and `pad2` when needed) so the
 * signature fills an exact reserved size, detached payload, and
 * `Sig_structure = ["Signature1", protected, h'', claim]`.
 */
import { InvalidArgumentError, SigningError, ToolkitError, said } from '../../errors.ts';
import type { Signer } from '../../crypto/signer.ts';
import { encodeCbor, Tag } from '../cbor.ts';
import { solvePadding } from '../padding.ts';
import { COSE_ALG_IDS, fixedSignatureLength, maxSignatureLength } from './algorithms.ts';

/** COSE header label of the algorithm. */
export const HEADER_ALG = 1;
/** COSE header label of the X.509 chain (RFC 9360). */
export const HEADER_X5CHAIN = 33;
/** CBOR tag of COSE_Sign1. */
export const COSE_SIGN1_TAG = 18;

/**
 * Encode the protected header bucket `{1: alg, 33: x5chain}` (one certificate as a bstr,
 * several as an array, leaf first).
 * @throws {InvalidArgumentError} for an unknown algorithm or an empty chain.
 */
export function encodeProtectedHeader(signer: Pick<Signer, 'alg' | 'certChain'>): Uint8Array {
  const id = COSE_ALG_IDS[signer.alg];
  if (id === undefined) throw InvalidArgumentError.expected('a COSE algorithm', 'signer.alg', signer.alg);
  if (!signer.certChain.length) throw InvalidArgumentError.expected('at least one certificate', 'signer.certChain', signer.certChain);
  const chain = signer.certChain.length === 1 ? signer.certChain[0] : [...signer.certChain];
  return encodeCbor(
    new Map<number, unknown>([
      [HEADER_ALG, id],
      [HEADER_X5CHAIN, chain],
    ]),
  );
}

/** The COSE `Sig_structure` for a detached payload: `[context, protected, h'', payload]`. */
export function sigStructure(
  protectedHeader: Uint8Array,
  payload: Uint8Array,
  context: 'Signature1' | 'CounterSignature' = 'Signature1',
): Uint8Array {
  return encodeCbor([context, protectedHeader, new Uint8Array(0), payload]);
}

/**
 * The data an RFC 3161 v2 (`sigTst2`) time-stamp covers: the CounterSignature structure over
 * the CBOR encoding of the signature byte string (profile §3.3). Its hash is the message imprint.
 */
export function timestampDataV2(protectedHeader: Uint8Array, signature: Uint8Array): Uint8Array {
  return sigStructure(protectedHeader, encodeCbor(signature), 'CounterSignature');
}

/** The data a v1 (`sigTst`) time-stamp covers: the CounterSignature structure over the claim. */
export function timestampDataV1(protectedHeader: Uint8Array, claimBytes: Uint8Array): Uint8Array {
  return sigStructure(protectedHeader, claimBytes, 'CounterSignature');
}

/**
 * Bytes to reserve for a signer's COSE signature: the largest raw signature, the chain, the
 * header overhead and ~1 KB of slack (+ `timestampReserve` when a time-stamp will be added).
 */
export function signatureReserve(signer: Pick<Signer, 'alg' | 'certChain'>, timestampReserve = 0): number {
  let chain = 0;
  for (const c of signer.certChain) chain += c.length + 5;
  return (fixedSignatureLength(signer.alg) ?? maxSignatureLength(signer.alg)) + chain + 1024 + timestampReserve;
}

/** Options for {@link signClaim}. */
export interface SignClaimOptions {
  /** Exact size of the output COSE_Sign1; padded up with `pad`/`pad2`. Default: no padding. */
  readonly size?: number;
  /**
   * Obtain an RFC 3161 TimeStampToken (DER) for the given data (hash it for the message
   * imprint); stored as `sigTst2`. Resolving to undefined signs without a time-stamp.
   */
  readonly timestamp?: (data: Uint8Array) => Promise<Uint8Array | undefined>;
  /**
   * 2 (default): `sigTst2` over the signature, as c2pa-rs 0.90 writes. 1: the legacy `sigTst`
   * over the claim (read-only in the profile; for interop tests).
   */
  readonly timestampVersion?: 1 | 2;
  /** DER OCSPResponses to staple as `rVals: {ocspVals: [...]}` (c2pa-rs form), signer's first. */
  readonly ocspVals?: readonly Uint8Array[];
}

/**
 * Sign claim bytes and return a COSE_Sign1_Tagged, padded to `options.size` when given.
 * @throws {SigningError} when the signer fails, returns a wrongly sized signature, or the
 * signature does not fit in `options.size`.
 */
export async function signClaim(claimBytes: Uint8Array, signer: Signer, options: SignClaimOptions = {}): Promise<Uint8Array> {
  const protectedHeader = encodeProtectedHeader(signer);
  let signature: Uint8Array;
  try {
    signature = await signer.sign(sigStructure(protectedHeader, claimBytes));
  } catch (err) {
    throw err instanceof ToolkitError
      ? err
      : new SigningError(said('err.c2pa.signerFailed', 'signer failed: {v1}', { v1: (err as Error).message }), { cause: err });
  }
  const expected = fixedSignatureLength(signer.alg);
  if (!(signature instanceof Uint8Array) || (expected !== undefined && signature.length !== expected)) {
    throw new SigningError(
      said('err.c2pa.signerReturnedBytesExpected', '{alg} signer returned {v2} bytes, expected {v3}', {
        alg: signer.alg,
        v2: signature?.length,
        v3: expected ?? 'a modulus-length signature',
      }),
    );
  }
  const unprotected = new Map<string, unknown>();
  if (options.timestamp) {
    const v1 = options.timestampVersion === 1;
    const token = await options.timestamp(v1 ? timestampDataV1(protectedHeader, claimBytes) : timestampDataV2(protectedHeader, signature));
    if (token) unprotected.set(v1 ? 'sigTst' : 'sigTst2', { tstTokens: [{ val: token }] });
  }
  if (options.ocspVals?.length) unprotected.set('rVals', { ocspVals: [...options.ocspVals] });
  const build = (pad: number, pad2?: number): Uint8Array => {
    const u = new Map(unprotected);
    u.set('pad', new Uint8Array(pad));
    if (pad2 !== undefined) u.set('pad2', new Uint8Array(pad2));
    return encodeCbor(new Tag([protectedHeader, u, null, signature], COSE_SIGN1_TAG));
  };
  const base = build(0);
  if (options.size === undefined) return base;
  const fit = solvePadding(options.size - base.length, 0);
  if (!fit)
    throw new SigningError(
      said('err.c2pa.coseSignatureNeedsBytes', 'the COSE signature needs {v1} bytes but only {size} are reserved', {
        v1: base.length,
        size: options.size,
      }),
    );
  const out = build(fit.pad, fit.pad2);
  if (out.length !== options.size)
    throw new SigningError(
      said('err.c2pa.cosePaddingProducedBytes', 'COSE padding produced {v1} bytes instead of {size}', {
        v1: out.length,
        size: options.size,
      }),
    );
  return out;
}
