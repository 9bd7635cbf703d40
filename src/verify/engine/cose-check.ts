/**
 * The claim-signature check `verifyCoseSign1` makes (manifest core), with the signing
 * certificate's key taken from the verifier's certificate cache: a service verifying many
 * files from one signer then parses that certificate once. Same statuses, never throws.
 */
import { isDerEcdsaSignature, keyMismatch, verifyRawSignature } from '../../crypto/cose-keys.ts';
import { parseCoseSign1, readTimestamps, sigStructure, type CoseSign1, type CoseVerification } from '../../manifest/index.ts';
import type { Certificate } from '../../pki/certificate.ts';
import { cachedCertificate } from './cert-cache.ts';
import { bytesEqual } from '../../binary/bytes.ts';

/** Verify a COSE_Sign1 claim signature over the exact claim bytes; also returns the parsed leaf. */
export function checkClaimSignature(coseBytes: Uint8Array, claimBytes: Uint8Array): CoseVerification & { leaf?: Certificate } {
  let cose: CoseSign1;
  try {
    cose = parseCoseSign1(coseBytes);
  } catch (err) {
    return { ok: false, status: 'malformed', message: (err as Error).message, chainDer: [], timestamps: [] };
  }
  const timestamps = readTimestamps(cose, claimBytes);
  const base = {
    alg: cose.alg,
    chainDer: cose.chainDer,
    cose,
    timestamps,
    timestamp: timestamps.find((t) => t.status === 'valid') ?? timestamps[0],
  };
  if (!cose.alg)
    return { ...base, ok: false, status: 'unsupported-algorithm', message: `unsupported COSE algorithm ${String(cose.algId)}` };
  if (cose.alg.startsWith('ES') && isDerEcdsaSignature(cose.signature)) {
    return {
      ...base,
      ok: false,
      status: 'der-ecdsa-signature',
      message: 'unsupported signature format (EC signature should be in P1363 r|s format)',
    };
  }
  let leaf: Certificate;
  try {
    leaf = cachedCertificate(cose.chainDer[0]!, 'signing certificate');
  } catch (err) {
    return { ...base, ok: false, status: 'bad-certificate', message: (err as Error).message };
  }
  const mismatch = keyMismatch(cose.alg, leaf.publicKey);
  if (mismatch) return { ...base, leaf, ok: false, status: 'bad-certificate', message: mismatch };
  if (cose.payload && !bytesEqual(cose.payload, claimBytes))
    return { ...base, leaf, ok: false, status: 'mismatch', message: 'the attached COSE payload is not the claim' };
  const ok = verifyRawSignature(cose.alg, leaf.publicKey, sigStructure(cose.protectedRaw, cose.payload ?? claimBytes), cose.signature);
  return ok
    ? { ...base, leaf, ok: true, status: 'valid' }
    : { ...base, leaf, ok: false, status: 'mismatch', message: 'the claim signature does not verify' };
}
