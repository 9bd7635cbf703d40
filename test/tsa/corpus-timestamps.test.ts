/**
 * Real time-stamped files from the reference SDK's fixtures (fixtures/external/c2pa-rs, see
 * its NOTICE), whose legacy `sigTst` headers hold whole TimeStampResps: C.jpg and CA.jpg
 * (DigiCert TSA) and ocsp.jpg (Adobe TSA; its signing certificate has since expired, so the
 * trusted time-stamp decides). Our verdict and code sets equal the SDK's reports, with and without anchors.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { repo } from '../helpers.ts';
import { sdkRead, type ManifestStore } from '../sdk.ts';

const dir = (...p: string[]): string => repo('fixtures', 'external', 'c2pa-rs', ...p);
const set = (xs: readonly { code: string }[] | undefined): string[] => [...new Set((xs ?? []).map((e) => e.code))].sort();

describe.each(['C.jpg', 'CA.jpg', 'ocsp.jpg'])('%s', (file) => {
  it.each([false, true])('matches the SDK (anchored: %s)', async (anchored) => {
    const sdk = JSON.parse(readFileSync(dir('sdk-reports', `${file}${anchored ? '.anchored' : ''}.json`), 'utf8')) as ManifestStore;
    const ours = await verify(dir('signed', file), {
      trust: anchored ? { anchorsPem: readFileSync(dir('test-anchors.pem'), 'utf8') } : {},
    });
    const a = ours.validation_results!.activeManifest!;
    const s = sdk.validation_results!.activeManifest!;
    expect(ours.validation_state).toBe(sdk.validation_state);
    expect(set(a.success)).toEqual(set(s.success));
    expect(set(a.failure)).toEqual(set(s.failure));
    expect(set(a.informational).filter((c) => c.startsWith('timeStamp'))).toEqual(
      set(s.informational).filter((c) => c.startsWith('timeStamp')),
    );
    expect(set(a.success)).toEqual(expect.arrayContaining(['timeStamp.trusted', 'timeStamp.validated']));
  });
});

describe('the report names the time-stamp form', () => {
  it('TimeStampResp in sigTst, with a stapled OCSP response in ocsp.jpg and none in C.jpg', async () => {
    const o = await verify(dir('signed', 'ocsp.jpg'), {});
    const si = o.manifests[o.active_manifest!]!.signature_info!;
    expect(si.timestamp_form).toEqual({ header: 'sigTst', token: 'TimeStampResp', status: 'valid' });
    expect(si.ocsp_stapled).toBe(true);
    const c = await verify(dir('signed', 'C.jpg'), {});
    expect(c.manifests[c.active_manifest!]!.signature_info!.timestamp_form).toEqual({
      header: 'sigTst',
      token: 'TimeStampResp',
      status: 'valid',
    });
    expect(c.manifests[c.active_manifest!]!.signature_info!.ocsp_stapled).toBeUndefined();
  });
});

describe('the TSA trust rule of c2pa-rs 0.90', () => {
  const g4 = rootCertificates.find((pem) => /MIIFkDCCA3igAwIBAgIQBZsbV56OITLiOQe9p3d1XDANBgkqhkiG9w0BAQwFADBi/.test(pem));

  it("a v1 claim's time-stamp counts without any anchor (its TSA trust is not checked), and moves the signer's time", async () => {
    const c = await verify(dir('signed', 'C.jpg'), { trust: { defaultTrust: false } });
    expect(set(c.validation_results!.activeManifest!.success)).toContain('timeStamp.trusted');
    expect(c.manifests[c.active_manifest!]!.generation!.claim_version).toBe(1);
    // ocsp.jpg: the Adobe signer expired after signing; the v1 time-stamp keeps it inside validity.
    const o = await verify(dir('signed', 'ocsp.jpg'), { trust: { defaultTrust: false } });
    expect(set(o.validation_results!.activeManifest!.failure)).not.toContain('signingCredential.expired');
    expect(o.validation_state).toBe('Valid');
  });

  it("a v2 claim's TSA must chain to a configured anchor: CACA.jpg's DigiCert TSA is trusted only under its root", async () => {
    expect(g4, "DigiCert Trusted Root G4 in Node's root store").toBeDefined();
    const bare = await verify(dir('signed', 'CACA.jpg'), { trust: { defaultTrust: false } });
    expect(bare.manifests[bare.active_manifest!]!.generation!.claim_version).toBe(2);
    expect(set(bare.validation_results!.activeManifest!.informational)).toContain('timeStamp.untrusted');
    const anchored = await verify(dir('signed', 'CACA.jpg'), { trust: { defaultTrust: false, anchorsPem: g4! } });
    expect(set(anchored.validation_results!.activeManifest!.success)).toContain('timeStamp.trusted');
    const sdkCodes = async (o: { anchorsPem?: string }) => {
      const am = (await sdkRead(dir('signed', 'CACA.jpg'), o))!.validation_results!.activeManifest!;
      return set([...am.success, ...am.informational]).filter((c) => c.startsWith('timeStamp'));
    };
    expect(await sdkCodes({})).toEqual(['timeStamp.untrusted', 'timeStamp.validated']);
    expect(await sdkCodes({ anchorsPem: g4! })).toEqual(['timeStamp.trusted', 'timeStamp.validated']);
    // The opt-in public root store does the same (c2pa-rs has none).
    const pub = await verify(dir('signed', 'CACA.jpg'), { trust: { defaultTrust: false, publicTsaRoots: true } });
    expect(set(pub.validation_results!.activeManifest!.success)).toContain('timeStamp.trusted');
  });
});
