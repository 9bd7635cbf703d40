/**
 * An RSA chain made by node-forge (sha256WithRSAEncryption, PKCS#1 v1.5 certificate
 * signatures): root → intermediate (pathLen 0) → C2PA signer leaf with an RSA key. It
 * proves we accept chains made by another X.509 implementation. RSA keys are generated
 * with node:crypto (forge's pure-JS key generation is slow) and imported into forge.
 */
import crypto from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { encodeExtKeyUsage } from '../../src/pki/extensions.ts';
import { EKU } from '../../src/pki/oids.ts';
import { writePrivateKey } from '../../src/crypto/keys.ts';

/** Generate an RSA-2048 key pair without blocking the event loop. */
export const generateRsaKeyPair = (): Promise<crypto.KeyPairKeyObjectResult> =>
  new Promise((resolve, reject) =>
    crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  );

function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('binary');
}

function forgeCert(opts: {
  subjectCn: string;
  issuer?: forge.pki.Certificate;
  pub: crypto.KeyObject;
  signer: crypto.KeyObject;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  pathLen?: number;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(opts.pub.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = opts.serial;
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = [
    { name: 'organizationName', value: 'Forge RSA Test' },
    { name: 'commonName', value: opts.subjectCn },
  ];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.subject.attributes : subject);
  // forge computes the SKI itself (SHA-1 of the RSAPublicKey); the AKI is the issuer's SKI.
  const aki = (opts.issuer ?? cert).generateSubjectKeyIdentifier().getBytes();
  const exts: object[] = opts.ca
    ? [
        { name: 'basicConstraints', cA: true, critical: true, ...(opts.pathLen === undefined ? {} : { pathLenConstraint: opts.pathLen }) },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ]
    : [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { id: '2.5.29.37', critical: false, value: binary(encodeExtKeyUsage([EKU.c2paClaimSigning, EKU.emailProtection])) },
      ];
  exts.push({ name: 'subjectKeyIdentifier' });
  exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: aki });
  cert.setExtensions(exts);
  cert.sign(forge.pki.privateKeyFromPem(opts.signer.export({ type: 'pkcs1', format: 'pem' }) as string), forge.md.sha256.create());
  return cert;
}

/**
 * Write `root.pem`, `chain.pem` (leaf, intermediate) and `key.pem` into `dir`, using the
 * three RSA key pairs given (root, intermediate, leaf) or fresh ones.
 */
export async function makeForgeRsaChain(
  dir: string,
  notBefore: Date,
  notAfter: Date,
  keys?: readonly crypto.KeyPairKeyObjectResult[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const [root, int, leaf] = keys ?? (await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]));
  if (!root || !int || !leaf) throw new TypeError('makeForgeRsaChain needs three RSA key pairs');
  const rootCert = forgeCert({
    subjectCn: 'Forge RSA Root',
    pub: root.publicKey,
    signer: root.privateKey,
    serial: '01',
    notBefore,
    notAfter,
    ca: true,
  });
  const intCert = forgeCert({
    subjectCn: 'Forge RSA Intermediate',
    issuer: rootCert,
    pub: int.publicKey,
    signer: root.privateKey,
    serial: '02',
    notBefore,
    notAfter,
    ca: true,
    pathLen: 0,
  });
  const leafCert = forgeCert({
    subjectCn: 'Forge RSA Signer',
    issuer: intCert,
    pub: leaf.publicKey,
    signer: int.privateKey,
    serial: '03',
    notBefore,
    notAfter,
    ca: false,
  });
  await writeFile(path.join(dir, 'root.pem'), forge.pki.certificateToPem(rootCert));
  await writeFile(path.join(dir, 'chain.pem'), forge.pki.certificateToPem(leafCert) + forge.pki.certificateToPem(intCert));
  await writePrivateKey(path.join(dir, 'key.pem'), leaf.privateKey);
}
