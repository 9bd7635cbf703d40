/**
 * The CA-side revocation database (`revoked.json` in the CA directory) and CRL publishing.
 *
 * ```json
 * { "version": 1, "crlNumber": 3, "revoked": [{ "serial": "1f..", "revokedAt": "2025-06-01T00:00:00.000Z", "subject": "O=.., CN=..", "reason": "keyCompromise" }] }
 * ```
 * `reason` (optional) is an RFC 5280 CRLReason name; it goes into the CRL entry and the OCSP answer.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { CertificateError, InvalidArgumentError, IoError, said } from '../errors.ts';
import { readPkiFile, writeFileAtomic } from '../crypto/keys.ts';
import { loadCa } from './ca.ts';
import { parseCertificates } from './certificate.ts';
import { namesEqual } from './names.ts';
import { verifySignature } from './algorithms.ts';
import { buildCrl, type Crl } from './crl.ts';
import { toPem } from './pem.ts';

/** File name of the revocation database inside a CA directory. */
export const REVOCATION_DB = 'revoked.json';

/**
 * RFC 5280 CRLReason names, indexed by their code (7 is not used). `removeFromCRL` is left out of
 * what `revokeCertificate` accepts: it belongs to delta CRLs, not to a revocation.
 */
export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  '',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

/** The names `revokeCertificate` accepts as a reason. */
export const REVOCATION_REASON_NAMES: readonly string[] = CRL_REASONS.filter((n) => n !== '' && n !== 'removeFromCRL');

/** The RFC 5280 code of a reason name, or undefined when it is not one `revokeCertificate` accepts. */
export function crlReasonCode(name: string): number | undefined {
  return REVOCATION_REASON_NAMES.includes(name) ? CRL_REASONS.indexOf(name as (typeof CRL_REASONS)[number]) : undefined;
}

/** One revoked certificate in the database. */
export interface RevocationRecord {
  readonly serial: string;
  readonly revokedAt: string;
  readonly subject: string;
  /** RFC 5280 CRLReason name (absent: none stated). */
  readonly reason?: string;
}

/** The database. */
export interface RevocationDb {
  readonly version: 1;
  /** Number of the last CRL written (0 = none yet). */
  readonly crlNumber: number;
  readonly revoked: readonly RevocationRecord[];
}

/**
 * Read the revocation database of a CA (empty when none exists yet).
 * @throws {IoError} when it exists but cannot be read or is not valid JSON of this shape.
 */
export async function readRevocationDb(caDir: string): Promise<RevocationDb> {
  const file = path.join(caDir, REVOCATION_DB);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, crlNumber: 0, revoked: [] };
    throw new IoError(said('err.io.read', 'cannot read {path}: {why}', { path: file, why: (err as Error).message }), file, { cause: err });
  }
  try {
    const db = JSON.parse(text) as RevocationDb;
    if (
      db.version !== 1 ||
      !Number.isInteger(db.crlNumber) ||
      !Array.isArray(db.revoked) ||
      !db.revoked.every(
        (r) =>
          typeof r.serial === 'string' &&
          /^[0-9a-f]+$/.test(r.serial) &&
          !Number.isNaN(Date.parse(r.revokedAt)) &&
          (r.reason === undefined || crlReasonCode(r.reason) !== undefined),
      )
    ) {
      throw new IoError(said('err.revdb.structure', 'unexpected structure'), file);
    }
    return db;
  } catch (err) {
    throw new IoError(
      said('err.revdb.invalid', '{path} is not a valid revocation database: {reason}', { path: file, reason: (err as Error).message }),
      file,
      {
        cause: err,
      },
    );
  }
}

/** Options of {@link revokeCertificate}. */
export interface RevokeOptions {
  readonly caDir: string;
  readonly certPath?: string;
  readonly certPem?: string | Uint8Array;
  readonly now?: Date;
  /** RFC 5280 CRLReason name (`keyCompromise`, `superseded`, …; see {@link REVOCATION_REASON_NAMES}). */
  readonly reason?: string;
}

/**
 * Record a certificate issued by this CA's intermediate as revoked (idempotent).
 * @throws {IoError} when files cannot be read or written.
 * @throws {CertificateError} when the certificate is corrupt or was not issued by this CA.
 * @throws {InvalidArgumentError} when `reason` is not an RFC 5280 CRLReason name.
 */
export async function revokeCertificate(opts: RevokeOptions): Promise<{ serial: string; alreadyRevoked: boolean }> {
  if (opts.reason !== undefined && crlReasonCode(opts.reason) === undefined) {
    throw new InvalidArgumentError(
      said('err.revoke.reason', 'unknown revocation reason "{reason}"; one of {names}', {
        reason: opts.reason,
        names: REVOCATION_REASON_NAMES.join(', '),
      }),
    );
  }
  const data = opts.certPem ?? (opts.certPath ? await readPkiFile(opts.certPath, 'certificate') : undefined);
  if (data === undefined) throw new CertificateError(said('err.revoke.noCert', 'no certificate given to revoke'));
  const [cert] = parseCertificates(data, opts.certPath ?? 'certificate');
  const [intermediate] = parseCertificates(await readPkiFile(path.join(opts.caDir, 'intermediate.pem'), 'CA intermediate certificate'));
  if (
    !namesEqual(cert!.issuer, intermediate!.subject) ||
    !verifySignature(cert!.signatureAlgorithm, cert!.tbs, cert!.signature, intermediate!.publicKey).ok
  ) {
    throw new CertificateError(
      said('err.revoke.notIssued', '{cert} ({subject}) was not issued by the CA in {dir}', {
        cert: opts.certPath ?? 'the certificate',
        subject: cert!.subject.text,
        dir: opts.caDir,
      }),
    );
  }
  const db = await readRevocationDb(opts.caDir);
  if (db.revoked.some((r) => r.serial === cert!.serialNumber)) return { serial: cert!.serialNumber, alreadyRevoked: true };
  const record: RevocationRecord = {
    serial: cert!.serialNumber,
    revokedAt: (opts.now ?? new Date()).toISOString(),
    subject: cert!.subject.text,
    ...(opts.reason ? { reason: opts.reason } : {}),
  };
  await writeDb(opts.caDir, { ...db, revoked: [...db.revoked, record] });
  return { serial: cert!.serialNumber, alreadyRevoked: false };
}

/** Options of {@link writeCrl}. */
export interface WriteCrlOptions {
  readonly caDir: string;
  readonly outPath: string;
  /** Passphrase of the intermediate key. */
  readonly passphrase?: string;
  readonly now?: Date;
  /** Days until nextUpdate (default 7). */
  readonly nextUpdateDays?: number;
}

/**
 * Write a CRL (PEM) signed by the CA's intermediate listing every revoked certificate; bumps the CRL number.
 * @throws {IoError} / {KeyError} / {CertificateError} when the CA cannot be loaded or the file written.
 */
export async function writeCrl(opts: WriteCrlOptions): Promise<Crl> {
  const ca = await loadCa(opts.caDir, opts.passphrase);
  const db = await readRevocationDb(opts.caDir);
  const now = opts.now ?? new Date();
  const crlNumber = db.crlNumber + 1;
  const crl = buildCrl({
    issuer: ca.intermediate,
    issuerKey: ca.intermediateKey,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + (opts.nextUpdateDays ?? 7) * 86_400_000),
    crlNumber,
    revoked: db.revoked.map((r) => ({
      serial: r.serial,
      revokedAt: new Date(r.revokedAt),
      ...(r.reason ? { reason: crlReasonCode(r.reason)! } : {}),
    })),
  });
  await writeFileAtomic(opts.outPath, toPem('X509 CRL', crl.der));
  await writeDb(opts.caDir, { ...db, crlNumber });
  return crl;
}

async function writeDb(caDir: string, db: RevocationDb): Promise<void> {
  await writeFileAtomic(path.join(caDir, REVOCATION_DB), `${JSON.stringify(db, null, 2)}\n`);
}
