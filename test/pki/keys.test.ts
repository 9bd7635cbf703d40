import crypto from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import {
  coseAlgorithmForKey,
  generateKeyPair,
  keyAlgorithmOf,
  loadPrivateKey,
  parseKeyAlgorithm,
  publicKeyFromPem,
  publicKeyToPem,
  samePublicKey,
  writePrivateKey,
  writePublicKey,
} from '../../src/crypto/keys.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { InvalidArgumentError, IoError, KeyError, CertificateError } from '../../src/errors.ts';
import { gen } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-keys-'));
});

describe('key generation and files', () => {
  it('generates Ed25519 by default and ECDSA curves on request', () => {
    expect(generateKeyPair().privateKey.asymmetricKeyType).toBe('ed25519');
    expect(generateKeyPair('es256').publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(keyAlgorithmOf(generateKeyPair('es384').privateKey)).toBe('es384');
    expect(() => parseKeyAlgorithm('rsa')).toThrow(InvalidArgumentError);
    expect(parseKeyAlgorithm('ES256')).toBe('es256');
  });

  it('writes private keys as PKCS#8 PEM with mode 0600 and no temp file left behind', async () => {
    const { privateKey } = generateKeyPair('es256');
    const file = path.join(dir, 'plain.key');
    await writePrivateKey(file, privateKey);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
    const loaded = await loadPrivateKey({ keyPath: file });
    expect(samePublicKey(loaded, privateKey)).toBe(true);
  });

  it('round-trips an encrypted key and rejects a wrong or missing passphrase', async () => {
    const { privateKey } = generateKeyPair('ed25519');
    const file = path.join(dir, 'enc.key');
    await writePrivateKey(file, privateKey, 'correct horse');
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(samePublicKey(await loadPrivateKey({ keyPath: file, passphrase: 'correct horse' }), privateKey)).toBe(true);
    await expect(loadPrivateKey({ keyPath: file, passphrase: 'wrong' })).rejects.toThrow(/wrong passphrase/);
    await expect(loadPrivateKey({ keyPath: file })).rejects.toThrow(/is encrypted: give its passphrase/);
    await expect(loadPrivateKey({ keyPath: file })).rejects.toBeInstanceOf(KeyError);
  });

  it('reports missing files and corrupt PEM clearly', async () => {
    await expect(loadPrivateKey({ keyPath: path.join(dir, 'nope.key') })).rejects.toThrow(IoError);
    await expect(loadPrivateKey({ keyPath: path.join(dir, 'nope.key') })).rejects.toThrow(/no such file/);
    await expect(loadPrivateKey({ keyPem: 'not a key' })).rejects.toThrow(/not a PEM private key/);
    await expect(loadPrivateKey({ keyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' })).rejects.toThrow(
      /corrupt PEM private key/,
    );
  });

  it('writes and reads SPKI public keys', async () => {
    const { publicKey } = generateKeyPair('es256');
    const file = path.join(dir, 'pub.pem');
    await writePublicKey(file, publicKey);
    expect(publicKeyToPem(publicKey)).toMatch(/BEGIN PUBLIC KEY/);
    expect(samePublicKey(publicKeyFromPem(await readFile(file, 'utf8')), publicKey)).toBe(true);
    expect(() => publicKeyFromPem('junk')).toThrow(KeyError);
  });

  it('maps keys to COSE algorithms', () => {
    expect(coseAlgorithmForKey(generateKeyPair('ed25519').privateKey)).toBe('Ed25519');
    expect(coseAlgorithmForKey(generateKeyPair('es256').privateKey)).toBe('ES256');
    expect(coseAlgorithmForKey(generateKeyPair('es384').privateKey)).toBe('ES384');
    expect(coseAlgorithmForKey(generateKeyPair('es512').privateKey)).toBe('ES512');
    expect(coseAlgorithmForKey(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)).toBe('PS256');
    expect(() => coseAlgorithmForKey(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)).toThrow(/too small/);
    expect(() => coseAlgorithmForKey(crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey)).toThrow(/not allowed/);
    expect(() => coseAlgorithmForKey(crypto.generateKeyPairSync('x25519').privateKey)).toThrow(KeyError);
  });
});

describe('loadSigner', () => {
  it('signs with Ed25519 and the signature verifies against the leaf', async () => {
    const s = await loadSigner({ chainPath: gen('pki', 'ed25519', 'chain.pem'), keyPath: gen('pki', 'ed25519', 'key.pem') });
    expect(s.alg).toBe('Ed25519');
    expect(s.certChain).toHaveLength(2);
    const data = new TextEncoder().encode('Signature1 payload');
    const sig = await s.sign(data);
    expect(sig).toHaveLength(64);
    expect(crypto.verify(null, data, s.certificates[0]!.publicKey, sig)).toBe(true);
  });

  it('produces raw r||s ECDSA signatures (IEEE P1363) for ES256', async () => {
    const s = await loadSigner({
      chainPem: await readFile(gen('pki', 'es256', 'chain.pem')),
      keyPem: await readFile(gen('pki', 'es256', 'key.pem')),
    });
    expect(s.alg).toBe('ES256');
    const data = crypto.randomBytes(100);
    const sig = await s.sign(data);
    expect(sig).toHaveLength(64);
    expect(crypto.verify('sha256', data, { key: s.certificates[0]!.publicKey, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    expect(crypto.verify('sha256', data, { key: s.certificates[0]!.publicKey, dsaEncoding: 'der' }, sig)).toBe(false);
  });

  it('uses PS256 for an RSA key and ES384 for P-384', async () => {
    const rsa = await loadSigner({ chainPath: gen('pki', 'rsa', 'chain.pem'), keyPath: gen('pki', 'rsa', 'key.pem') });
    expect(rsa.alg).toBe('PS256');
    const data = crypto.randomBytes(32);
    const sig = await rsa.sign(data);
    expect(sig).toHaveLength(256);
    expect(
      crypto.verify(
        'sha256',
        data,
        { key: rsa.certificates[0]!.publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        sig,
      ),
    ).toBe(true);
  });

  it('drops a trailing self-signed root from the chain', async () => {
    const chain = (await readFile(gen('pki', 'es256', 'chain.pem'), 'utf8')) + (await readFile(gen('pki', 'es256', 'root.pem'), 'utf8'));
    const s = await loadSigner({ chainPem: chain, keyPath: gen('pki', 'es256', 'key.pem') });
    expect(s.certChain).toHaveLength(2);
  });

  it('rejects a key that does not match the leaf certificate', async () => {
    const p = loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'platform-a', 'key.pem') });
    await expect(p).rejects.toBeInstanceOf(KeyError);
    await expect(loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'platform-a', 'key.pem') })).rejects.toThrow(
      /does not match the leaf certificate/,
    );
  });

  it('rejects a corrupt chain and an encrypted key without passphrase', async () => {
    const bad = path.join(dir, 'bad-chain.pem');
    await writeFile(bad, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    await expect(loadSigner({ chainPath: bad, keyPath: gen('pki', 'es256', 'key.pem') })).rejects.toBeInstanceOf(CertificateError);
    const enc = path.join(dir, 'leaf-enc.key');
    await writePrivateKey(enc, await loadPrivateKey({ keyPath: gen('pki', 'es256', 'key.pem') }), 'pw');
    await expect(loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: enc })).rejects.toThrow(/encrypted/);
    const ok = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: enc, passphrase: 'pw' });
    expect(ok.alg).toBe('ES256');
  });
});
