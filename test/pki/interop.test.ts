/**
 * Interop with the reference SDK (@contentauth/c2pa-node 0.8.0): our chains sign with the
 * SDK and validate as Trusted with our root as the only anchor; our broken credentials
 * are refused by the SDK and judged the same way by our validator.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, parseCertificateChain, parseCertificates, type Certificate } from '../../src/pki/certificate.ts';
import { verifyCertificateChain } from '../../src/pki/chain.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { gen } from '../helpers.ts';
import { sdkRead, sdkSign, type SdkAlg } from '../../scripts/support/sdk.ts';

const read = (...p: string[]): string => readFileSync(gen('pki', ...p), 'utf8');
const hasOpenssl = existsSync(gen('pki', 'openssl', 'p384', 'chain.pem'));
let tmp: string;
let input: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'aigc-interop-'));
  input = path.join(tmp, 'in.jpg');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .jpeg()
    .toFile(input);
});

async function signAndRead(dir: string[], alg: SdkAlg, anchorsPem: string, name: string) {
  const out = path.join(tmp, `${name}.jpg`);
  await sdkSign(input, out, { chainPem: read(...dir, 'chain.pem'), keyPem: read(...dir, 'key.pem'), alg });
  return { out, store: await sdkRead(out, { anchorsPem }) };
}

/** Certificates embedded in a signed file, found by trying every DER SEQUENCE header. */
function embeddedCertificates(bytes: Uint8Array): Certificate[] {
  const out: Certificate[] = [];
  for (let i = 0; i + 4 < bytes.length; i++) {
    if (bytes[i] !== 0x30 || bytes[i + 1] !== 0x82) continue;
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (i + 4 + len > bytes.length || bytes[i + 4] !== 0x30) continue;
    try {
      out.push(parseCertificate(bytes.subarray(i, i + 4 + len)));
      i += 3 + len;
    } catch {
      /* not a certificate */
    }
  }
  return out;
}

describe('our chains signed by the reference SDK', () => {
  it.each([
    ['ed25519', 'ed25519'],
    ['es256', 'es256'],
  ] as const)('%s chain + key → SDK validation_state Trusted with our root only', async (dir, alg) => {
    const root = read(dir, 'root.pem');
    const { out, store } = await signAndRead([dir], alg, root, `ours-${dir}`);
    expect(store?.validation_state, JSON.stringify(store?.validation_results?.activeManifest?.failure)).toBe('Trusted');
    const codes = store!.validation_results!.activeManifest!.success.map((s) => s.code);
    expect(codes).toContain('signingCredential.trusted');
    // Our validator agrees on the chain the SDK embedded in the file.
    const embedded = embeddedCertificates(new Uint8Array(await readFile(out)));
    expect(embedded.map((c) => c.fingerprint256)).toEqual(parseCertificateChain(read(dir, 'chain.pem')).map((c) => c.fingerprint256));
    expect(verifyCertificateChain(embedded, { anchors: parseCertificates(root) }).code).toBe('signingCredential.trusted');
  });

  it('without our root the SDK says untrusted, like our validator', async () => {
    const { store } = await signAndRead(['es256'], 'es256', read('ed25519', 'root.pem'), 'ours-untrusted');
    expect(store?.validation_state).toBe('Valid');
    expect(store!.validation_results!.activeManifest!.failure.map((f) => f.code)).toContain('signingCredential.untrusted');
    expect(
      verifyCertificateChain(parseCertificateChain(read('es256', 'chain.pem')), { anchors: parseCertificates(read('ed25519', 'root.pem')) })
        .code,
    ).toBe('signingCredential.untrusted');
  });

  it.each([
    ['ed25519', 'Ed25519'],
    ['es256', 'ES256'],
    ['rsa', 'PS256'],
  ] as const)('our %s Signer (loadSigner) signs through the SDK callback → Trusted', async (dir, alg) => {
    const signer = await loadSigner({ chainPath: gen('pki', dir, 'chain.pem'), keyPath: gen('pki', dir, 'key.pem') });
    expect(signer.alg).toBe(alg);
    const out = path.join(tmp, `callback-${dir}.jpg`);
    await sdkSign(input, out, { signer });
    const store = await sdkRead(out, { anchorsPem: read(dir, 'root.pem') });
    expect(store?.validation_state, JSON.stringify(store?.validation_results?.activeManifest?.failure)).toBe('Trusted');
  });
});

describe('chains made by other tools', () => {
  it('node-forge RSA chain (PKCS#1 v1.5 certificates, PS256 claim): SDK Trusted, ours trusted', async () => {
    const { store } = await signAndRead(['rsa'], 'ps256', read('rsa', 'root.pem'), 'forge-rsa');
    expect(store?.validation_state).toBe('Trusted');
    expect(
      verifyCertificateChain(parseCertificateChain(read('rsa', 'chain.pem')), { anchors: parseCertificates(read('rsa', 'root.pem')) }).code,
    ).toBe('signingCredential.trusted');
  });

  it.each([
    ['rsa-pss', 'ps256'],
    ['p384', 'es384'],
  ] as const)('openssl %s chain: SDK Trusted, ours trusted', { skip: !hasOpenssl }, async (dir, alg) => {
    const root = read('openssl', dir, 'root.pem');
    const { store } = await signAndRead(['openssl', dir], alg, root, `openssl-${dir}`);
    expect(store?.validation_state, JSON.stringify(store?.validation_results?.activeManifest?.failure)).toBe('Trusted');
    expect(
      verifyCertificateChain(parseCertificateChain(read('openssl', dir, 'chain.pem')), { anchors: parseCertificates(root) }).code,
    ).toBe('signingCredential.trusted');
  });
});

describe('broken credentials: the SDK and our validator agree', () => {
  const anchors = parseCertificates(read('roots.pem'));

  it.each(['ca-leaf', 'no-eku', 'serverauth-eku', 'unknown-critical-ext'])(
    '%s: SDK refuses to sign; ours says signingCredential.invalid',
    async (variant) => {
      const out = path.join(tmp, `broken-${variant}.jpg`);
      let refused = false;
      try {
        await sdkSign(input, out, {
          chainPem: read('broken', variant, 'chain.pem'),
          keyPem: read('broken', variant, 'key.pem'),
          alg: 'es256',
        });
      } catch (err) {
        refused = true;
        expect(String((err as Error).message)).toMatch(/certificate is invalid/);
      }
      if (!refused) {
        const store = await sdkRead(out, { anchorsPem: read('roots.pem') });
        expect(store!.validation_results!.activeManifest!.failure.map((f) => f.code)).toContain('signingCredential.invalid');
      }
      const ours = verifyCertificateChain(parseCertificateChain(read('broken', variant, 'chain.pem')), { anchors });
      expect(ours.code).toBe('signingCredential.invalid');
    },
  );

  it.each(['expired', 'not-yet-valid'])('%s: SDK refuses to sign; ours says signingCredential.expired', async (variant) => {
    await expect(
      sdkSign(input, path.join(tmp, `broken-${variant}.jpg`), {
        chainPem: read('broken', variant, 'chain.pem'),
        keyPem: read('broken', variant, 'key.pem'),
        alg: 'es256',
      }),
    ).rejects.toThrow(/not valid at time of signing/);
    expect(verifyCertificateChain(parseCertificateChain(read('broken', variant, 'chain.pem')), { anchors }).code).toBe(
      'signingCredential.expired',
    );
  });

  it('self-signed leaf: both say untrusted', async () => {
    const { store } = await signAndRead(['broken', 'self-signed-leaf'], 'es256', read('roots.pem'), 'broken-self-signed');
    expect(store!.validation_results!.activeManifest!.failure.map((f) => f.code)).toContain('signingCredential.untrusted');
    expect(verifyCertificateChain(parseCertificateChain(read('broken', 'self-signed-leaf', 'chain.pem')), { anchors }).code).toBe(
      'signingCredential.untrusted',
    );
  });
});
