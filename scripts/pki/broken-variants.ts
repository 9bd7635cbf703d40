/**
 * Broken signer credentials for negative tests, all under the es256 test CA so that
 * `roots.pem` is the anchor set. Each variant is `broken/<name>/{chain.pem,key.pem}`;
 * `broken/crl.pem` revokes the `revoked` variant. See `scripts/fixtures/README-pki.md`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { generateKeyPair, writePrivateKey } from '../../src/crypto/keys.ts';
import { buildCertificate, caExtensions, keyIdOfIssuer, keyIdOfKey, leafExtensions } from '../../src/pki/cert-builder.ts';
import { encodeBasicConstraints, makeExtension } from '../../src/pki/extensions.ts';
import { issueServiceCertificate, type CaMaterial } from '../../src/pki/ca.ts';
import { revokeCertificate, writeCrl } from '../../src/pki/revocation.ts';
import { serviceSubject } from '../../src/pki/identity.ts';
import { ATTR, EKU, EXT } from '../../src/pki/oids.ts';
import { toPem } from '../../src/pki/pem.ts';
import type { Certificate } from '../../src/pki/certificate.ts';
import type { NameInput } from '../../src/pki/names.ts';

/** Names of the broken variants. */
export const BROKEN_VARIANTS = [
  'expired',
  'not-yet-valid',
  'no-eku',
  'serverauth-eku',
  'ca-leaf',
  'self-signed-leaf',
  'wrong-key',
  'pathlen-violated',
  'revoked',
  'unknown-critical-ext',
] as const;

/** Provider code used by the broken leaves. */
export const BROKEN_CODE = '001191000000EXAMPLE01P10000';

interface Ctx {
  dir: string;
  ca: CaMaterial;
  notBefore: Date;
  notAfter: Date;
}

function subject(variant: string): NameInput[] {
  return serviceSubject({ org: 'Broken Test Org', service: `broken ${variant}`, code: BROKEN_CODE, role: 'producer' });
}

async function save(ctx: Ctx, variant: string, chain: Certificate[], key: KeyObject): Promise<void> {
  const d = path.join(ctx.dir, variant);
  await mkdir(d, { recursive: true });
  await writeFile(path.join(d, 'chain.pem'), chain.map((c) => toPem('CERTIFICATE', c.der)).join(''));
  await writePrivateKey(path.join(d, 'key.pem'), key);
}

/** A leaf under the es256 intermediate with chosen dates, extensions or signing key. */
async function leafVariant(
  ctx: Ctx,
  variant: string,
  o: {
    notBefore?: Date;
    notAfter?: Date;
    ekus?: string[];
    extra?: ReturnType<typeof makeExtension>[];
    ca?: boolean;
    signingKey?: KeyObject;
  },
): Promise<void> {
  const keys = generateKeyPair('es256');
  const exts = leafExtensions({
    publicKey: keys.publicKey,
    issuerKeyId: keyIdOfIssuer(ctx.ca.intermediate),
    ...(o.ekus ? { ekus: o.ekus } : {}),
  });
  if (o.ca) exts[0] = makeExtension(EXT.basicConstraints, true, encodeBasicConstraints(true));
  const leaf = buildCertificate({
    subject: subject(variant),
    issuer: ctx.ca.intermediate,
    publicKey: keys.publicKey,
    signingKey: o.signingKey ?? ctx.ca.intermediateKey,
    notBefore: o.notBefore ?? ctx.notBefore,
    notAfter: o.notAfter ?? ctx.notAfter,
    extensions: [...exts, ...(o.extra ?? [])],
  });
  await save(ctx, variant, [leaf, ctx.ca.intermediate], keys.privateKey);
}

/**
 * Write every broken variant under `dir` (= `.../pki/broken`). `caDir` is the es256 CA
 * directory (its revocation database records the `revoked` leaf).
 */
export async function makeBrokenVariants(dir: string, caDir: string, ca: CaMaterial, notBefore: Date, notAfter: Date): Promise<void> {
  const ctx: Ctx = { dir, ca, notBefore, notAfter };
  await leafVariant(ctx, 'expired', { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
  await leafVariant(ctx, 'not-yet-valid', { notBefore: new Date('2099-01-01T00:00:00Z'), notAfter: new Date('2100-01-01T00:00:00Z') });
  await leafVariant(ctx, 'no-eku', { ekus: [] });
  await leafVariant(ctx, 'serverauth-eku', { ekus: [EKU.serverAuth] });
  await leafVariant(ctx, 'ca-leaf', { ca: true });
  await leafVariant(ctx, 'wrong-key', { signingKey: generateKeyPair('es256').privateKey });
  await leafVariant(ctx, 'unknown-critical-ext', { extra: [makeExtension('1.3.6.1.4.1.55555.1.1', true, new Uint8Array([0x05, 0x00]))] });

  // Self-signed end-entity certificate: its own issuer, CA:false.
  const self = generateKeyPair('es256');
  const selfCert = buildCertificate({
    subject: subject('self-signed-leaf'),
    publicKey: self.publicKey,
    signingKey: self.privateKey,
    notBefore,
    notAfter,
    extensions: leafExtensions({ publicKey: self.publicKey, issuerKeyId: keyIdOfKey(self.publicKey) }),
  });
  await save(ctx, 'self-signed-leaf', [selfCert], self.privateKey);

  // pathLen violated: the intermediate has pathLen 0 but signs a sub-CA that signs the leaf.
  const sub = generateKeyPair('es256');
  const subCa = buildCertificate({
    subject: [
      { oid: ATTR.organization, value: 'Broken Test Org' },
      { oid: ATTR.commonName, value: 'Broken Sub-CA below pathLen 0' },
    ],
    issuer: ca.intermediate,
    publicKey: sub.publicKey,
    signingKey: ca.intermediateKey,
    notBefore,
    notAfter,
    extensions: caExtensions({ publicKey: sub.publicKey, issuerKeyId: keyIdOfIssuer(ca.intermediate) }),
  });
  const leafKeys = generateKeyPair('es256');
  const deepLeaf = buildCertificate({
    subject: subject('pathlen-violated'),
    issuer: subCa,
    publicKey: leafKeys.publicKey,
    signingKey: sub.privateKey,
    notBefore,
    notAfter,
    extensions: leafExtensions({ publicKey: leafKeys.publicKey, issuerKeyId: keyIdOfIssuer(subCa) }),
  });
  await save(ctx, 'pathlen-violated', [deepLeaf, subCa, ca.intermediate], leafKeys.privateKey);

  // Revoked: a correct leaf, then revoked in the CA database and listed in broken/crl.pem.
  const revokedDir = path.join(dir, 'revoked');
  const issued = await issueServiceCertificate({
    caDir,
    outDir: revokedDir,
    service: 'broken revoked',
    org: 'Broken Test Org',
    code: BROKEN_CODE,
    role: 'producer',
    alg: 'es256',
    now: notBefore,
    days: Math.floor((notAfter.getTime() - notBefore.getTime()) / 86_400_000),
  });
  await revokeCertificate({ caDir, certPath: issued.chainPath, now: new Date('2025-06-01T00:00:00Z') });
  await writeCrl({ caDir, outPath: path.join(dir, 'crl.pem'), now: new Date('2025-06-01T00:00:00Z'), nextUpdateDays: 3650 });
}
