/**
 * An OCSP response decoded for people (`inspect`, the report's `signature_info.ocsp`,
 * `inspect --detailed`): status, responder, when it was produced, the certificates it
 * embeds, and each entry's certificate serial, status, thisUpdate/nextUpdate and
 * revocation time and reason. No judgement here: `steps/ocsp.ts` decides what counts.
 */
import { CRL_REASONS } from '../pki/revocation.ts';
import { createHash } from 'node:crypto';
import { parseCertificate, type Certificate } from '../pki/certificate.ts';
import { publicKeyBits } from '../pki/cert-builder.ts';
import { ToolkitError } from '../errors.ts';
import { certIdMatches, decodeOcspResponse, OCSPResponseStatus } from './protocol.ts';

const REASONS: readonly string[] = CRL_REASONS.map((n, i) => n || String(i));

/** One SingleResponse. */
export interface OcspEntryDescription {
  /** Serial number of the certificate it is about (hex). */
  serial: string;
  status: 'good' | 'revoked' | 'unknown';
  this_update: string;
  next_update?: string;
  revoked_at?: string;
  reason?: string;
  /** True when the entry names the signing certificate (issued by the chain's second certificate). */
  for_signer?: boolean;
}

/** A decoded OCSP response. */
export interface OcspDescription {
  /** `successful`, `malformedRequest`, `internalError`, `tryLater`, `sigRequired`, `unauthorized`. */
  response_status: string;
  /** The responder: the subject of the embedded certificate the responder ID names, else the ID itself. */
  responder?: string;
  produced_at?: string;
  /** Subjects of the embedded certificates, in order. */
  certificates?: string[];
  responses?: OcspEntryDescription[];
  /** Why the response could not be read. */
  error?: string;
}

function parsed(der: Uint8Array): Certificate | undefined {
  try {
    return parseCertificate(der, 'OCSP certificate');
  } catch {
    return undefined;
  }
}

/**
 * Describe `der`; `signerChain` (leaf, issuer, ...) lets the entry for the signing certificate be marked.
 * Never throws: an unreadable response gives `{ response_status: 'unreadable', error }`.
 */
export function describeOcspResponse(der: Uint8Array, signerChain: readonly Uint8Array[] = []): OcspDescription {
  let r: ReturnType<typeof decodeOcspResponse>;
  try {
    r = decodeOcspResponse(der);
  } catch (err) {
    return { response_status: 'unreadable', error: err instanceof ToolkitError ? err.message : String(err) };
  }
  const out: OcspDescription = { response_status: OCSPResponseStatus[r.responseStatus] ?? String(r.responseStatus) };
  const b = r.basic;
  if (!b) return out;
  const certs = b.certsDer.map(parsed);
  const named = certs.find(
    (c) =>
      c &&
      (b.responderKeyHash
        ? createHash('sha1').update(publicKeyBits(c.publicKey)).digest('hex') === b.responderKeyHash
        : b.responderNameDer !== undefined && Buffer.from(b.responderNameDer).equals(Buffer.from(c.subject.der))),
  );
  out.responder = named?.subject.text ?? (b.responderKeyHash ? `key hash ${b.responderKeyHash}` : 'by name (no embedded certificate)');
  out.produced_at = b.producedAt.toISOString();
  out.certificates = certs.map((c, i) => c?.subject.text ?? `<certificate ${i + 1} unreadable>`);
  const leaf = signerChain[0] ? parsed(signerChain[0]) : undefined;
  const issuer = signerChain[1] ? parsed(signerChain[1]) : undefined;
  out.responses = b.responses.map((s) => ({
    serial: s.certId.serial,
    status: s.status,
    this_update: s.thisUpdate.toISOString(),
    ...(s.nextUpdate ? { next_update: s.nextUpdate.toISOString() } : {}),
    ...(s.revokedAt ? { revoked_at: s.revokedAt.toISOString() } : {}),
    ...(s.reason !== undefined ? { reason: REASONS[s.reason] ?? String(s.reason) } : {}),
    ...(leaf && issuer && certIdMatches(s.certId, leaf, issuer) ? { for_signer: true } : {}),
  }));
  return out;
}
