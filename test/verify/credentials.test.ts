/**
 * Signer credentials, on files signed by our manifest builder (the SDK cannot reach a TSA
 * offline, and refuses to sign with broken certificates) and read by both verifiers:
 * `timeStamp.validated`/`trusted`/`untrusted` as the SDK reports them, a trusted genTime
 * deciding when certificates are judged, the one documented difference for an expired
 * signer, CRL revocation and the allowed list.
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
import { sdkRead } from '../../scripts/support/sdk.ts';
import { jpegWithStore } from '../manifest/helpers/jpeg.ts';
import { hasOpenssl, nodeSigner, pemToDers, tsaUnderTestCa } from '../manifest/helpers/pki.ts';
import { makeTimestampToken } from '../manifest/helpers/tsa.ts';
import { codeSet, roots } from './helpers.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'verify-ts-'));
});

async function ourJpeg(name: string, sub: string, tsa?: ReturnType<typeof tsaUnderTestCa>): Promise<string> {
  const seed = readFileSync(gen('images', 'seed.jpg'));
  const draft = prepareManifest({
    signer: nodeSigner('ES256', createPrivateKey(readFileSync(gen('pki', sub, 'key.pem'), 'utf8')), pemToDers(readFileSync(gen('pki', sub, 'chain.pem'), 'utf8'))), claimGenerator: { name: 'verify-tests' }, hardBinding: 'data',
    assertions: [{ label: ACTIONS_LABEL, data: buildActions([{ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA }]) }],
    ...(tsa ? { timestamp: async (d: Uint8Array) => makeTimestampToken(d, tsa.key, tsa.chain) } : {}),
  });
  const placed = jpegWithStore(seed, draft.placeholder);
  const hash = await hashSourceExcluding(new BufferSource(placed.bytes), [placed.exclusion]);
  const file = path.join(dir, name);
  writeFileSync(file, jpegWithStore(seed, await draft.finalize({ exclusions: [placed.exclusion], hash })).bytes);
  return file;
}

const successCodes = (r: { validation_results: { activeManifest: { success: { code: string }[] } } | null }) => r.validation_results!.activeManifest.success.map((e) => e.code);

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
    expect(plain.validation_status.map((e) => e.code)).toContain('claimSignature.outsideValidity');
  });
});

describe('expired signer (documented difference)', () => {
  it('both Invalid with signingCredential.expired; we say claimSignature.outsideValidity where c2pa-rs 0.90 says insideValidity', async () => {
    const file = await ourJpeg('expired.jpg', 'broken/expired');
    const anchorsPem = roots();
    const [ours, sdk] = await Promise.all([verify(file, { trust: { anchorsPem } }), sdkRead(file, { anchorsPem })]);
    expect(ours.validation_state).toBe('Invalid');
    expect(sdk!.validation_state).toBe('Invalid');
    const a = codeSet(ours.validation_results);
    const b = codeSet(sdk!.validation_results);
    expect(a.filter((x) => !b.includes(x)).map((x) => x.split('|')[2])).toEqual(['claimSignature.outsideValidity']);
    expect(b.filter((x) => !a.includes(x)).map((x) => x.split('|')[2])).toEqual(['claimSignature.insideValidity']);
  });
});

describe('revocation and allowed list', () => {
  it('a revoked signer is signingCredential.revoked with the CA\'s CRL, Trusted without it', async () => {
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
