import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { encodeProtectedHeader, sigStructure, signClaim, signatureReserve } from '../../src/manifest/cose/sign.ts';
import { parseCoseSign1, verifyCoseSign1 } from '../../src/manifest/cose/verify.ts';
import { decodeCbor, encodeCbor, Tag } from '../../src/manifest/cbor.ts';
import { solvePadding } from '../../src/manifest/padding.ts';
import { publicKeyFromCertificate } from '../../src/crypto/cose-keys.ts';
import { LimitExceededError, SigningError } from '../../src/errors.ts';
import { MAX_TIMESTAMP_TOKENS } from '../../src/binary/limits.ts';
import type { CoseAlgorithm } from '../../src/crypto/signer.ts';
import { credentials, hasOpenssl, nodeSigner, p521, pemToDers, signerFor } from './helpers/pki.ts';

ed.hashes.sha512 = sha512;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const claim = encodeCbor({ instanceID: 'xmp:iid:test', signature: 'self#jumbf=/c2pa/urn:c2pa:x/c2pa.signature' });

describe('COSE golden bytes', () => {
  it('Sig_structure = ["Signature1", protected, h\'\', payload]', () => {
    const s = sigStructure(unhex('a10126'), unhex('a0'));
    expect(hex(s)).toBe(hex(unhex('84 6a 5369676e617475726531 43 a10126 40 41 a0')));
    const d = decodeCbor<unknown[]>(s).value;
    expect(d[0]).toBe('Signature1');
    expect(hex(d[3] as Uint8Array)).toBe('a0');
  });

  it('protected header {1: alg, 33: x5chain}', () => {
    expect(hex(encodeProtectedHeader({ alg: 'ES256', certChain: [unhex('3000')] }))).toBe('a20126182142' + '3000');
    expect(hex(encodeProtectedHeader({ alg: 'Ed25519', certChain: [unhex('30'), unhex('31')] }))).toBe('a20127182182' + '4130' + '4131');
  });

  it('parses a hand-made COSE_Sign1_Tagged', () => {
    const cose = unhex('d2 84 4a a20126182182 4130 4131 a1 63706164 40 f6 42 abcd');
    const p = parseCoseSign1(cose);
    expect(p.alg).toBe('ES256');
    expect(p.chainDer.map(hex)).toEqual(['30', '31']);
    expect(p.payload).toBeNull();
    expect(hex(p.signature)).toBe('abcd');
    expect(p.warnings).toEqual([]);
  });

  it(`reads MAX_TIMESTAMP_TOKENS (${MAX_TIMESTAMP_TOKENS}) time-stamp tokens and refuses one more`, async () => {
    const withTokens = (n2: number, n1: number) => {
      const token = new Map([['val', unhex('3000')]]);
      const u = new Map<string, unknown>();
      if (n2) u.set('sigTst2', new Map([['tstTokens', Array.from({ length: n2 }, () => token)]]));
      if (n1) u.set('sigTst', new Map([['tstTokens', Array.from({ length: n1 }, () => token)]]));
      return encodeCbor(new Tag([unhex('a20126182182' + '4130' + '4131'), u, null, unhex('abcd')], 18));
    };
    expect(parseCoseSign1(withTokens(MAX_TIMESTAMP_TOKENS, 0)).chainDer).toHaveLength(2);
    expect(parseCoseSign1(withTokens(MAX_TIMESTAMP_TOKENS - 3, 3)).chainDer).toHaveLength(2);
    expect(() => parseCoseSign1(withTokens(MAX_TIMESTAMP_TOKENS + 1, 0))).toThrow(LimitExceededError);
    expect(() => parseCoseSign1(withTokens(MAX_TIMESTAMP_TOKENS, 1))).toThrow(LimitExceededError);
    // Verification reports it as data (a malformed signature), never as an exception.
    const v = await verifyCoseSign1(withTokens(MAX_TIMESTAMP_TOKENS + 1, 0), claim);
    expect(v.status).toBe('malformed');
    expect(v.message).toContain('MAX_TIMESTAMP_TOKENS');
    // Within the limit, c2pa-rs's rule holds: more than one token in the first header is timeStamp.malformed.
    const two = await verifyCoseSign1(withTokens(2, 0), claim);
    expect(two.timestamps).toHaveLength(1);
    expect(two.timestamp?.status).toBe('malformed');
    expect(two.timestamp?.message).toContain('only a single timestamp');
  });
});

describe('COSE sign and verify', () => {
  for (const [dir, alg] of [
    ['ed25519', 'Ed25519'],
    ['es256', 'ES256'],
  ] as const) {
    it(`${alg}: signs, pads to the reserve, and verifies`, async () => {
      const signer = signerFor(dir, alg);
      const size = signatureReserve(signer);
      const cose = await signClaim(claim, signer, { size });
      expect(cose.length).toBe(size);
      expect(cose[0]).toBe(0xd2);
      const v = await verifyCoseSign1(cose, claim);
      expect(v).toMatchObject({ ok: true, status: 'valid', alg });
      expect(v.chainDer.map(hex)).toEqual(signer.certChain.map(hex));
      const tampered = claim.slice();
      tampered[5] ^= 1;
      expect(await verifyCoseSign1(cose, tampered)).toMatchObject({ ok: false, status: 'mismatch' });
      const badSig = cose.slice();
      badSig[badSig.length - 3] ^= 1;
      expect((await verifyCoseSign1(badSig, claim)).ok).toBe(false);
    });
  }

  it('Ed25519 signatures also verify with @noble/ed25519 (independent check)', async () => {
    const signer = signerFor('ed25519', 'Ed25519');
    const cose = await signClaim(claim, signer);
    const p = parseCoseSign1(cose);
    const jwk = publicKeyFromCertificate(p.chainDer[0]).export({ format: 'jwk' });
    const pub = new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
    expect(ed.verify(p.signature, sigStructure(p.protectedRaw, claim), pub)).toBe(true);
    expect(ed.verify(p.signature, sigStructure(p.protectedRaw, claim.subarray(1)), pub)).toBe(false);
  });

  it('verifies ES384 (P-384 chain)', async () => {
    if (!hasOpenssl()) return;
    const signer = signerFor('openssl/p384', 'ES384');
    expect(await verifyCoseSign1(await signClaim(claim, signer), claim)).toMatchObject({ ok: true, alg: 'ES384' });
  });

  it('verifies ES512 (P-521)', async () => {
    if (!hasOpenssl()) return;
    const { key, cert } = p521();
    const cose = await signClaim(claim, nodeSigner('ES512', key, [cert]));
    expect(await verifyCoseSign1(cose, claim)).toMatchObject({ ok: true, alg: 'ES512' });
  });

  for (const alg of ['PS256', 'PS384', 'PS512'] as CoseAlgorithm[]) {
    it(`verifies ${alg} (RSA chain)`, async () => {
      const signer = signerFor('rsa', alg);
      const cose = await signClaim(claim, signer);
      expect(await verifyCoseSign1(cose, claim)).toMatchObject({ ok: true, alg });
      expect((await verifyCoseSign1(cose, claim.subarray(0, claim.length - 1))).ok).toBe(false);
    });
  }

  it('verifies PS256 with an RSASSA-PSS certificate key', async () => {
    if (!hasOpenssl()) return;
    const c = credentials('openssl/rsa-pss');
    const signer = nodeSigner('PS256', createPrivateKey(c.keyPem), pemToDers(c.chainPem));
    expect(await verifyCoseSign1(await signClaim(claim, signer), claim)).toMatchObject({ ok: true, alg: 'PS256' });
  });

  it('rejects a key that does not fit the algorithm, and unknown algorithms', async () => {
    const es = signerFor('es256', 'ES256');
    const lying = { ...es, alg: 'ES384' as const, sign: es.sign };
    const cose = await signClaim(claim, { ...lying, sign: async () => new Uint8Array(96) });
    expect(await verifyCoseSign1(cose, claim)).toMatchObject({ ok: false, status: 'bad-certificate' });
    const p = parseCoseSign1(cose);
    const unknown = encodeCbor(
      new Tag(
        [
          encodeCbor(
            new Map<number, unknown>([
              [1, -999],
              [33, p.chainDer],
            ]),
          ),
          new Map(),
          null,
          p.signature,
        ],
        18,
      ),
    );
    expect(await verifyCoseSign1(unknown, claim)).toMatchObject({ ok: false, status: 'unsupported-algorithm' });
    expect(await verifyCoseSign1(unhex('d2 83 40 a0 f6'), claim)).toMatchObject({ ok: false, status: 'malformed' });
  });

  it('a signer returning a wrongly sized signature is a SigningError', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const s = nodeSigner('Ed25519', privateKey, [unhex('3000')]);
    await expect(signClaim(claim, { ...s, sign: async () => new Uint8Array(10) })).rejects.toThrow(SigningError);
    expect(createPublicKey(privateKey).asymmetricKeyType).toBe('ed25519');
  });
});

describe('COSE padding to an exact size', () => {
  it('solvePadding hits every size, using pad2 where one pad cannot', () => {
    for (let extra = 0; extra < 70_000; extra += extra < 600 ? 1 : 97) {
      const s = solvePadding(extra);
      expect(s, `extra ${extra}`).toBeDefined();
    }
    expect(solvePadding(24)).toHaveProperty('pad2');
    expect(solvePadding(-1)).toBeUndefined();
  });

  it('signClaim produces exactly every size from the minimum up, or throws SigningError below it', async () => {
    const signer = signerFor('es256', 'ES256');
    const min = (await signClaim(claim, signer)).length;
    // Around the points where the pad's CBOR header grows (pad lengths 24 and 256).
    const sizes = [...Array(32).keys(), ...Array.from({ length: 12 }, (_, i) => 250 + i)].map((k) => min + k);
    for (const size of sizes) {
      const cose = await signClaim(claim, signer, { size });
      expect(cose.length).toBe(size);
      if (size % 7 === 0) expect((await verifyCoseSign1(cose, claim)).ok).toBe(true);
    }
    await expect(signClaim(claim, signer, { size: min - 1 })).rejects.toThrow(SigningError);
  });
});
