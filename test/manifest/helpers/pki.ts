/**
 * Test credentials for the manifest tests: the generated PKI (`fixtures/generated/pki/`),
 * a tiny node:crypto Signer adapter, and throwaway openssl certificates (P-521, a TSA).
 */
import { constants, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CoseAlgorithm, Signer } from '../../../src/crypto/signer.ts';
import { gen } from '../../helpers.ts';

/** DER certificates of a PEM bundle, in order. */
export function pemToDers(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    out.push(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  }
  return out;
}

const HASH: Record<CoseAlgorithm, string | null> = {
  Ed25519: null,
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
};

/** A Signer over a node:crypto private key (raw r‖s for ECDSA, PSS salt = hash length). */
export function nodeSigner(alg: CoseAlgorithm, key: KeyObject, certChain: Uint8Array[]): Signer {
  return {
    alg,
    certChain,
    async sign(data) {
      const hash = HASH[alg];
      if (alg.startsWith('PS')) {
        return new Uint8Array(
          sign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: { sha256: 32, sha384: 48, sha512: 64 }[hash!] }),
        );
      }
      return new Uint8Array(sign(hash, data, { key, dsaEncoding: 'ieee-p1363' }));
    },
  };
}

/** Paths of one generated credential directory. */
export interface Credentials {
  readonly dir: string;
  readonly chainPem: string;
  readonly keyPem: string;
  readonly rootPem: string;
}

/** Read `fixtures/generated/pki/<sub>/{chain,key,root}.pem`. */
export function credentials(sub: string): Credentials {
  const dir = gen('pki', sub);
  return {
    dir,
    chainPem: readFileSync(path.join(dir, 'chain.pem'), 'utf8'),
    keyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
    rootPem: readFileSync(path.join(dir, 'root.pem'), 'utf8'),
  };
}

/** A signer from a generated credential directory. */
export function signerFor(sub: string, alg: CoseAlgorithm): Signer {
  const c = credentials(sub);
  return nodeSigner(alg, createPrivateKey(c.keyPem), pemToDers(c.chainPem));
}

/** Whether the openssl CLI is available. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let tmp: string | undefined;
function tmpDir(): string {
  tmp ??= mkdtempSync(path.join(os.tmpdir(), 'manifest-test-'));
  return tmp;
}

/** A self-signed certificate (openssl) for an existing key; returns its DER. */
export function selfSignedCert(key: KeyObject, cn: string, extensions: string[] = []): Uint8Array {
  const dir = tmpDir();
  const keyFile = path.join(dir, `${cn}.key`);
  const certFile = path.join(dir, `${cn}.der`);
  writeFileSync(keyFile, key.export({ type: 'pkcs8', format: 'pem' }));
  const ext = extensions.flatMap((e) => ['-addext', e]);
  execFileSync(
    'openssl',
    ['req', '-x509', '-key', keyFile, '-subj', `/CN=${cn}`, '-days', '30', '-outform', 'DER', '-out', certFile, ...ext],
    { stdio: 'ignore' },
  );
  return new Uint8Array(readFileSync(certFile));
}

/** A P-521 key and self-signed certificate (for ES512). */
export function p521(): { key: KeyObject; cert: Uint8Array } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
  return { key: privateKey, cert: selfSignedCert(privateKey, 'p521-test') };
}

/**
 * A TSA certificate issued by the es256 test intermediate (so the test root anchors it):
 * EKU timeStamping (critical), KU digitalSignature. Returns key and DER chain (TSA, intermediate).
 */
export function tsaUnderTestCa(): { key: KeyObject; chain: Uint8Array[] } {
  const dir = tmpDir();
  const ca = gen('pki', 'es256');
  const keyFile = path.join(dir, 'tsa.key');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const csr = path.join(dir, 'tsa.csr');
  const ext = path.join(dir, 'tsa.ext');
  const out = path.join(dir, 'tsa.pem');
  writeFileSync(
    ext,
    'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
  );
  execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=Test TSA/O=AIGC Test', '-out', csr], { stdio: 'ignore' });
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      path.join(ca, 'intermediate.pem'),
      '-CAkey',
      path.join(ca, 'intermediate.key'),
      '-set_serial',
      String(Date.now()),
      '-days',
      '365',
      '-extfile',
      ext,
      '-out',
      out,
    ],
    { stdio: 'ignore' },
  );
  const tsa = pemToDers(readFileSync(out, 'utf8'))[0];
  const inter = pemToDers(readFileSync(path.join(ca, 'intermediate.pem'), 'utf8'))[0];
  return { key: privateKey, chain: [tsa, inter] };
}

/** Whether the generated PKI exists (global setup builds it). */
export function hasPki(): boolean {
  return existsSync(gen('pki', 'es256', 'chain.pem'));
}
