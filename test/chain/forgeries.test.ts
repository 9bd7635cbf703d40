/**
 * Issue #6 §4: every forgery of `fixtures/recipes/chain.json` is flagged with its specific
 * code and a verdict that is not Trusted, while the files it was forged from verify Trusted.
 * What is detectable: a label copied onto a file with a manifest (its ProduceID is signed
 * nowhere in that chain, `label.copied`; a key of another producer, `securityData.keyMismatch`).
 * A label copied onto a file without any manifest keeps a valid producer signature (the
 * TC260 structure signs the fields, not the content): only `label.unsigned` and an
 * unverified key show, and there is no verdict to be Trusted.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatInspectTree, inspect } from '../../src/service/inspect.ts';
import { verify } from '../../src/service/verify.ts';
import { isStatusCode, kindOf } from '../../src/verify/report/status-codes.ts';
import { RECIPE, type ChainRecipe } from '../../scripts/fixtures/60-chain.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { sdkFailureCodes } from '../verify/helpers.ts';
import { allCodes, cfx, trust } from './helpers.ts';

const recipe = JSON.parse(readFileSync(RECIPE, 'utf8')) as ChainRecipe;

describe('the files the forgeries start from are Trusted', () => {
  it.each(['stamped.jpg', 'other-stamped.jpg', 'other-producer.jpg', 'platform-a.jpg', 'stamped.mp4', 'platform-a.mp4'])(
    '%s',
    async (file) => {
      const r = await verify(cfx(file), { trust: trust() });
      expect(r.validation_state).toBe('Trusted');
      expect(r.labels.status.filter((e) => kindOf(e.code) === 'failure')).toEqual([]);
    },
  );
});

describe('forgery cases', () => {
  it('the recipe covers each of the five cases', () => {
    expect([...new Set(recipe.forgeries.map((f) => f.case))].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const f of recipe.forgeries) for (const c of f.expect) expect(isStatusCode(c), c).toBe(true);
  });

  it.each(recipe.forgeries.map((f) => [`(${f.case}) ${f.file}: ${f.what}`, f] as const))('%s', async (_name, f) => {
    const r = await verify(cfx(f.file), { trust: trust() });
    expect(allCodes(r)).toEqual(expect.arrayContaining(f.expect));
    if (f.verdict === null) {
      expect(r.validation_state).toBeNull();
    } else {
      expect(r.validation_state).toBe('Invalid');
      // At least one of the expected codes is a failure of its own.
      expect(f.expect.some((c) => isStatusCode(c) && kindOf(c) === 'failure')).toBe(true);
    }
    if (f.c2pa) expect(r.c2pa_validation_state).toBe(f.c2pa);
    if (f.sdk) {
      const sdk = await sdkRead(cfx(f.file), { anchorsPem: trust().anchorsPem });
      expect(sdk!.validation_state).not.toBe('Trusted');
      expect(sdkFailureCodes(sdk)).toEqual(expect.arrayContaining(f.sdk));
    }
  });

  it('(b) a manifest that names another producer is caught by our checks alone: C2PA says Trusted', async () => {
    const r = await verify(cfx('forged-producer-signed.jpg'), { trust: trust() });
    expect(r.validation_status).toEqual([]);
    expect(r.c2pa_validation_state).toBe('Trusted');
    expect(r.validation_state).toBe('Invalid');
  });

  it('(c) the swapped-in manifest is itself validly signed: only the reference hash and the ProduceID betray it', async () => {
    const r = await verify(cfx('forged-ingredient-swapped.jpg'), { trust: trust() });
    expect(r.validation_status.map((e) => e.code)).toEqual(['ingredient.manifest.mismatch']);
    // The mismatch is logged against the manifest the reference names (c2pa-rs's url), so that step shows it.
    expect(r.chain.map((s) => [s.role, s.validation_state])).toEqual([
      ['creation', 'Invalid'],
      ['propagation', 'Trusted'],
    ]);
    expect(r.chain[0]!.failures.map((e) => e.code)).toEqual(['ingredient.manifest.mismatch']);
  });

  it('(e) the reference SDK rejects the store with the stripped manifest outright', async () => {
    const sdk = await sdkRead(cfx('forged-creation-stripped.jpg'), { anchorsPem: trust().anchorsPem }).catch((err: Error) => err);
    if (sdk instanceof Error) expect(sdk.message).toMatch(/JUMBF/);
    else expect(sdk?.validation_state).not.toBe('Trusted');
  });

  it('inspect shows the broken security data', async () => {
    const tree = formatInspectTree(await inspect(cfx('forged-propagation-edited.jpg'), { trust: trust() }));
    expect(tree).toContain('ReservedCode2 (propagator 001191000000EXAMPLEA2520000): INVALID ES256');
    expect(tree).toMatch(/verdict: Invalid/);
    const copied = formatInspectTree(await inspect(cfx('forged-label-copied-other-key.jpg'), { trust: trust() }));
    expect(copied).toContain("KEY NOT TIED to the named signer's certificate");
    expect(copied).toContain('gb45438.label.copied');
  });
});
