/**
 * Real time-stamped files from the reference SDK's fixtures (fixtures/external/c2pa-rs, see
 * its NOTICE), whose legacy `sigTst` headers hold whole TimeStampResps: C.jpg and CA.jpg
 * (DigiCert TSA) and ocsp.jpg (Adobe TSA; its signing certificate has since expired, so the
 * trusted time-stamp decides). Our verdict and code sets equal the SDK's reports, with and without anchors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { repo } from '../helpers.ts';
import type { ManifestStore } from '../sdk.ts';

const dir = (...p: string[]): string => repo('fixtures', 'external', 'c2pa-rs', ...p);
const set = (xs: readonly { code: string }[] | undefined): string[] => [...new Set((xs ?? []).map((e) => e.code))].sort();

describe.each(['C.jpg', 'CA.jpg', 'ocsp.jpg'])('%s', (file) => {
  it.each([false, true])('matches the SDK (anchored: %s)', async (anchored) => {
    const sdk = JSON.parse(readFileSync(dir('sdk-reports', `${file}${anchored ? '.anchored' : ''}.json`), 'utf8')) as ManifestStore;
    const ours = await verify(dir(file), { trust: anchored ? { anchorsPem: readFileSync(dir('test-anchors.pem'), 'utf8') } : {} });
    const a = ours.validation_results!.activeManifest!;
    const s = sdk.validation_results!.activeManifest!;
    expect(ours.validation_state).toBe(sdk.validation_state);
    expect(set(a.success)).toEqual(set(s.success));
    expect(set(a.failure)).toEqual(set(s.failure));
    expect(set(a.informational).filter((c) => c.startsWith('timeStamp'))).toEqual(set(s.informational).filter((c) => c.startsWith('timeStamp')));
    expect(set(a.success)).toEqual(expect.arrayContaining(['timeStamp.trusted', 'timeStamp.validated']));
  });
});

describe('the report names the time-stamp form', () => {
  it('TimeStampResp in sigTst, with a stapled OCSP response in ocsp.jpg and none in C.jpg', async () => {
    const o = await verify(dir('ocsp.jpg'), {});
    const si = o.manifests[o.active_manifest!]!.signature_info!;
    expect(si.timestamp_form).toEqual({ header: 'sigTst', token: 'TimeStampResp', status: 'valid' });
    expect(si.ocsp_stapled).toBe(true);
    const c = await verify(dir('C.jpg'), {});
    expect(c.manifests[c.active_manifest!]!.signature_info!.timestamp_form).toEqual({ header: 'sigTst', token: 'TimeStampResp', status: 'valid' });
    expect(c.manifests[c.active_manifest!]!.signature_info!.ocsp_stapled).toBeUndefined();
  });
});

describe('the TSA trust sources', () => {
  it('without the public root store the DigiCert TSA is untrusted, and the expired Adobe signer fails', async () => {
    const c = await verify(dir('C.jpg'), { trust: { publicTsaRoots: false } });
    expect(set(c.validation_results!.activeManifest!.informational)).toContain('timeStamp.untrusted');
    const o = await verify(dir('ocsp.jpg'), { trust: { publicTsaRoots: false } });
    expect(set(o.validation_results!.activeManifest!.failure)).toContain('signingCredential.expired');
  });
});
