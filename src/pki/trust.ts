/**
 * Trust configuration: a PEM bundle of anchors (CA certificates) plus an optional allowed
 * list of end-entity certificates, given as PEM certificates and/or lines holding the
 * base64 SHA-256 of a certificate's DER (the c2pa-rs `allowed_list` format).
 */
import crypto from 'node:crypto';
import { CertificateError, said } from '../errors.ts';
import { readPkiFile } from '../crypto/keys.ts';
import { parseCertificate, type Certificate } from './certificate.ts';
import { decodePemBundle, isPem } from './pem.ts';
import { checkAnchorProfile } from './profile.ts';

/** Loaded trust configuration; spread it into `verifyCertificateChain` options. */
export interface TrustStore {
  readonly anchors: readonly Certificate[];
  /** Base64 SHA-256 hashes of allowed end-entity certificates. */
  readonly allowedList: readonly string[];
  /** Anchors skipped (not CAs) and similar notes. */
  readonly warnings: readonly string[];
}

/** Base64 SHA-256 of a certificate's DER (the allowed-list key). */
export function certificateHash(der: Uint8Array): string {
  return crypto.createHash('sha256').update(der).digest('base64');
}

/**
 * Parse anchors and an allowed list.
 * @throws {CertificateError} when a PEM block or allowed-list line is corrupt, or no anchor is usable.
 * @throws {LimitExceededError} above the PEM limits.
 */
export function loadTrustStore(opts: { anchorsPem: string | Uint8Array; allowedListPem?: string | Uint8Array }): TrustStore {
  const warnings: string[] = [];
  const anchors: Certificate[] = [];
  const blocks = decodePemBundle(opts.anchorsPem, 'trust anchors').filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new CertificateError(said('err.trust.noBlock', 'trust anchors: no CERTIFICATE block found'));
  blocks.forEach((b, i) => {
    const cert = parseCertificate(b.der, `trust anchor ${i + 1}`);
    const problems = checkAnchorProfile(cert);
    if (problems.length > 0) warnings.push(`trust anchor ${i + 1} (${cert.subject.text}) skipped: ${problems.join('; ')}`);
    else anchors.push(cert);
  });
  if (anchors.length === 0)
    throw new CertificateError(said('err.trust.noneUsable', 'trust anchors: none is usable ({why})', { why: warnings.join(' | ') }));
  return { anchors, allowedList: opts.allowedListPem === undefined ? [] : parseAllowedList(opts.allowedListPem), warnings };
}

/**
 * Parse an allowed list: PEM certificates and/or base64 SHA-256 lines (blank and `#` lines ignored).
 * @throws {CertificateError} on a line that is neither.
 */
export function parseAllowedList(data: string | Uint8Array): string[] {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  const out: string[] = [];
  if (isPem(text)) {
    for (const b of decodePemBundle(text, 'allowed list')) {
      if (b.label === 'CERTIFICATE') out.push(certificateHash(parseCertificate(b.der, 'allowed-list certificate').der));
    }
  }
  const rest = text.replace(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g, '');
  for (const raw of rest.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const buf = Buffer.from(line, 'base64');
    if (buf.length !== 32 || buf.toString('base64') !== line) {
      throw new CertificateError(
        said('err.trust.allowedLine', 'allowed list: line "{line}" is neither a PEM certificate nor a base64 SHA-256 hash', {
          line: line.slice(0, 40),
        }),
      );
    }
    out.push(line);
  }
  return out;
}

/**
 * Read a trust store from files.
 * @throws {IoError} when a file cannot be read.
 * @throws {CertificateError} / {LimitExceededError} as {@link loadTrustStore}.
 */
export async function readTrustStore(opts: { anchorsPath: string; allowedListPath?: string }): Promise<TrustStore> {
  const anchorsPem = await readPkiFile(opts.anchorsPath, 'trust anchors');
  const allowedListPem = opts.allowedListPath ? await readPkiFile(opts.allowedListPath, 'allowed list') : undefined;
  try {
    return loadTrustStore({ anchorsPem, ...(allowedListPem ? { allowedListPem } : {}) });
  } catch (err) {
    if (err instanceof CertificateError) {
      throw new CertificateError(said('err.in', '{where}: {message}', { where: opts.anchorsPath, message: err.message }), { cause: err });
    }
    throw err;
  }
}
