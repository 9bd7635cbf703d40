/**
 * Update manifests (`c2um`) as c2pa-rs validates them: the SDK's update_manifest.jpg gets
 * the SDK's verdict and code sets with and without its test anchors (no content hash: the
 * parent's data hash predates the update manifest); the structural rules
 * (`manifest.update.invalid`, `manifest.update.wrongParents`) fire on broken ones.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { StatusTracker } from '../../src/verify/engine/tracker.ts';
import { updateManifestStep } from '../../src/verify/engine/steps/update-manifest.ts';
import { repo } from '../helpers.ts';

const ext = (name: string): string =>
  repo('fixtures', 'external', 'c2pa-rs', name === 'test-anchors.pem' || name.startsWith('sdk-reports/') ? '' : 'signed', name);
type Codes = Record<'success' | 'informational' | 'failure', string[]>;
function codeSets(am: Record<string, { code: string }[]> | undefined): Codes {
  const pick = (k: string) => (am?.[k] ?? []).map((e) => e.code).sort();
  return { success: pick('success'), informational: pick('informational'), failure: pick('failure') };
}

describe('update_manifest.jpg', () => {
  for (const anchored of [false, true]) {
    it(`matches the SDK ${anchored ? 'with' : 'without'} test anchors`, async () => {
      const sdk = JSON.parse(readFileSync(ext(`sdk-reports/update_manifest.jpg${anchored ? '.anchored' : ''}.json`), 'utf8'));
      const r = await verify(
        ext('update_manifest.jpg'),
        anchored ? { trust: { anchorsPem: readFileSync(ext('test-anchors.pem'), 'utf8') } } : {},
      );
      expect(r.validation_state).toBe(sdk.validation_state);
      expect(codeSets(r.validation_results?.activeManifest as never)).toEqual(codeSets(sdk.validation_results.activeManifest));
      expect(r.manifests[r.active_manifest!]).toMatchObject({ manifest_type: 'update' });
    });
  }
});

describe('update manifest rules', () => {
  const ingredient = (label: string, relationship: string) => ({ label, kind: 'cbor', data: { relationship, 'dc:title': 'x' } });
  function run(assertions: object[]): string[] {
    const tracker = new StatusTracker();
    const manifest = { label: 'urn:c2pa:test', type: 'update', assertions, problems: [] };
    updateManifestStep.run({ asset: { store: { manifests: [manifest] }, tracker }, manifest, result: {}, depth: 0, active: true } as never);
    return tracker.logged.map((e) => e.entry.code);
  }
  it('one parentOf ingredient and no hard binding passes', () => {
    expect(run([ingredient('c2pa.ingredient.v3', 'parentOf')])).toEqual([]);
  });
  it('a hard binding, no parent, two ingredients or a componentOf one fail', () => {
    expect(run([ingredient('c2pa.ingredient.v3', 'parentOf'), { label: 'c2pa.hash.data', kind: 'cbor', data: {} }])).toEqual([
      'manifest.update.invalid',
    ]);
    expect(run([])).toEqual(['manifest.update.wrongParents']);
    expect(run([ingredient('c2pa.ingredient.v3', 'parentOf'), ingredient('c2pa.ingredient.v3__1', 'componentOf')])).toEqual([
      'manifest.update.wrongParents',
    ]);
    expect(run([ingredient('c2pa.ingredient.v3', 'componentOf')])).toEqual(['manifest.update.wrongParents']);
  });
});
