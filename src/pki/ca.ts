/**
 * A small two-level certificate authority for AI services: a root and an intermediate
 * (pathLen 0) on disk, and C2PA signer certificates for services (c2pa-profile §3.4)
 * carrying their GB 45438 identity (see `identity.ts`). Times are injectable (`now`) so
 * test PKIs are reproducible.
 */
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { InvalidArgumentError, IoError, KeyError, RefusedError, said } from '../errors.ts';
import { checkOptions, is } from '../options-check.ts';
import {
  generateKeyPair,
  keyAlgorithmOf,
  loadPrivateKey,
  publicKeyFromPem,
  readPkiFile,
  samePublicKey,
  writeFileAtomic,
  writePrivateKey,
  type KeyAlgorithm,
} from '../crypto/keys.ts';
import { buildCertificate, caExtensions, keyIdOfIssuer, keyIdOfKey, leafExtensions } from './cert-builder.ts';
import { parseCertificates, type Certificate } from './certificate.ts';
import { serviceSubject, type ServiceIdentity, type ServiceRole } from './identity.ts';
import { ATTR } from './oids.ts';
import { toPem } from './pem.ts';

const DAY = 86_400_000;
/** Default lifetimes in days. */
export const CA_DEFAULTS = { rootDays: 7305, intermediateDays: 3653, leafDays: 365, maxLeafDays: 3653 } as const;

/** File names inside a CA directory. */
export const CA_FILES = {
  root: 'root.pem',
  rootKey: 'root.key',
  intermediate: 'intermediate.pem',
  intermediateKey: 'intermediate.key',
} as const;

/** Options of {@link initCa}. */
export interface InitCaOptions {
  readonly outDir: string;
  readonly alg?: KeyAlgorithm;
  readonly org?: string;
  /** Encrypt both CA keys with this passphrase. */
  readonly passphrase?: string;
  /** Start of validity (default: now). */
  readonly now?: Date;
  readonly rootDays?: number;
  readonly intermediateDays?: number;
  /** Overwrite an existing CA in `outDir`. */
  readonly force?: boolean;
}

/** A CA as created or loaded. */
export interface CaMaterial {
  readonly root: Certificate;
  readonly intermediate: Certificate;
  readonly intermediateKey: KeyObject;
}

function checkDays(days: number, name: string, max: number): void {
  if (!Number.isInteger(days) || days < 1 || days > max)
    throw InvalidArgumentError.expected(`an integer number of days from 1 to ${max}`, name, days);
}

/**
 * Create a root and an intermediate CA and write them to `outDir`.
 * @throws {InvalidArgumentError} on bad options.
 * @throws {RefusedError} when `outDir` already holds a CA and `force` is not set.
 * @throws {IoError} when files cannot be written.
 */
export async function initCa(
  opts: InitCaOptions,
): Promise<CaMaterial & { rootKey: KeyObject; files: Record<keyof typeof CA_FILES, string> }> {
  checkOptions('initCa', opts, INIT_RULES);
  const alg = opts.alg ?? 'ed25519';
  const org = opts.org ?? 'AIGC Provenance Test';
  const now = opts.now ?? new Date();
  const rootDays = opts.rootDays ?? CA_DEFAULTS.rootDays;
  const intermediateDays = opts.intermediateDays ?? CA_DEFAULTS.intermediateDays;
  checkDays(rootDays, 'rootDays', 36_525);
  checkDays(intermediateDays, 'intermediateDays', rootDays);
  const files = Object.fromEntries(Object.entries(CA_FILES).map(([k, f]) => [k, path.join(opts.outDir, f)])) as Record<
    keyof typeof CA_FILES,
    string
  >;
  if (!opts.force && (await exists(files.rootKey))) {
    throw new RefusedError(
      said(
        'err.ca.exists',
        '{dir} already holds a CA (root.key exists); choose another --out directory, or pass --force (force: true) to replace it',
        {
          dir: opts.outDir,
        },
      ),
      '--force',
    );
  }
  const rootKeys = generateKeyPair(alg);
  const root = buildCertificate({
    subject: [
      { oid: ATTR.organization, value: org },
      { oid: ATTR.commonName, value: `${org} Root CA` },
    ],
    publicKey: rootKeys.publicKey,
    signingKey: rootKeys.privateKey,
    notBefore: now,
    notAfter: new Date(now.getTime() + rootDays * DAY),
    extensions: caExtensions({ publicKey: rootKeys.publicKey, issuerKeyId: keyIdOfKey(rootKeys.publicKey) }),
  });
  const intKeys = generateKeyPair(alg);
  const intermediate = buildCertificate({
    subject: [
      { oid: ATTR.organization, value: org },
      { oid: ATTR.commonName, value: `${org} Intermediate CA` },
    ],
    issuer: root,
    publicKey: intKeys.publicKey,
    signingKey: rootKeys.privateKey,
    notBefore: now,
    notAfter: new Date(now.getTime() + intermediateDays * DAY),
    extensions: caExtensions({ publicKey: intKeys.publicKey, issuerKeyId: keyIdOfIssuer(root), pathLen: 0 }),
  });
  await makeDir(opts.outDir);
  await writeFileAtomic(files.root, toPem('CERTIFICATE', root.der));
  await writeFileAtomic(files.intermediate, toPem('CERTIFICATE', intermediate.der));
  await writePrivateKey(files.rootKey, rootKeys.privateKey, opts.passphrase);
  await writePrivateKey(files.intermediateKey, intKeys.privateKey, opts.passphrase);
  return { root, intermediate, intermediateKey: intKeys.privateKey, rootKey: rootKeys.privateKey, files };
}

/**
 * Load a CA directory's root, intermediate and intermediate key (checked to match).
 * @throws {IoError} when a file is missing.
 * @throws {CertificateError} when a certificate is corrupt.
 * @throws {KeyError} when the key is corrupt, locked, or does not match intermediate.pem.
 */
export async function loadCa(caDir: string, passphrase?: string): Promise<CaMaterial> {
  const rootPath = path.join(caDir, CA_FILES.root);
  const intPath = path.join(caDir, CA_FILES.intermediate);
  const [root] = parseCertificates(await readPkiFile(rootPath, 'CA root certificate'), rootPath);
  const [intermediate] = parseCertificates(await readPkiFile(intPath, 'CA intermediate certificate'), intPath);
  const keyPath = path.join(caDir, CA_FILES.intermediateKey);
  const intermediateKey = await loadPrivateKey({ keyPath, ...(passphrase === undefined ? {} : { passphrase }) });
  if (!samePublicKey(intermediateKey, intermediate!.publicKey)) {
    throw new KeyError(said('err.key.mismatch', '{key} does not match {cert}', { key: keyPath, cert: intPath }));
  }
  return { root: root!, intermediate: intermediate!, intermediateKey };
}

/** In-memory issuance of a service leaf under an issuing CA certificate and key. */
export interface CreateLeafOptions extends ServiceIdentity {
  readonly issuer: Certificate;
  readonly issuerKey: KeyObject;
  readonly alg?: KeyAlgorithm;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** OCSP responder URL to name in the certificate (AIA), so signers staple by default. */
  readonly ocspUrl?: string;
}

/**
 * Create a service signing certificate and its new key pair (not written anywhere).
 * @throws {InvalidArgumentError} when the identity is invalid.
 */
export function createServiceCertificate(opts: CreateLeafOptions): { cert: Certificate; privateKey: KeyObject } {
  const keys = generateKeyPair(opts.alg ?? 'ed25519');
  return { cert: certifyServiceKey(opts, keys.publicKey), privateKey: keys.privateKey };
}

/**
 * Certify a public key whose private key is held elsewhere (an HSM, a KMS) as a service signing certificate.
 * @throws {InvalidArgumentError} when the identity is invalid.
 */
export function certifyServiceKey(opts: CreateLeafOptions, publicKey: KeyObject): Certificate {
  return buildCertificate({
    subject: serviceSubject(opts),
    issuer: opts.issuer,
    publicKey,
    signingKey: opts.issuerKey,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    extensions: leafExtensions({ publicKey, issuerKeyId: keyIdOfIssuer(opts.issuer), ...(opts.ocspUrl ? { ocspUrl: opts.ocspUrl } : {}) }),
  });
}

const INIT_RULES = {
  outDir: is.string,
  alg: is.string,
  org: is.string,
  passphrase: is.string,
  now: is.date,
  rootDays: is.number,
  intermediateDays: is.number,
  force: is.boolean,
} as const;
const ISSUE_RULES = {
  caDir: is.string,
  outDir: is.string,
  service: is.string,
  org: is.string,
  code: is.string,
  role: is.string,
  alg: is.string,
  days: is.number,
  caPassphrase: is.string,
  force: is.boolean,
  keyPassphrase: is.string,
  now: is.date,
  ocspUrl: is.string,
} as const;

/** Options of {@link issueServiceCertificate}. */
export interface IssueOptions {
  readonly caDir: string;
  readonly outDir: string;
  readonly service: string;
  readonly org: string;
  readonly code: string;
  readonly role?: ServiceRole;
  /** Key algorithm of the new key (default: the CA's). */
  readonly alg?: KeyAlgorithm;
  readonly days?: number;
  /** Passphrase of the CA's intermediate key. */
  readonly caPassphrase?: string;
  /** Replace an existing `chain.pem` / `key.pem` in `outDir` (default false: refused). */
  readonly force?: boolean;
  /** Encrypt the new key.pem with this passphrase. */
  readonly keyPassphrase?: string;
  readonly now?: Date;
  /** OCSP responder URL to name in the certificate (AIA). */
  readonly ocspUrl?: string;
}

/**
 * Issue a service certificate from a CA directory; writes `chain.pem` (leaf, intermediate) and `key.pem` (0600).
 * @throws {InvalidArgumentError} on a malformed provider code, bad role, or a validity beyond the intermediate's.
 * @throws {RefusedError} when `outDir` already holds `key.pem` or `chain.pem` and `force` is not set (checked before anything is made).
 * @throws {IoError} / {CertificateError} / {KeyError} when the CA cannot be loaded or files written.
 */
export async function issueServiceCertificate(opts: IssueOptions): Promise<{ cert: Certificate; chainPath: string; keyPath: string }> {
  checkOptions('issueServiceCertificate', opts, ISSUE_RULES);
  await refuseExisting(opts.outDir, ['key.pem', 'chain.pem'], opts.force);
  const { leafOpts, ca } = await prepareIssue(opts);
  const { cert, privateKey } = createServiceCertificate(leafOpts);
  const chainPath = await writeChain(opts.outDir, cert, ca.intermediate);
  const keyPath = path.join(opts.outDir, 'key.pem');
  await writePrivateKey(keyPath, privateKey, opts.keyPassphrase);
  return { cert, chainPath, keyPath };
}

/**
 * Certify a public key held elsewhere (PEM SPKI, e.g. generated in an HSM): writes only `chain.pem`.
 * @throws {InvalidArgumentError} on a malformed provider code, bad role, or a validity beyond the intermediate's.
 * @throws {KeyError} when the public key cannot be parsed.
 * @throws {RefusedError} when `outDir` already holds `chain.pem` and `force` is not set.
 * @throws {IoError} / {CertificateError} when the CA cannot be loaded or files written.
 */
export async function issueForPublicKey(
  opts: Omit<IssueOptions, 'alg' | 'keyPassphrase'> & { publicKeyPem: string | Uint8Array },
): Promise<{ cert: Certificate; chainPath: string }> {
  const publicKey = publicKeyFromPem(opts.publicKeyPem, 'public key to certify');
  await refuseExisting(opts.outDir, ['chain.pem'], opts.force);
  const { leafOpts, ca } = await prepareIssue(opts);
  const cert = certifyServiceKey(leafOpts, publicKey);
  return { cert, chainPath: await writeChain(opts.outDir, cert, ca.intermediate) };
}

async function prepareIssue(opts: IssueOptions): Promise<{ leafOpts: CreateLeafOptions; ca: CaMaterial }> {
  const identity: ServiceIdentity = { org: opts.org, service: opts.service, code: opts.code, role: opts.role ?? 'producer' };
  serviceSubject(identity);
  const days = opts.days ?? CA_DEFAULTS.leafDays;
  checkDays(days, 'days', CA_DEFAULTS.maxLeafDays);
  const ca = await loadCa(opts.caDir, opts.caPassphrase);
  const now = opts.now ?? new Date();
  const notAfter = new Date(now.getTime() + days * DAY);
  if (notAfter > ca.intermediate.notAfter) {
    throw InvalidArgumentError.expected(
      `a validity ending by ${ca.intermediate.notAfter.toISOString()} (when the intermediate expires)`,
      'days',
      days,
    );
  }
  const alg = opts.alg ?? keyAlgorithmOf(ca.intermediateKey) ?? 'ed25519';
  return {
    leafOpts: {
      ...identity,
      issuer: ca.intermediate,
      issuerKey: ca.intermediateKey,
      alg,
      notBefore: now,
      notAfter,
      ...(opts.ocspUrl ? { ocspUrl: opts.ocspUrl } : {}),
    },
    ca,
  };
}

async function writeChain(outDir: string, cert: Certificate, intermediate: Certificate): Promise<string> {
  await makeDir(outDir);
  const chainPath = path.join(outDir, 'chain.pem');
  await writeFileAtomic(chainPath, toPem('CERTIFICATE', cert.der) + toPem('CERTIFICATE', intermediate.der));
  return chainPath;
}

/**
 * Nothing is overwritten silently (issue #12 §5).
 * @throws {RefusedError} when one of `files` exists in `dir` and `force` is not set.
 */
async function refuseExisting(dir: string, files: readonly string[], force: boolean | undefined): Promise<void> {
  if (force) return;
  for (const f of files) {
    if (await exists(path.join(dir, f))) {
      throw new RefusedError(
        said(
          'err.ca.issuedExists',
          '{path} already exists; choose another --out directory, or pass --force (force: true) to replace the key and chain',
          {
            path: path.join(dir, f),
          },
        ),
        '--force',
      );
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new IoError(
      said('err.io.createDir', 'cannot create directory {path}: {why}', {
        path: dir,
        why: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
      }),
      dir,
      {
        cause: err,
      },
    );
  }
}
