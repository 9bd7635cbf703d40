/**
 * CAWG identity assertions with an X.509 signature (`cawg.x509.cose`), on the SDK's
 * C_with_CAWG_data.jpg: our verdict and code sets equal the SDK's with and without its test
 * anchors (identity signers are judged against separate CAWG anchors, as in c2pa-rs); with
 * CAWG anchors the identity signer is trusted; damaged identity assertions give c2pa-rs's codes.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { jpegHandler } from '../../src/formats/jpeg.ts';
import { parseManifestStore, type Manifest } from '../../src/manifest/index.ts';
import { verify } from '../../src/service/verify.ts';
import { cawgIdentityStep } from '../../src/verify/engine/steps/cawg-identity.ts';
import { NO_TRUST } from '../../src/verify/engine/context.ts';
import { StatusTracker } from '../../src/verify/engine/tracker.ts';
import { repo } from '../helpers.ts';

const ext = (name: string): string =>
  repo('fixtures', 'external', 'c2pa-rs', name === 'test-anchors.pem' || name.startsWith('sdk-reports/') ? '' : 'signed', name);
const ANCHORS = readFileSync(ext('test-anchors.pem'), 'utf8');
type Entry = { code: string; url?: string };
const sets = (am: Record<string, Entry[]> | undefined) =>
  Object.fromEntries(['success', 'informational', 'failure'].map((k) => [k, (am?.[k] ?? []).map((e) => e.code).sort()]));

describe('C_with_CAWG_data.jpg', () => {
  for (const anchored of [false, true]) {
    it(`matches the SDK ${anchored ? 'with' : 'without'} test anchors`, async () => {
      const sdk = JSON.parse(readFileSync(ext(`sdk-reports/C_with_CAWG_data.jpg${anchored ? '.anchored' : ''}.json`), 'utf8'));
      // As the SDK report was made: no trust lists, only the test anchors when anchored.
      const base = { defaultTrust: false };
      const r = await verify(ext('C_with_CAWG_data.jpg'), { trust: anchored ? { ...base, anchorsPem: ANCHORS } : base });
      expect(r.validation_state).toBe(sdk.validation_state);
      expect(sets(r.validation_results?.activeManifest as never)).toEqual(sets(sdk.validation_results.activeManifest));
      const cawg = r.validation_results!.activeManifest.failure.find((e) => e.url?.endsWith('/cawg.identity'));
      expect(cawg?.code).toBe('signingCredential.untrusted');
    });
  }
  it('with CAWG anchors the identity signer is trusted and the file Trusted', async () => {
    const r = await verify(ext('C_with_CAWG_data.jpg'), { trust: { anchorsPem: ANCHORS, cawgAnchorsPem: ANCHORS } });
    const at = (e: Entry) => e.url?.endsWith('/cawg.identity');
    expect(
      r
        .validation_results!.activeManifest.success.filter(at)
        .map((e) => e.code)
        .sort(),
    ).toEqual(['assertion.hashedURI.match', 'cawg.identity.well-formed', 'signingCredential.trusted']);
    expect(r.validation_results!.activeManifest.failure).toEqual([]);
    expect(r.validation_state).toBe('Trusted');
  });
});

describe('CLI --cawg-trust', () => {
  const run = (args: string[]) =>
    new Promise<number>((resolve) => {
      execFile(
        process.execPath,
        [repo('cli', 'aigc.js'), 'verify', ext('C_with_CAWG_data.jpg'), '--trust', ext('test-anchors.pem'), ...args],
        { env: { ...process.env, AIGC_TRUST: '' } },
        (err) => resolve(err ? Number(err.code) : 0),
      );
    });
  it('exits 0 (Trusted) with CAWG anchors, 3 (Valid) without', async () => {
    const [withCawg, without] = await Promise.all([run(['--cawg-trust', ext('test-anchors.pem')]), run([])]);
    expect(withCawg).toBe(0);
    expect(without).toBe(3);
  });
});

/** The parts of a `cawg.identity` assertion the edits below change. */
interface IdentityData {
  pad1?: Uint8Array;
  signer_payload?: { referenced_assertions: { hash: Uint8Array }[]; sig_type: string };
}

describe('damaged identity assertions', () => {
  const bytes = readFileSync(ext('C_with_CAWG_data.jpg'));
  async function run(edit: (data: IdentityData) => void): Promise<string[]> {
    const store = parseManifestStore((await jpegHandler.readManifest(new BufferSource(bytes)))!);
    const m = store.active!;
    const assertions = m.assertions.map((a) => {
      if (a.label !== 'cawg.identity') return a;
      const data = structuredClone(a.data) as IdentityData;
      edit(data);
      return { ...a, data };
    });
    const manifest: Manifest = { ...m, assertions };
    const tracker = new StatusTracker();
    await cawgIdentityStep.run({
      asset: { store, tracker, trust: NO_TRUST, warnings: [] },
      manifest,
      result: { validationTime: new Date('2026-01-01') },
      depth: 0,
      active: true,
    } as never);
    return tracker.logged.map((e) => e.entry.code);
  }
  it('the untouched assertion is well-formed (untrusted signer)', async () => {
    expect(await run(() => undefined)).toEqual(['signingCredential.untrusted', 'cawg.identity.well-formed']);
  });
  it('non-zero padding', async () => {
    expect(
      await run((d) => {
        d.pad1 = Uint8Array.of(0, 1);
      }),
    ).toEqual(['cawg.identity.pad.invalid', 'signingCredential.untrusted']);
  });
  it("a reference whose hash is not the claim's (also breaks the signature)", async () => {
    const codes = await run((d) => {
      d.signer_payload!.referenced_assertions[0].hash = new Uint8Array(32);
    });
    expect(codes).toEqual(['cawg.identity.assertion.mismatch', 'claimSignature.mismatch']);
  });
  it('a duplicate reference, and no hard binding referenced', async () => {
    const dup = await run((d) => {
      d.signer_payload!.referenced_assertions.push(d.signer_payload!.referenced_assertions[0]);
    });
    expect(dup).toContain('cawg.identity.assertion.duplicate');
    const noBinding = await run((d) => {
      d.signer_payload!.referenced_assertions.pop();
    });
    expect(noBinding).toContain('cawg.identity.hard_binding_missing');
  });
  it('an unknown signature type, and a missing signer_payload', async () => {
    expect(
      await run((d) => {
        d.signer_payload!.sig_type = 'cawg.unknown';
      }),
    ).toEqual(['cawg.identity.sig_type.unknown']);
    expect(
      await run((d) => {
        delete d.signer_payload;
      }),
    ).toEqual(['cawg.identity.cbor.invalid']);
  });
});
