/**
 * Signer credentials, on files signed by our manifest builder (the SDK cannot reach a TSA
 * offline, and refuses to sign with broken certificates) and read by both verifiers:
 * `timeStamp.validated`/`trusted`/`untrusted` as the SDK reports them, a trusted genTime
 * deciding when certificates are judged, expired and not-yet-valid signers (the same codes
 * as the SDK, with and without anchors), CRL revocation and the allowed list.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { hashSourceExcluding } from '../../src/binding/data-hash.ts';
import { ACTIONS_LABEL, buildActions, prepareManifest } from '../../src/manifest/index.ts';
import { verify } from '../../src/service/verify.ts';
import { gen } from '../helpers.ts';
import { Reader } from '@contentauth/c2pa-node';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { jpegWithStore } from '../manifest/helpers/jpeg.ts';
import { hasOpenssl, nodeSigner, pemToDers, tsaUnderTestCa } from '../manifest/helpers/pki.ts';
import { makeTimestampToken } from '../manifest/helpers/tsa.ts';
import { codeSet, roots } from './helpers.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { generateKeyPair, privateKeyFromPem } from '../../src/crypto/keys.ts';
import { buildCertificate, caExtensions, keyIdOfIssuer, leafExtensions } from '../../src/pki/cert-builder.ts';
import { loadCa } from '../../src/pki/ca.ts';
import { serviceSubject } from '../../src/pki/identity.ts';
import { ATTR } from '../../src/pki/oids.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'verify-ts-'));
});

async function ourJpeg(name: string, sub: string, tsa?: ReturnType<typeof tsaUnderTestCa>): Promise<string> {
  return signedJpeg(
    name,
    nodeSigner(
      'ES256',
      createPrivateKey(readFileSync(gen('pki', sub, 'key.pem'), 'utf8')),
      pemToDers(readFileSync(gen('pki', sub, 'chain.pem'), 'utf8')),
    ),
    tsa,
  );
}

async function signedJpeg(name: string, signer: Signer, tsa?: ReturnType<typeof tsaUnderTestCa>): Promise<string> {
  const seed = readFileSync(gen('images', 'seed.jpg'));
  const draft = prepareManifest({
    signer,
    claimGenerator: { name: 'verify-tests' },
    hardBinding: 'data',
    assertions: [{ label: ACTIONS_LABEL, data: buildActions([{ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA }]) }],
    ...(tsa ? { timestamp: async (d: Uint8Array) => makeTimestampToken(d, tsa.key, tsa.chain) } : {}),
  });
  const placed = jpegWithStore(seed, draft.placeholder);
  const hash = await hashSourceExcluding(new BufferSource(placed.bytes), [placed.exclusion]);
  const file = path.join(dir, name);
  writeFileSync(file, jpegWithStore(seed, await draft.finalize({ exclusions: [placed.exclusion], hash })).bytes);
  return file;
}

const successCodes = (r: { validation_results: { activeManifest: { success: { code: string }[] } } | null }) =>
  r.validation_results!.activeManifest.success.map((e) => e.code);

describe.skipIf(!hasOpenssl())('RFC 3161 time-stamps', () => {
  it('a TSA under the test root: validated and trusted, as the SDK says; untrusted without anchors', async () => {
    const file = await ourJpeg('tsa.jpg', 'es256', tsaUnderTestCa());
    const anchorsPem = roots();
    const [ours, sdk] = await Promise.all([verify(file, { trust: { anchorsPem } }), sdkRead(file, { anchorsPem })]);
    expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
    expect(successCodes(ours).slice(0, 2)).toEqual(['timeStamp.validated', 'timeStamp.trusted']);
    expect(ours.manifests[ours.active_manifest!]!.signature_info).toMatchObject({ timestamp_trusted: true });
    expect(ours.manifests[ours.active_manifest!]!.signature_info!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const [bare, sdkBare] = await Promise.all([verify(file), sdkRead(file)]);
    expect(codeSet(bare.validation_results)).toEqual(codeSet(sdkBare!.validation_results));
    expect(bare.validation_results!.activeManifest.informational.map((e) => e.code)).toEqual(['timeStamp.untrusted']);
  });

  it('a trusted genTime, not the clock, decides: valid in 2040 (leaf expired 2035) only with the time-stamp', async () => {
    const trust = { anchorsPem: roots() };
    const at = new Date('2040-01-01T00:00:00Z');
    const stamped = await verify(await ourJpeg('tsa2.jpg', 'es256', tsaUnderTestCa()), { trust, at });
    expect(stamped.validation_state).toBe('Trusted');
    const plain = await verify(await ourJpeg('plain.jpg', 'es256'), { trust, at });
    expect(plain.validation_state).toBe('Invalid');
    expect(plain.validation_status.map((e) => e.code)).toContain('signingCredential.expired');
  });
});

describe('signers outside their validity, no time-stamp: the same codes as c2pa-rs 0.90', () => {
  for (const sub of ['broken/expired', 'broken/not-yet-valid']) {
    for (const anchored of [false, true]) {
      it(`${sub}, ${anchored ? 'with' : 'without'} trust anchors: Invalid, insideValidity + signingCredential.expired, ${anchored ? 'trusted' : 'untrusted'}`, async () => {
        const file = await ourJpeg(`${sub.replace('/', '-')}-${anchored}.jpg`, sub);
        const trust = anchored ? { anchorsPem: roots() } : undefined;
        const [ours, sdk] = await Promise.all([verify(file, trust ? { trust } : {}), sdkRead(file, trust ?? {})]);
        expect(ours.validation_state).toBe('Invalid');
        expect(sdk!.validation_state).toBe('Invalid');
        expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
        const codes = codeSet(ours.validation_results).map((x) => x.split('|').slice(1, 3).join(':'));
        expect(codes).toEqual(
          expect.arrayContaining([
            'success:claimSignature.insideValidity',
            'failure:signingCredential.expired',
            anchored ? 'success:signingCredential.trusted' : 'failure:signingCredential.untrusted',
          ]),
        );
        expect(codes).not.toContain('failure:claimSignature.outsideValidity');
      });
    }
  }
});

describe('revocation and allowed list', () => {
  it("a revoked signer is signingCredential.revoked with the CA's CRL, Trusted without it", async () => {
    const file = await ourJpeg('revoked.jpg', 'broken/revoked');
    const anchorsPem = roots();
    expect((await verify(file, { trust: { anchorsPem } })).validation_state).toBe('Trusted');
    const r = await verify(file, { trust: { anchorsPem, crlsPem: readFileSync(gen('pki', 'broken', 'crl.pem'), 'utf8') } });
    expect(r.validation_state).toBe('Invalid');
    expect(r.validation_status.map((e) => e.code)).toEqual(['signingCredential.revoked']);
  });

  it('a self-signed signer is untrusted unless it is on the allowed list', async () => {
    const file = await ourJpeg('selfsigned.jpg', 'broken/self-signed-leaf');
    const anchorsPem = roots();
    expect((await verify(file, { trust: { anchorsPem } })).validation_state).toBe('Valid');
    const allowed = readFileSync(gen('pki', 'broken', 'self-signed-leaf', 'chain.pem'), 'utf8');
    expect((await verify(file, { trust: { anchorsPem, allowedListPem: allowed } })).validation_state).toBe('Trusted');
  });
});

describe('an expired CA certificate under a valid signing certificate', () => {
  it("is judged as c2pa-rs 0.90 does: only the leaf's validity counts (Valid without anchors, Trusted with them)", async () => {
    const ca = await loadCa(gen('pki', 'es256'));
    const ik = generateKeyPair('es256');
    const inter = buildCertificate({
      subject: [
        { oid: ATTR.organization, value: 'Old Org' },
        { oid: ATTR.commonName, value: 'Expired Intermediate' },
      ],
      issuer: ca.root,
      publicKey: ik.publicKey,
      signingKey: privateKeyFromPem(readFileSync(gen('pki', 'es256', 'root.key')), 'root'),
      notBefore: new Date('2019-01-01Z'),
      notAfter: new Date('2021-01-01Z'),
      extensions: caExtensions({ publicKey: ik.publicKey, issuerKeyId: keyIdOfIssuer(ca.root), pathLen: 0 }),
    });
    const lk = generateKeyPair('es256');
    const leaf = buildCertificate({
      subject: serviceSubject({ org: 'Leaf Org', service: 'valid leaf', code: '001191000000EXAMPLE01P10000', role: 'producer' }),
      issuer: inter,
      publicKey: lk.publicKey,
      signingKey: ik.privateKey,
      notBefore: new Date('2020-01-01Z'),
      notAfter: new Date('2035-01-01Z'),
      extensions: leafExtensions({ publicKey: lk.publicKey, issuerKeyId: keyIdOfIssuer(inter) }),
    });
    const file = await signedJpeg('expired-intermediate.jpg', nodeSigner('ES256', lk.privateKey, [leaf.der, inter.der]));
    for (const anchorsPem of [undefined, roots()]) {
      const [ours, sdk] = await Promise.all([
        verify(file, { trust: { defaultTrust: false, ...(anchorsPem ? { anchorsPem } : {}) } }),
        sdkRead(file, anchorsPem ? { anchorsPem } : {}),
      ]);
      expect(ours.validation_state).toBe(anchorsPem ? 'Trusted' : 'Valid');
      expect(sdk!.validation_state).toBe(ours.validation_state);
      expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
    }
  });
});

describe('an EKU list (c2pa-rs trust_config)', () => {
  it('admits a signer whose only EKU is a listed private OID, as the SDK does; not without the list', async () => {
    const ca = await loadCa(gen('pki', 'es256'));
    const lk = generateKeyPair('es256');
    const leaf = buildCertificate({
      subject: serviceSubject({ org: 'Leaf Org', service: 'private eku', code: '001191000000EXAMPLE01P10000', role: 'producer' }),
      issuer: ca.intermediate,
      publicKey: lk.publicKey,
      signingKey: ca.intermediateKey,
      notBefore: new Date('2020-01-01Z'),
      notAfter: new Date('2035-01-01Z'),
      extensions: leafExtensions({ publicKey: lk.publicKey, issuerKeyId: keyIdOfIssuer(ca.intermediate), ekus: ['1.3.6.1.4.1.99999.1'] }),
    });
    const file = await signedJpeg('private-eku.jpg', nodeSigner('ES256', lk.privateKey, [leaf.der, ca.intermediate.der]));
    const anchorsPem = roots();
    for (const ekus of [undefined, '1.3.6.1.4.1.99999.1']) {
      const ours = await verify(file, { trust: { anchorsPem, defaultTrust: false, ...(ekus ? { ekus } : {}) } });
      const sdk = (await Reader.fromAsset(
        { path: file },
        {
          verify: { verify_trust: true, remote_manifest_fetch: false, ocsp_fetch: false },
          trust: { user_anchors: anchorsPem, ...(ekus ? { trust_config: ekus } : {}) },
        },
      ))!.json() as { validation_state: string; validation_results: never };
      expect(ours.validation_state).toBe(ekus ? 'Trusted' : 'Invalid');
      expect(sdk.validation_state).toBe(ours.validation_state);
      expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk.validation_results));
    }
  });
});
