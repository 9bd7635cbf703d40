import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCertificate, parseCertificateChain, parseCertificates } from '../../src/pki/certificate.ts';
import { buildCertificate, leafExtensions, keyIdOfKey } from '../../src/pki/cert-builder.ts';
import { makeExtension } from '../../src/pki/extensions.ts';
import { generateKeyPair } from '../../src/crypto/keys.ts';
import { verifyCertificateChain } from '../../src/pki/chain.ts';
import { CertificateError, LimitExceededError, ToolkitError } from '../../src/errors.ts';
import { MAX_CERTIFICATE_BYTES, MAX_CHAIN_LENGTH } from '../../src/binary/limits.ts';
import { ATTR, EKU } from '../../src/pki/oids.ts';
import { toPem } from '../../src/pki/pem.ts';
import { gen } from '../helpers.ts';

const read = (...p: string[]): string => readFileSync(gen('pki', ...p), 'utf8');
const hasOpenssl = existsSync(gen('pki', 'openssl', 'rsa-pss', 'chain.pem'));

describe('parseCertificate', () => {
  it('decodes our ES256 service leaf into the neutral model', () => {
    const [leaf, int] = parseCertificateChain(read('es256', 'chain.pem'));
    expect(leaf!.version).toBe(3);
    expect(leaf!.subject.attributes.map((a) => a.name)).toEqual(['O', 'OU', 'CN', 'organizationIdentifier']);
    expect(leaf!.subject.text).toContain('organizationIdentifier=001191000000EXAMPLE01P10000');
    expect(leaf!.issuer.text).toBe(int!.subject.text);
    expect(leaf!.notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(leaf!.notAfter.toISOString()).toBe('2035-01-01T00:00:00.000Z');
    expect(leaf!.publicKeyInfo).toEqual({ type: 'EC', curve: 'prime256v1' });
    expect(leaf!.signatureAlgorithm).toMatchObject({ name: 'ecdsa-with-SHA256', family: 'ecdsa', hash: 'sha256' });
    expect(leaf!.extensions.basicConstraints).toEqual({ ca: false, critical: true });
    expect(leaf!.extensions.keyUsage).toEqual({ usages: ['digitalSignature'], critical: true });
    expect(leaf!.extensions.extKeyUsage?.oids).toEqual([EKU.c2paClaimSigning, EKU.emailProtection]);
    expect(leaf!.extensions.authorityKeyId).toBe(int!.extensions.subjectKeyId);
    expect(leaf!.extensions.unknownCritical).toEqual([]);
    expect(int!.extensions.basicConstraints).toEqual({ ca: true, pathLen: 0, critical: true });
    expect(int!.extensions.keyUsage?.usages).toEqual(['keyCertSign', 'cRLSign']);
    expect(leaf!.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(leaf!.tbs.length).toBeLessThan(leaf!.der.length);
    expect(leaf!.selfIssued).toBe(false);
  });

  it('decodes RSASSA-PSS parameters of an openssl chain', { skip: !hasOpenssl }, () => {
    const [leaf] = parseCertificateChain(read('openssl', 'rsa-pss', 'chain.pem'));
    expect(leaf!.signatureAlgorithm.family).toBe('rsa-pss');
    expect(leaf!.signatureAlgorithm.pss).toEqual({ hash: 'sha256', mgfHash: 'sha256', saltLength: 32, trailerField: 1 });
    const [p384] = parseCertificateChain(read('openssl', 'p384', 'chain.pem'));
    expect(p384!.publicKeyInfo.curve).toBe('secp384r1');
    expect(p384!.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
  });

  it('decodes the node-forge RSA chain (PKCS#1 v1.5)', () => {
    const [leaf] = parseCertificateChain(read('rsa', 'chain.pem'));
    expect(leaf!.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
    expect(leaf!.publicKeyInfo).toEqual({ type: 'RSA', bits: 2048 });
  });

  it('accepts DER input as well as PEM', () => {
    const [leaf] = parseCertificates(read('ed25519', 'chain.pem'));
    expect(parseCertificates(leaf!.der)[0]!.fingerprint256).toBe(leaf!.fingerprint256);
  });

  it('rejects truncated or corrupt certificates with CertificateError', () => {
    const [leaf] = parseCertificates(read('ed25519', 'chain.pem'));
    expect(() => parseCertificate(leaf!.der.subarray(0, leaf!.der.length - 1))).toThrow(CertificateError);
    const bad = leaf!.der.slice();
    bad[1] = 0x80; // indefinite length: BER, not DER
    expect(() => parseCertificate(bad)).toThrow(/not a valid DER X.509 certificate/);
    expect(() => parseCertificates('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n')).toThrow(CertificateError);
  });

  it('never fails with anything but a ToolkitError on mutated or truncated input', () => {
    const [leaf, int] = parseCertificateChain(read('es256', 'chain.pem'));
    const der = leaf!.der;
    fc.assert(
      fc.property(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(der.length), (pos, value, cut) => {
        const m = der.slice(0, Math.max(cut, 1));
        if (pos < m.length) m[pos] = value;
        try {
          parseCertificate(m);
        } catch (err) {
          expect(err).toBeInstanceOf(ToolkitError);
        }
        const r = verifyCertificateChain([m, int!.der]);
        expect(r.code).toMatch(/^signingCredential\./);
      }),
      { numRuns: 300 },
    );
  });

  it(`parses a certificate of exactly MAX_CERTIFICATE_BYTES and refuses one byte more`, () => {
    const keys = generateKeyPair('ed25519');
    const make = (pad: number) =>
      buildCertificate({
        subject: [{ oid: ATTR.commonName, value: 'big' }],
        publicKey: keys.publicKey,
        signingKey: keys.privateKey,
        notBefore: new Date('2025-01-01Z'),
        notAfter: new Date('2026-01-01Z'),
        extensions: [
          ...leafExtensions({ publicKey: keys.publicKey, issuerKeyId: keyIdOfKey(keys.publicKey) }),
          makeExtension('1.3.6.1.4.1.55555.9', false, new Uint8Array([0x04, 0x82, (pad >> 8) & 0xff, pad & 0xff, ...new Uint8Array(pad)])),
        ],
      });
    let pad = MAX_CERTIFICATE_BYTES - 1000;
    for (let i = 0; i < 5; i++) pad += MAX_CERTIFICATE_BYTES - make(pad).der.length;
    const atLimit = make(pad).der;
    expect(atLimit.length).toBe(MAX_CERTIFICATE_BYTES);
    expect(parseCertificate(atLimit).subject.text).toBe('CN=big');
    const over = new Uint8Array(MAX_CERTIFICATE_BYTES + 1);
    expect(() => parseCertificate(over)).toThrow(LimitExceededError);
  });

  it(`parses a chain of MAX_CHAIN_LENGTH (${MAX_CHAIN_LENGTH}) certificates and refuses one more`, () => {
    const one = read('es256', 'root.pem');
    expect(parseCertificateChain(one.repeat(MAX_CHAIN_LENGTH))).toHaveLength(MAX_CHAIN_LENGTH);
    expect(() => parseCertificateChain(one.repeat(MAX_CHAIN_LENGTH + 1))).toThrow(LimitExceededError);
    const der = parseCertificates(one)[0]!.der;
    const r = verifyCertificateChain(new Array(MAX_CHAIN_LENGTH + 1).fill(der));
    expect(r.code).toBe('signingCredential.invalid');
    expect(r.explanation).toMatch(/MAX_CHAIN_LENGTH/);
    expect(toPem('CERTIFICATE', der)).toBe(one);
  });
});
