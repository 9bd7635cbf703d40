import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificateChain, parseCertificates, type Certificate } from '../../src/pki/certificate.ts';
import { buildCrl, parseCrls } from '../../src/pki/crl.ts';
import { verifyCertificateChain, type ChainCode } from '../../src/pki/chain.ts';
import { certificateHash, loadTrustStore, parseAllowedList } from '../../src/pki/trust.ts';
import { checkSignerProfile } from '../../src/pki/profile.ts';
import { buildCertificate, caExtensions, keyIdOfIssuer, leafExtensions } from '../../src/pki/cert-builder.ts';
import { loadCa } from '../../src/pki/ca.ts';
import { generateKeyPair, loadPrivateKey } from '../../src/crypto/keys.ts';
import { EKU, EXT } from '../../src/pki/oids.ts';
import { CertificateError } from '../../src/errors.ts';
import { gen } from '../helpers.ts';

const read = (...p: string[]): string => readFileSync(gen('pki', ...p), 'utf8');
const chainOf = (...p: string[]): Certificate[] => parseCertificateChain(read(...p, 'chain.pem'));
const store = loadTrustStore({ anchorsPem: read('roots.pem') });
const crls = parseCrls(read('broken', 'crl.pem'));
const AT = new Date('2026-01-01T00:00:00Z');
const hasOpenssl = existsSync(gen('pki', 'openssl', 'p384', 'chain.pem'));

describe('good chains', () => {
  it.each(['ed25519', 'es256', 'platform-a', 'platform-b'])('%s is trusted by roots.pem', (dir) => {
    const r = verifyCertificateChain(chainOf(dir), { ...store, crls, at: AT });
    expect(r.code, r.explanation).toBe('signingCredential.trusted');
    expect(r.trustedBy).toBe('anchor');
    expect(r.path).toHaveLength(3);
    expect(r.path[2]!.selfIssued).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('accepts the node-forge RSA (PKCS#1 v1.5) chain', () => {
    const r = verifyCertificateChain(chainOf('rsa'), { anchors: parseCertificates(read('rsa', 'root.pem')), at: AT });
    expect(r.code, r.explanation).toBe('signingCredential.trusted');
  });

  it.each(['rsa-pss', 'p384'])('accepts the openssl %s chain', { skip: !hasOpenssl }, (dir) => {
    const r = verifyCertificateChain(chainOf('openssl', dir), { anchors: parseCertificates(read('openssl', dir, 'root.pem')) });
    expect(r.code, r.explanation).toBe('signingCredential.trusted');
  });

  it('is untrusted without anchors, or with anchors of another PKI', () => {
    const none = verifyCertificateChain(chainOf('es256'), { at: AT });
    expect(none.code).toBe('signingCredential.untrusted');
    expect(none.explanation).toMatch(/neither in the chain nor a trust anchor/);
    const other = verifyCertificateChain(chainOf('es256'), { anchors: parseCertificates(read('ed25519', 'root.pem')), at: AT });
    expect(other.code).toBe('signingCredential.untrusted');
  });

  it('reports a chain that carries its own root, but not as an anchor, as untrusted', () => {
    const withRoot = [...chainOf('es256'), ...parseCertificates(read('es256', 'root.pem'))];
    const r = verifyCertificateChain(withRoot, { at: AT });
    expect(r.code).toBe('signingCredential.untrusted');
    expect(r.explanation).toMatch(/root .* is not a trust anchor/);
    expect(verifyCertificateChain(withRoot, { ...store, at: AT }).code).toBe('signingCredential.trusted');
  });

  it('trusts a leaf on the allowed list (certificate or base64 SHA-256) without anchors', () => {
    const chain = chainOf('broken', 'self-signed-leaf');
    const hash = certificateHash(chain[0]!.der);
    expect(verifyCertificateChain(chain, { allowedList: [hash], at: AT })).toMatchObject({
      code: 'signingCredential.trusted',
      trustedBy: 'allowedList',
    });
    expect(verifyCertificateChain(chain, { allowedList: [chain[0]!], at: AT }).code).toBe('signingCredential.trusted');
    const fromPem = loadTrustStore({
      anchorsPem: read('roots.pem'),
      allowedListPem: `# allowed\n${read('broken', 'self-signed-leaf', 'chain.pem')}`,
    });
    expect(fromPem.allowedList).toEqual([hash]);
    expect(verifyCertificateChain(chain, { ...fromPem, at: AT }).code).toBe('signingCredential.trusted');
    expect(parseAllowedList(`${hash}\n\n`)).toEqual([hash]);
    expect(() => parseAllowedList('not-a-hash')).toThrow(CertificateError);
  });

  it('judges validity at the given time', () => {
    expect(verifyCertificateChain(chainOf('es256'), { ...store, at: new Date('2024-12-31T23:59:59Z') }).code).toBe(
      'signingCredential.expired',
    );
    expect(verifyCertificateChain(chainOf('es256'), { ...store, at: new Date('2035-01-01T00:00:01Z') }).code).toBe(
      'signingCredential.expired',
    );
    // In 2020 the expired leaf itself was valid, but its intermediate (from 2025) was not yet.
    const then = verifyCertificateChain(chainOf('broken', 'expired'), { ...store, at: new Date('2020-06-01Z') });
    expect(then.code).toBe('signingCredential.expired');
    expect(then.explanation).toMatch(/Intermediate CA" is not yet valid/);
  });
});

describe('broken variants', () => {
  const expected: [string, ChainCode, RegExp][] = [
    ['expired', 'signingCredential.expired', /expired on 2021-01-01/],
    ['not-yet-valid', 'signingCredential.expired', /not yet valid/],
    ['no-eku', 'signingCredential.invalid', /no extended key usage/],
    ['serverauth-eku', 'signingCredential.invalid', /serverAuth\) has none of the allowed purposes/],
    ['ca-leaf', 'signingCredential.invalid', /is a CA certificate/],
    ['self-signed-leaf', 'signingCredential.untrusted', /self-signed signing certificate .* is not a trust anchor/],
    ['wrong-key', 'signingCredential.invalid', /signature of .* does not verify with the key of its issuer/],
    ['pathlen-violated', 'signingCredential.invalid', /allows 0 intermediate CA\(s\) below it \(pathLen\) but the path has 1/],
    ['revoked', 'signingCredential.revoked', /was revoked on 2025-06-01/],
    ['unknown-critical-ext', 'signingCredential.invalid', /unknown critical extension\(s\) 1\.3\.6\.1\.4\.1\.55555\.1\.1/],
  ];
  it.each(expected)('%s → %s', (variant, code, why) => {
    const r = verifyCertificateChain(chainOf('broken', variant), { ...store, crls, at: AT });
    expect(r.code, r.explanation).toBe(code);
    expect(r.explanation).toMatch(why);
  });

  it('the revoked leaf is trusted when no CRL is given', () => {
    expect(verifyCertificateChain(chainOf('broken', 'revoked'), { ...store, at: AT }).code).toBe('signingCredential.trusted');
  });

  it('profile preflight flags the same leaves', () => {
    expect(checkSignerProfile(chainOf('es256')[0]!).ok).toBe(true);
    for (const v of ['no-eku', 'serverauth-eku', 'ca-leaf', 'unknown-critical-ext'])
      expect(checkSignerProfile(chainOf('broken', v)[0]!).ok).toBe(false);
    const eku = checkSignerProfile(chainOf('broken', 'serverauth-eku')[0]!, { allowedEkus: [EKU.serverAuth] });
    expect(eku.ok).toBe(true);
  });
});

describe('CRL handling', () => {
  it('ignores a CRL not signed by the issuer, with a warning', async () => {
    const ca = await loadCa(gen('pki', 'es256'));
    const [revokedLeaf] = chainOf('broken', 'revoked');
    const forged = buildCrl({
      issuer: ca.intermediate,
      issuerKey: generateKeyPair('es256').privateKey,
      thisUpdate: new Date('2025-06-01Z'),
      nextUpdate: new Date('2030-01-01Z'),
      crlNumber: 9,
      revoked: [{ serial: chainOf('es256')[0]!.serialNumber, revokedAt: new Date('2025-06-01Z') }],
    });
    const r = verifyCertificateChain(chainOf('es256'), { ...store, crls: [forged.der], at: AT });
    expect(r.code).toBe('signingCredential.trusted');
    expect(r.warnings.join()).toMatch(/CRL of .* ignored: CRL signature/);
    const stale = buildCrl({
      issuer: ca.intermediate,
      issuerKey: ca.intermediateKey,
      thisUpdate: new Date('2025-06-01Z'),
      nextUpdate: new Date('2025-06-02Z'),
      crlNumber: 10,
      revoked: [{ serial: revokedLeaf!.serialNumber, revokedAt: new Date('2025-06-01Z') }],
    });
    const s = verifyCertificateChain(chainOf('broken', 'revoked'), { ...store, crls: [stale], at: AT });
    expect(s.code).toBe('signingCredential.revoked');
    expect(s.warnings.join()).toMatch(/stale/);
    const junk = verifyCertificateChain(chainOf('es256'), { ...store, crls: [new Uint8Array([0x30, 0x00])], at: AT });
    expect(junk.code).toBe('signingCredential.trusted');
    expect(junk.warnings.join()).toMatch(/CRL 1 ignored/);
  });
});

describe('robustness', () => {
  it('returns invalid for an empty chain or a malformed certificate, never throws', () => {
    expect(verifyCertificateChain([]).code).toBe('signingCredential.invalid');
    const r = verifyCertificateChain([chainOf('es256')[0]!.der, new Uint8Array([0x30, 0x03, 0x02, 0x01])], store);
    expect(r.code).toBe('signingCredential.invalid');
    expect(r.explanation).toMatch(/certificate 2 of the chain is malformed/);
  });

  it('finds the issuer among out-of-order and unrelated certificates', async () => {
    const ca = await loadCa(gen('pki', 'es256'));
    const keys = generateKeyPair('ed25519');
    const leaf = buildCertificate({
      subject: [{ oid: '2.5.4.3', value: 'ooo' }],
      issuer: ca.intermediate,
      publicKey: keys.publicKey,
      signingKey: ca.intermediateKey,
      notBefore: new Date('2025-01-01Z'),
      notAfter: new Date('2030-01-01Z'),
      extensions: leafExtensions({ publicKey: keys.publicKey, issuerKeyId: keyIdOfIssuer(ca.intermediate) }),
    });
    const other = chainOf('platform-a')[0]!;
    const r = verifyCertificateChain([leaf, other, ca.intermediate], { ...store, at: AT });
    expect(r.code, r.explanation).toBe('signingCredential.trusted');
    expect(r.path.map((c) => c.subject.text)).toEqual([leaf.subject.text, ca.intermediate.subject.text, ca.root.subject.text]);
  });

  it('falls back to names when a CA certificate has no AKI', async () => {
    const rootKey = await loadPrivateKey({ keyPath: gen('pki', 'es256', 'root.key') });
    const ca = await loadCa(gen('pki', 'es256'));
    const intKeys = generateKeyPair('es256');
    const noAki = caExtensions({ publicKey: intKeys.publicKey, issuerKeyId: keyIdOfIssuer(ca.root), pathLen: 0 }).filter(
      (e) => e.extnID !== EXT.authorityKeyIdentifier,
    );
    const int = buildCertificate({
      subject: [{ oid: '2.5.4.3', value: 'int without AKI' }],
      issuer: ca.root,
      publicKey: intKeys.publicKey,
      signingKey: rootKey,
      notBefore: new Date('2025-01-01Z'),
      notAfter: new Date('2030-01-01Z'),
      extensions: noAki,
    });
    expect(int.extensions.authorityKeyId).toBeUndefined();
    const leafKeys = generateKeyPair('es256');
    const leaf = buildCertificate({
      subject: [{ oid: '2.5.4.3', value: 'leaf' }],
      issuer: int,
      publicKey: leafKeys.publicKey,
      signingKey: intKeys.privateKey,
      notBefore: new Date('2025-01-01Z'),
      notAfter: new Date('2030-01-01Z'),
      extensions: leafExtensions({ publicKey: leafKeys.publicKey, issuerKeyId: keyIdOfIssuer(int) }),
    });
    const r = verifyCertificateChain([leaf, int], { ...store, at: AT });
    expect(r.code, r.explanation).toBe('signingCredential.trusted');
    expect(r.path[2]!.fingerprint256).toBe(ca.root.fingerprint256);
  });

  it('skips anchors that are not CAs, with a warning', () => {
    const leafPem = `${read('es256', 'chain.pem').split('-----END CERTIFICATE-----')[0]}-----END CERTIFICATE-----\n`;
    const s = loadTrustStore({ anchorsPem: read('roots.pem') + leafPem });
    expect(s.anchors).toHaveLength(2);
    expect(s.warnings.join()).toMatch(/skipped: it is not a CA/);
    expect(() => loadTrustStore({ anchorsPem: leafPem })).toThrow(/none is usable/);
  });
});
