/**
 * SDK → ours: every file the reference SDK signed (and its edit chains and tampered
 * copies) gives the same verdict and the same set of {kind, code, url} entries — active
 * manifest and ingredient deltas, with multiplicity — in our verifier and in
 * @contentauth/c2pa-node 0.8.0, with our roots as anchors and with no anchors at all.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { repo } from '../helpers.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { codeSet, failureCodes, roots, vfx } from './helpers.ts';

interface Recipe {
  signed: { file: string }[];
  edits: { file: string }[];
  tampers: { file: string; op: string }[];
}
const recipe = JSON.parse(readFileSync(repo('fixtures', 'recipes', 'verify.json'), 'utf8')) as Recipe;
const readable = [...recipe.signed, ...recipe.edits, ...recipe.tampers.filter((t) => t.op !== 'truncate')].map((f) => f.file);

/** The failure each tamper must produce (in both tools). */
const EXPECTED_FAILURE: Record<string, string> = {
  'tamper-data.jpg': 'assertion.dataHash.mismatch',
  'tamper-data.png': 'assertion.dataHash.mismatch',
  'tamper-data.wav': 'assertion.dataHash.mismatch',
  'tamper-data.mp4': 'assertion.bmffHash.mismatch',
  'tamper-assertion.jpg': 'assertion.hashedURI.mismatch',
  'tamper-assertion.png': 'assertion.hashedURI.mismatch',
  'tamper-claim.jpg': 'claimSignature.mismatch',
  'tamper-claim.mp4': 'claimSignature.mismatch',
  'tamper-ingredient.jpg': 'ingredient.manifest.mismatch',
};

describe.each(readable)('%s', (file) => {
  it('has the SDK code set and verdict with our roots as anchors', async () => {
    const anchorsPem = roots();
    const [ours, sdk] = await Promise.all([verify(vfx(file), { trust: { anchorsPem } }), sdkRead(vfx(file), { anchorsPem })]);
    expect(ours.error).toBeUndefined();
    expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
    expect(ours.c2pa_validation_state).toBe(sdk!.validation_state);
    const expected = EXPECTED_FAILURE[file];
    if (expected) {
      expect(ours.c2pa_validation_state).toBe('Invalid');
      expect(failureCodes(ours)).toContain(expected);
    } else if (file.startsWith('sdk-') || file.startsWith('chain-') || file === 'unknown-parent.jpg') {
      expect(ours.validation_state).toBe('Trusted');
      expect(ours.validation_status).toEqual([]);
    }
  });

  it('has the SDK code set and verdict with no anchors', async () => {
    const [ours, sdk] = await Promise.all([verify(vfx(file)), sdkRead(vfx(file))]);
    expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
    expect(ours.c2pa_validation_state).toBe(sdk!.validation_state);
    expect(ours.validation_status.map((e) => e.code)).toEqual((sdk!.validation_status ?? []).map((e) => e.code));
    if (!EXPECTED_FAILURE[file]) {
      expect(ours.validation_state).toBe('Valid');
      expect(failureCodes(ours).every((c) => c === 'signingCredential.untrusted')).toBe(true);
      expect(failureCodes(ours)).toContain('signingCredential.untrusted');
    }
  });
});

describe('SDK-signed success codes', () => {
  it('a JPEG with a thumbnail: signature, trust, one hashed-URI match per assertion, data hash', async () => {
    const r = await verify(vfx('sdk-es256.jpg'), { trust: { anchorsPem: roots() } });
    const codes = r.validation_results!.activeManifest.success.map((e) => e.code);
    expect(codes).toEqual([
      'signingCredential.trusted',
      'claimSignature.insideValidity',
      'claimSignature.validated',
      'assertion.hashedURI.match',
      'assertion.hashedURI.match',
      'assertion.hashedURI.match',
      'assertion.dataHash.match',
    ]);
    const m = r.manifests[r.active_manifest!]!;
    expect(m.thumbnail?.format).toBe('image/jpeg');
    expect(m.signature_info).toMatchObject({
      alg: 'Es256',
      issuer: 'Example AIGC Co',
      common_name: 'Example Image Generator (ES256)',
      provider_code: '001191000000EXAMPLE01P10000',
      role: 'producer',
    });
  });

  it('an MP4: bmffHash.match', async () => {
    const r = await verify(vfx('sdk-es256.mp4'), { trust: { anchorsPem: roots() } });
    expect(r.validation_results!.activeManifest.success.map((e) => e.code)).toContain('assertion.bmffHash.match');
    expect(r.format).toEqual({ id: 'mp4', mime: 'video/mp4', extension: 'mp4' });
  });

  it('a two-level SDK chain: ingredient.manifest.validated and the parent trust as deltas, chain creation → edit', async () => {
    const r = await verify(vfx('chain-2.jpg'), { trust: { anchorsPem: roots() } });
    const deltas = r.validation_results!.ingredientDeltas;
    expect(deltas).toHaveLength(1);
    expect(deltas[0]!.validationDeltas.success.map((e) => e.code)).toEqual(['ingredient.manifest.validated', 'signingCredential.trusted']);
    expect(r.chain.map((s) => s.role)).toEqual(['creation', 'edit']);
    expect(r.chain.map((s) => s.signer?.provider_code)).toEqual(['001191000000EXAMPLE01P10000', '001191000000EXAMPLEA2520000']);
    expect(r.chain.every((s) => s.validation_state === 'Trusted')).toBe(true);
  });

  it('an ingredient without a manifest is ingredient.unknownProvenance (informational)', async () => {
    const r = await verify(vfx('unknown-parent.jpg'), { trust: { anchorsPem: roots() } });
    expect(r.validation_results!.ingredientDeltas[0]!.validationDeltas.informational.map((e) => e.code)).toEqual([
      'ingredient.unknownProvenance',
    ]);
    expect(r.validation_state).toBe('Trusted');
  });
});
