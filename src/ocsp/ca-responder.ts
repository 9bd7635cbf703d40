/**
 * Responder options for a CA directory made by `aigc pki init`: answers for certificates
 * issued by its intermediate, "revoked" for those in `revoked.json` (re-read per request),
 * "good" otherwise; signed by the intermediate or by a delegated responder certificate.
 */
import { loadCa } from '../pki/ca.ts';
import { crlReasonCode, readRevocationDb } from '../pki/revocation.ts';
import { parseCertificateChain } from '../pki/certificate.ts';
import { readPkiFile, loadPrivateKey } from '../crypto/keys.ts';
import type { OcspResponderOptions } from './responder.ts';

/** Options of {@link caResponderOptions}. */
export interface CaResponderOptions {
  readonly caDir: string;
  /** Passphrase of the intermediate key (when it signs). */
  readonly passphrase?: string;
  /** A delegated responder: its chain.pem and key.pem (from `aigc pki issue-ocsp`). */
  readonly responderChainPath?: string;
  readonly responderKeyPath?: string;
  readonly host?: string;
  readonly port?: number;
  readonly validityMinutes?: number;
}

/**
 * Build responder options from a CA directory.
 * @throws {IoError} / {KeyError} / {CertificateError} when the CA or responder files cannot be loaded.
 */
export async function caResponderOptions(o: CaResponderOptions): Promise<OcspResponderOptions> {
  const ca = await loadCa(o.caDir, o.passphrase);
  let signerCert = ca.intermediate;
  let signerKey = ca.intermediateKey;
  let signerChain: (typeof signerCert)[] = [];
  if (o.responderChainPath && o.responderKeyPath) {
    const chain = parseCertificateChain(await readPkiFile(o.responderChainPath, 'OCSP responder chain'), o.responderChainPath);
    signerCert = chain[0]!;
    // The responder's issuing chain, without a self-signed root (anchors are the verifier's own).
    signerChain = chain.slice(1).filter((c) => !c.selfIssued);
    signerKey = await loadPrivateKey({ keyPath: o.responderKeyPath, ...(o.passphrase ? { passphrase: o.passphrase } : {}) });
  }
  return {
    issuer: ca.intermediate,
    signerCert,
    signerKey,
    signerChain,
    lookup: async (serial) => {
      const db = await readRevocationDb(o.caDir);
      const r = db.revoked.find((x) => x.serial.replace(/^(00)+(?=.)/, '') === serial);
      if (!r) return { status: 'good' };
      const reason = r.reason ? crlReasonCode(r.reason) : undefined;
      return { status: 'revoked', revokedAt: new Date(r.revokedAt), ...(reason !== undefined ? { reason } : {}) };
    },
    ...(o.host ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.validityMinutes ? { validityMinutes: o.validityMinutes } : {}),
  };
}
