/**
 * Building the producer's GB 45438 label and checking it against the signer's certificate.
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../errors.ts';
import { makeGb45438Label } from '../labels/implicit/gb45438.ts';
import type { Gb45438Label } from '../labels/implicit/types.ts';
import { parseProviderCode } from '../labels/provider-code.ts';
import { parseCertificate, providerCodeOf } from '../pki/index.ts';
import type { Signer } from '../crypto/signer.ts';

/** A fresh content ID: 32 hex digits (Annex E j) charset, unique per item). */
export function newContentId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * The label a content service writes at generation time. Per Annex E Note 1, on first
 * write ContentPropagator = ContentProducer and PropagateID = ProduceID.
 * @throws {InvalidArgumentError} for a malformed provider code or ID.
 */
export function producerLabel(producer: string, produceId: string = newContentId(), reservedCode1 = ''): Gb45438Label {
  parseProviderCode(producer);
  if (!produceId) throw InvalidArgumentError.expected('a non-empty content ID', 'produceId', produceId);
  return makeGb45438Label({
    Label: '1',
    ContentProducer: producer,
    ProduceID: produceId,
    ReservedCode1: reservedCode1,
    ContentPropagator: producer,
    PropagateID: produceId,
    ReservedCode2: '',
  });
}

/** Provider code per certificate object (parsed once; a service signs many files). */
const CERT_CODES = new WeakMap<Uint8Array, string>();

/**
 * Refuse to sign a label whose provider code is not the one in the signer's certificate
 * (the verifier would flag it as forged). Certificates without a code are accepted.
 * @throws {InvalidArgumentError} on a mismatch.
 */
export function checkSignerCode(signer: Signer, code: string, field: 'producer' | 'propagator'): void {
  const leaf = signer.certChain[0];
  if (!leaf) return;
  let certCode = CERT_CODES.get(leaf);
  if (certCode === undefined) {
    certCode = providerCodeOf(parseCertificate(leaf)) ?? '';
    CERT_CODES.set(leaf, certCode);
  }
  if (certCode && certCode !== code) {
    throw new InvalidArgumentError(`--${field} ${code} is not the provider code in the signing certificate (${certCode})`, {
      detail: { key: 'err.codeMismatch', params: { option: `--${field}`, code, cert: certCode } },
    });
  }
}
