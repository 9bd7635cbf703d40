import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { decodeOid, decodePssParams, decodeSignatureAlgorithm, verifySignature } from '../../src/pki/algorithms.ts';
import { encodeTlv } from '../../src/pki/der.ts';
import { decodeKeyUsage, encodeBasicConstraints, encodeKeyUsage } from '../../src/pki/extensions.ts';
import { parseCrl } from '../../src/pki/crl.ts';
import { ALG } from '../../src/pki/oids.ts';
import { CertificateError, LimitExceededError } from '../../src/errors.ts';
import { MAX_CRL_BYTES } from '../../src/binary/limits.ts';

const oid = (dotted: string): Uint8Array => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const n of rest) {
    const enc = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) enc.unshift((v & 0x7f) | 0x80);
    bytes.push(...enc);
  }
  return encodeTlv(0x06, new Uint8Array(bytes));
};
const hashAlg = (h: string): Uint8Array => encodeTlv(0x30, oid(h), new Uint8Array([0x05, 0x00]));
const pssParams = (hash: string, mgfHash: string, salt: number): Uint8Array =>
  encodeTlv(
    0x30,
    encodeTlv(0xa0, hashAlg(hash)),
    encodeTlv(0xa1, encodeTlv(0x30, oid(ALG.mgf1), hashAlg(mgfHash))),
    encodeTlv(0xa2, encodeTlv(0x02, new Uint8Array([salt]))),
  );

describe('signature algorithms', () => {
  it('decodes OIDs', () => {
    expect(decodeOid(oid('1.3.6.1.4.1.62558.2.1').subarray(2))).toBe('1.3.6.1.4.1.62558.2.1');
    expect(decodeOid(oid('2.5.29.37.0').subarray(2))).toBe('2.5.29.37.0');
  });

  it('decodes RSASSA-PSS parameters and their RFC 4055 defaults', () => {
    expect(decodePssParams(undefined)).toEqual({ hash: 'sha1', mgfHash: 'sha1', saltLength: 20, trailerField: 1 });
    expect(decodePssParams(pssParams(ALG.sha384, ALG.sha384, 48))).toEqual({
      hash: 'sha384',
      mgfHash: 'sha384',
      saltLength: 48,
      trailerField: 1,
    });
    expect(() => decodePssParams(encodeTlv(0x30, encodeTlv(0xa0, hashAlg('1.2.3.4'))))).toThrow(CertificateError);
  });

  it('verifies RSA-PSS only when the MGF1 hash equals the message hash', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const data = Buffer.from('tbs');
    const sig = crypto.sign('sha256', data, { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    const good = decodeSignatureAlgorithm(
      new AlgorithmIdentifier({ algorithm: ALG.rsassaPss, parameters: pssParams(ALG.sha256, ALG.sha256, 32).slice().buffer }),
    );
    expect(verifySignature(good, data, sig, publicKey)).toEqual({ ok: true });
    const mixed = decodeSignatureAlgorithm(
      new AlgorithmIdentifier({ algorithm: ALG.rsassaPss, parameters: pssParams(ALG.sha256, ALG.sha1, 32).slice().buffer }),
    );
    expect(verifySignature(mixed, data, sig, publicKey).reason).toMatch(/MGF1 hash sha1 differs/);
    const ed = crypto.generateKeyPairSync('ed25519');
    expect(verifySignature(good, data, sig, ed.publicKey).reason).toMatch(/issuer key is ed25519/);
    expect(
      verifySignature(decodeSignatureAlgorithm(new AlgorithmIdentifier({ algorithm: '1.2.3.4' })), data, sig, publicKey).reason,
    ).toMatch(/unsupported/);
  });

  it('verifies ECDSA certificate signatures in DER form', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
    const sig = crypto.sign('sha512', Buffer.from('x'), privateKey);
    const alg = decodeSignatureAlgorithm(new AlgorithmIdentifier({ algorithm: ALG.ecdsaWithSha512 }));
    expect(verifySignature(alg, Buffer.from('x'), sig, publicKey).ok).toBe(true);
    expect(verifySignature(alg, Buffer.from('y'), sig, publicKey)).toEqual({ ok: false, reason: 'signature does not verify' });
  });
});

describe('extension encodings', () => {
  it('encodes key usage in canonical DER and decodes it back', () => {
    expect(Array.from(encodeKeyUsage(['digitalSignature']))).toEqual([0x03, 0x02, 0x07, 0x80]);
    expect(Array.from(encodeKeyUsage(['keyCertSign', 'cRLSign']))).toEqual([0x03, 0x02, 0x01, 0x06]);
    expect(Array.from(encodeKeyUsage(['decipherOnly']))).toEqual([0x03, 0x03, 0x07, 0x00, 0x80]);
    expect(decodeKeyUsage(encodeKeyUsage(['digitalSignature', 'decipherOnly']))).toEqual(['digitalSignature', 'decipherOnly']);
    expect(() => decodeKeyUsage(new Uint8Array([0x04, 0x01, 0x00]))).toThrow(CertificateError);
  });

  it('omits CA:false in basic constraints', () => {
    expect(Array.from(encodeBasicConstraints(false))).toEqual([0x30, 0x00]);
    expect(Array.from(encodeBasicConstraints(true, 0))).toEqual([0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00]);
  });
});

describe('CRL size limit', () => {
  it(`checks MAX_CRL_BYTES before parsing: at the limit it parses (and fails on content), one past it is refused`, () => {
    const atLimit = new Uint8Array(MAX_CRL_BYTES);
    expect(() => parseCrl(atLimit)).toThrow(CertificateError);
    expect(() => parseCrl(new Uint8Array(MAX_CRL_BYTES + 1))).toThrow(LimitExceededError);
  });
});
