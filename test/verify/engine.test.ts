/**
 * The engine's parts: the c2pa-rs state rules, the split of the log into active results
 * and ingredient deltas (with recorded statuses dropped), URL helpers, chain roles, trust
 * options, validation time, and MAX_INGREDIENT_DEPTH at the limit and one past it.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { MAX_INGREDIENT_DEPTH } from '../../src/binary/limits.ts';
import { CertificateError } from '../../src/errors.ts';
import {
  ACTIONS_LABEL,
  buildActions,
  buildIngredientV3,
  INGREDIENT_LABEL,
  ingredientRefs,
  parseManifestStore,
  prepareManifest,
  type AssertionRef,
  type ManifestStore,
} from '../../src/manifest/index.ts';
import { verify } from '../../src/service/verify.ts';
import { roleOf } from '../../src/verify/report/provenance-chain.ts';
import { NO_TRUST } from '../../src/verify/engine/context.ts';
import { computeResults, stateOf } from '../../src/verify/engine/results.ts';
import { status } from '../../src/verify/report/status-codes.ts';
import { StatusTracker, emptyBuckets } from '../../src/verify/engine/tracker.ts';
import { resolveTrust } from '../../src/verify/engine/trust-options.ts';
import { manifestLabelOf, toAbsolute } from '../../src/verify/engine/uri.ts';
import { signerFor } from '../manifest/helpers/pki.ts';
import { gen } from '../helpers.ts';
import { roots, vfx } from './helpers.ts';

const b = (success: string[], failure: string[] = []) => ({
  success: success.map((c) => status(c as never)),
  informational: [],
  failure: failure.map((c) => status(c as never)),
});

describe('validation state (c2pa-rs rules)', () => {
  const ok = ['claimSignature.validated', 'claimSignature.insideValidity'];
  it('Trusted needs signingCredential.trusted and no failure anywhere', () => {
    expect(stateOf(b([...ok, 'signingCredential.trusted']), [])).toBe('Trusted');
    expect(stateOf(b([...ok, 'signingCredential.trusted']), [b([], ['signingCredential.untrusted'])])).toBe('Valid');
  });
  it('Valid tolerates signingCredential.untrusted only', () => {
    expect(stateOf(b(ok, ['signingCredential.untrusted']), [])).toBe('Valid');
    expect(stateOf(b(ok, ['signingCredential.untrusted', 'assertion.dataHash.mismatch']), [])).toBe('Invalid');
    expect(stateOf(b([...ok, 'signingCredential.trusted']), [b([], ['ingredient.manifest.mismatch'])])).toBe('Invalid');
  });
  it('without claimSignature.validated and insideValidity it is Invalid', () => {
    expect(stateOf(b(['claimSignature.validated', 'signingCredential.trusted']), [])).toBe('Invalid');
    expect(stateOf(emptyBuckets(), [])).toBe('Invalid');
  });
});

describe('active results and ingredient deltas', () => {
  it('splits by scope and drops statuses an ingredient assertion recorded, except for the active manifest', async () => {
    const r = await verify(vfx('chain-2.jpg'), { trust: { anchorsPem: roots() } });
    const active = r.active_manifest!;
    const parent = r.chain[0]!.manifest;
    const store = parseManifestStore(await storeOf(vfx('chain-2.jpg')));
    const t = new StatusTracker();
    t.add('claimSignature.validated', `self#jumbf=/c2pa/${active}/c2pa.signature`);
    t.pushScope('scope-1');
    t.add('claimSignature.validated', `self#jumbf=/c2pa/${parent}/c2pa.signature`); // recorded by the ingredient: dropped
    t.add('signingCredential.trusted', `self#jumbf=/c2pa/${parent}/c2pa.signature`); // not recorded: a delta
    t.add('claimSignature.validated', `self#jumbf=/c2pa/${active}/c2pa.signature`); // active url: kept
    t.popScope();
    const c = computeResults(store, active, t.logged);
    expect(c.results.activeManifest.success.map((e) => e.code)).toEqual(['claimSignature.validated']);
    expect(c.results.ingredientDeltas).toEqual([
      {
        ingredientAssertionURI: 'scope-1',
        validationDeltas: { success: [t.logged[2]!.entry, t.logged[3]!.entry], informational: [], failure: [] },
      },
    ]);
  });
});

async function storeOf(file: string): Promise<Uint8Array> {
  const { jpegHandler } = await import('../../src/formats/jpeg.ts');
  const { BufferSource } = await import('../../src/binary/byte-source.ts');
  return (await jpegHandler.readManifest(new BufferSource(readFileSync(file))))!;
}

describe('helpers', () => {
  it('makes relative JUMBF URLs absolute and finds their manifest', () => {
    expect(toAbsolute('self#jumbf=c2pa.assertions/c2pa.actions.v2', 'urn:c2pa:x')).toBe(
      'self#jumbf=/c2pa/urn:c2pa:x/c2pa.assertions/c2pa.actions.v2',
    );
    expect(toAbsolute('self#jumbf=/c2pa/urn:c2pa:y/c2pa.signature', 'urn:c2pa:x')).toBe('self#jumbf=/c2pa/urn:c2pa:y/c2pa.signature');
    expect(manifestLabelOf('self#jumbf=/c2pa/urn:c2pa:y/c2pa.signature')).toBe('urn:c2pa:y');
    expect(manifestLabelOf('urn:c2pa:z')).toBe('urn:c2pa:z');
    expect(manifestLabelOf('XMP (APP1)')).toBeUndefined();
  });
  it('gives chain roles from actions', () => {
    expect(roleOf(['c2pa.created'])).toBe('creation');
    expect(roleOf(['c2pa.opened', 'c2pa.published'])).toBe('propagation');
    expect(roleOf(['c2pa.opened', 'c2pa.transcoded', 'c2pa.edited.metadata'])).toBe('propagation');
    expect(roleOf(['c2pa.opened', 'c2pa.edited'])).toBe('edit');
    expect(roleOf(['c2pa.opened'])).toBe('edit');
    expect(roleOf([])).toBe('unknown');
  });
});

describe('trust options', () => {
  it('none means the bundled lists, defaultTrust false and no anchors means no trust; PEM is parsed once', () => {
    expect(resolveTrust(undefined).lists.map((l) => l.id)).toEqual(['c2pa', 'tsa']);
    expect(resolveTrust({ defaultTrust: false })).toMatchObject({ anchors: NO_TRUST.anchors, tsaAnchors: [], lists: [] });
    const pem = roots();
    const a = resolveTrust({ anchorsPem: pem, defaultTrust: false });
    expect(a.anchors).toHaveLength(2);
    expect(resolveTrust({ anchorsPem: pem, defaultTrust: false })).toBe(a);
    expect(resolveTrust({ anchorsPem: [pem], defaultTrust: false }).anchors).toHaveLength(2);
    expect(resolveTrust({ anchorsPem: pem }).anchors).toHaveLength(32);
  });
  it('corrupt PEM is a CertificateError', () => {
    expect(() => resolveTrust({ anchorsPem: '-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n' })).toThrow(CertificateError);
  });
});

describe('validation time', () => {
  it('certificates are judged at `at`: after the leaf expired it is signingCredential.expired (insideValidity, as c2pa-rs)', async () => {
    const trust = { anchorsPem: roots() };
    const inside = await verify(vfx('sdk-es256.jpg'), { trust, at: new Date('2030-01-01T00:00:00Z') });
    expect(inside.validation_state).toBe('Trusted');
    const after = await verify(vfx('sdk-es256.jpg'), { trust, at: new Date('2040-01-01T00:00:00Z') });
    expect(after.validation_state).toBe('Invalid');
    expect(after.validation_status.map((e) => e.code)).toEqual(['signingCredential.expired']);
    expect(after.validation_results!.activeManifest.success.map((e) => e.code)).toContain('claimSignature.insideValidity');
    expect(after.validation_results!.activeManifest.success.map((e) => e.code)).toContain('signingCredential.trusted');
  });
});

describe('inputs', () => {
  it('bytes give the same verdict as the path; a lying extension is a warning', async () => {
    const trust = { anchorsPem: roots() };
    const bytes = await verify(new Uint8Array(readFileSync(vfx('sdk-es256.png'))), { trust });
    expect(bytes.validation_state).toBe('Trusted');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verify-ext-'));
    const liar = path.join(dir, 'photo.jpg');
    copyFileSync(vfx('sdk-es256.png'), liar);
    const r = await verify(liar, { trust });
    expect(r.validation_state).toBe('Trusted');
    expect(r.format.id).toBe('png');
    expect(r.warnings.join('\n')).toContain('does not match its content');
  });
  it('a bare manifest store (.c2pa) is validated without its content binding, and never Trusted (issue #12 §6)', async () => {
    const r = await verify(await storeOf(vfx('chain-2.jpg')), { trust: { anchorsPem: roots() } });
    expect(r.format.id).toBe('c2pa');
    expect(r.c2pa_validation_state).toBe('Trusted');
    expect(r.validation_state).toBe('Invalid');
    expect(r.labels.status.filter((e) => e.code.startsWith('chain.binding')).map((e) => e.code)).toEqual(['chain.binding.unchecked']);
    expect(r.validation_results!.activeManifest.success.map((e) => e.code)).not.toContain('assertion.dataHash.match');
    expect(r.warnings[0]).toContain('content binding');
  });
});

/** A chain of `n` manifests made by our builder, each the parentOf ingredient of the next (bare stores). */
async function builderChain(n: number): Promise<ManifestStore[]> {
  const signer = signerFor('es256', 'ES256');
  const stores: ManifestStore[] = [];
  for (let i = 0; i < n; i++) {
    const parent = stores[i - 1];
    const assertions = parent
      ? (() => {
          const refs = ingredientRefs(parent);
          return [
            {
              label: ACTIONS_LABEL,
              data: (ref: AssertionRef) => buildActions([{ action: 'c2pa.opened', parameters: { ingredients: [ref(INGREDIENT_LABEL)] } }]),
            },
            {
              label: INGREDIENT_LABEL,
              data: buildIngredientV3({
                relationship: 'parentOf',
                title: `level ${i - 1}`,
                activeManifest: refs.activeManifest,
                claimSignature: refs.claimSignature,
                validationResults: { activeManifest: { success: [], informational: [], failure: [] } },
              }),
            },
          ];
        })()
      : [{ label: ACTIONS_LABEL, data: buildActions([{ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA }]) }];
    const draft = prepareManifest({
      signer,
      claimGenerator: { name: 'depth-test' },
      assertions,
      hardBinding: 'data',
      ...(parent ? { ingredientStores: [parent] } : {}),
    });
    stores.push(parseManifestStore(await draft.finalize({ exclusions: [], hash: new Uint8Array(32) })));
  }
  return stores;
}

describe('MAX_INGREDIENT_DEPTH', () => {
  it('validates a chain exactly MAX_INGREDIENT_DEPTH deep and refuses one level more', async () => {
    const stores = await builderChain(MAX_INGREDIENT_DEPTH + 2);
    const trust = { anchorsPem: roots() };
    const atLimit = await verify(stores[MAX_INGREDIENT_DEPTH]!.bytes, { trust });
    // Bare stores: never Trusted for content (chain.binding.unchecked), but every C2PA check passes.
    expect(atLimit.c2pa_validation_state).toBe('Trusted');
    expect(atLimit.labels.status.filter((e) => e.code.startsWith('chain.') && e.code !== 'chain.validated').map((e) => e.code)).toEqual([
      'chain.binding.unchecked',
    ]);
    expect(atLimit.chain).toHaveLength(MAX_INGREDIENT_DEPTH + 1);
    expect(atLimit.chain[0]!.role).toBe('creation');
    const past = await verify(stores[MAX_INGREDIENT_DEPTH + 1]!.bytes, { trust });
    expect(past.validation_state).toBe('Invalid');
    expect(past.validation_status.map((e) => e.code)).toEqual(['general.error']);
    expect(past.validation_status[0]!.explanation).toContain('MAX_INGREDIENT_DEPTH');
  });
});

describe('certificate cache', () => {
  it('reuses a chain verdict inside the validity window and recomputes outside it', async () => {
    const { cachedChain } = await import('../../src/verify/engine/cert-cache.ts');
    const { pemToDers } = await import('../manifest/helpers/pki.ts');
    const chainDer = pemToDers(readFileSync(gen('pki', 'es256', 'chain.pem'), 'utf8'));
    const trust = resolveTrust({ anchorsPem: roots() });
    const a = cachedChain(chainDer, { trust, at: new Date('2030-01-01T00:00:00Z') });
    expect(a.code).toBe('signingCredential.trusted');
    expect(cachedChain(chainDer, { trust, at: new Date('2031-01-01T00:00:00Z') })).toBe(a);
    expect(cachedChain(chainDer, { trust, at: new Date('2036-01-01T00:00:00Z') }).code).toBe('signingCredential.expired');
    expect(cachedChain(chainDer, { trust: NO_TRUST, at: new Date('2030-01-01T00:00:00Z') }).code).toBe('signingCredential.untrusted');
  });
});

describe('step orchestration', () => {
  it('a step that throws a ToolkitError is logged as its code and the next steps still run', async () => {
    const { validateManifest } = await import('../../src/verify/engine/validate-manifest.ts');
    const { MalformedInputError } = await import('../../src/errors.ts');
    const store = parseManifestStore(await storeOf(vfx('chain-2.jpg')));
    const tracker = new StatusTracker();
    const ctx = {
      store,
      trust: resolveTrust({ anchorsPem: roots() }),
      now: new Date(),
      tracker,
      results: new Map(),
      visited: new Set<string>(),
      warnings: [],
      validateIngredient: async () => {
        throw new MalformedInputError('test', 'boom');
      },
    };
    await validateManifest(ctx, store.active!, 0);
    const codes = tracker.logged.map((i) => i.entry.code);
    const err = tracker.logged.find((i) => i.entry.code === 'general.error')!;
    expect(err.entry.explanation).toBe('ingredients: test: boom');
    expect(codes).toContain('claimSignature.validated');
    expect(codes.at(-1)).toBe('general.error'); // no asset given: the content hash step had nothing to hash
  });
});
