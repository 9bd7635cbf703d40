/**
 * Mixed chains with the reference SDK (`@contentauth/c2pa-node`): a file the SDK signed,
 * propagated by us, and our stamp republished by an SDK "edit" before our propagation.
 * Both verifiers read the result as Trusted with every earlier manifest a validated
 * ingredient.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propagate, type PropagateResult } from '../../src/service/propagate.ts';
import { verify } from '../../src/service/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { gen } from '../helpers.ts';
import { sdkRead, type ManifestStore } from '../../scripts/support/sdk.ts';
import { codeSet } from '../verify/helpers.ts';
import { sdkEdit } from '../../scripts/support/sdk-edit.ts';
import { cfx, CODES, labelCodes, signerFor, tempDir, trust } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('mixed');
});
afterAll(() => tmp.cleanup());

type Delta = { ingredientAssertionURI: string; validationDeltas: { success: { code: string; url?: string }[]; failure: unknown[] } };
const deltas = (r: { validation_results?: { ingredientDeltas?: readonly unknown[] } | null } | null): Delta[] =>
  (r?.validation_results?.ingredientDeltas ?? []) as Delta[];

async function both(file: string): Promise<[VerifyReport, ManifestStore | null]> {
  return Promise.all([verify(file, { trust: trust() }), sdkRead(file, { anchorsPem: trust().anchorsPem })]);
}

describe('SDK-signed upload, propagated by us', () => {
  let r: PropagateResult;
  let ours: VerifyReport;
  let sdk: ManifestStore | null;
  beforeAll(async () => {
    r = await propagate(cfx('sdk-created.jpg'), {
      signer: await signerFor('platform-a'),
      propagator: CODES.platformA,
      trust: trust(),
      output: tmp.file('sdk-a.jpg'),
    });
    [ours, sdk] = await both(tmp.file('sdk-a.jpg'));
  });

  it('the SDK manifest is a validated ingredient in both verifiers, both Trusted', () => {
    expect(ours.validation_state).toBe('Trusted');
    expect(sdk!.validation_state).toBe('Trusted');
    const sdkManifest = ours.chain[0]!.manifest;
    for (const d of [deltas(ours), deltas(sdk)]) {
      expect(d).toHaveLength(1);
      expect(d[0]!.validationDeltas.success).toContainEqual(
        expect.objectContaining({ code: 'ingredient.manifest.validated', url: `self#jumbf=/c2pa/${sdkManifest}` }),
      );
      expect(d[0]!.validationDeltas.failure).toEqual([]);
    }
    expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
  });

  it('the chain: the SDK\'s creation, then our propagation with an inferred Label "3"', () => {
    expect(ours.chain.map((s) => s.role)).toEqual(['creation', 'propagation']);
    expect(ours.manifests[ours.chain[0]!.manifest]!.claim_generator_info).toEqual([
      expect.objectContaining({ name: 'aigc-provenance-tests' }),
    ]);
    expect(r.decision).toMatchObject({ prompt: 'suspected-ai-generated', label: '3' });
    expect(ours.labels.gb45438?.fields).toMatchObject({ Label: '3', ContentPropagator: CODES.platformA });
    expect(labelCodes(ours, 'failure')).toEqual([]);
  });
});

describe('our stamp, republished by an SDK edit, then propagated by us', () => {
  let ours: VerifyReport;
  let sdk: ManifestStore | null;
  beforeAll(async () => {
    sdkEdit(cfx('stamped.jpg'), tmp.file('sdk-edit.jpg'), {
      chainPem: readFileSync(gen('pki', 'platform-a', 'chain.pem')),
      keyPem: readFileSync(gen('pki', 'platform-a', 'key.pem')),
      alg: 'es256',
      format: 'image/jpeg',
      actions: ['c2pa.published'],
    });
    await propagate(tmp.file('sdk-edit.jpg'), {
      signer: await signerFor('platform-b'),
      propagator: CODES.platformB,
      trust: trust(),
      output: tmp.file('sdk-edit-b.jpg'),
    });
    [ours, sdk] = await both(tmp.file('sdk-edit-b.jpg'));
  });

  it("is Trusted in both, every ingredient validated, the producer's label intact", () => {
    expect(ours.validation_state).toBe('Trusted');
    expect(sdk!.validation_state).toBe('Trusted');
    expect(ours.chain.map((s) => [s.role, s.signer?.provider_code])).toEqual([
      ['creation', CODES.producer],
      ['propagation', CODES.platformA],
      ['propagation', CODES.platformB],
    ]);
    for (const d of [deltas(ours), deltas(sdk)]) {
      expect(d).toHaveLength(1); // the SDK edit's own ingredient delta was recorded by platform B
      for (const x of d) expect(x.validationDeltas.success.map((e) => e.code)).toContain('ingredient.manifest.validated');
    }
    expect(labelCodes(ours, 'failure')).toEqual([]);
    expect(ours.labels.security_data?.map((f) => [f.field, f.status, f.key])).toEqual([
      ['ReservedCode1', 'valid', 'bound'],
      ['ReservedCode2', 'valid', 'bound'],
    ]);
  });
});
