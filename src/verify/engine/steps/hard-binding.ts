/**
 * Steps `hardBindings` and `contentHash`. A standard manifest has exactly one hard binding
 * (`claim.hardBindings.missing`, `assertion.multipleHardBindings`); an update manifest has
 * none and borrows its parent's. Then, for the active manifest only and last (as c2pa-rs
 * does), the asset's bytes are hashed: `c2pa.hash.data` over the file minus its exclusions,
 * `c2pa.hash.bmff.v3` over the top-level boxes (`assertion.dataHash.*` / `assertion.bmffHash.*`).
 */
import { toHashAlgorithm } from '../../../crypto/digest.ts';
import { hashSourceExcluding } from '../../../binding/data-hash.ts';
import { bmffHashOfSource } from '../../../binding/bmff-hash.ts';
import { MalformedInputError, ToolkitError } from '../../../errors.ts';
import { isHardBindingLabel, withoutInstance, BMFF_HASH_LABEL, DATA_HASH_LABEL, type Manifest } from '../../../manifest/index.ts';
import type { ManifestContext, ManifestResult, Step } from '../context.ts';
import { urls } from '../uri.ts';
import { parentManifest } from '../ingredient-links.ts';
import { bytesEqual } from '../../../binary/bytes.ts';

function bindingsOf(m: Manifest): string[] {
  return m.assertions.filter((a) => isHardBindingLabel(a.label)).map((a) => a.label);
}

/** Exactly one hard binding per standard manifest. */
export const hardBindingsStep: Step = {
  name: 'hardBindings',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset } = ctx;
    if (m.type === 'update') return;
    const found = bindingsOf(m);
    if (found.length === 0) asset.tracker.add('claim.hardBindings.missing', urls.claim(m), `manifest ${m.label} has no hard binding assertion`);
    for (const extra of found.slice(1)) asset.tracker.add('assertion.multipleHardBindings', urls.assertion(m, extra), `manifest ${m.label} has ${found.length} hard bindings`);
  },
};

/** The manifest whose hard binding covers the asset: the active one, or up the parentOf chain for update manifests. */
function bindingManifest(ctx: ManifestContext): Manifest | undefined {
  let m: Manifest | undefined = ctx.manifest;
  const seen = new Set<string>();
  while (m && !seen.has(m.label)) {
    seen.add(m.label);
    if (bindingsOf(m).length > 0) return m;
    if (m.type !== 'update') return undefined;
    m = parentManifest(ctx.asset.store, m);
  }
  return undefined;
}

/** Hash the asset for the active manifest's hard binding. */
export const contentHashStep: Step = {
  name: 'contentHash',
  onError: 'general.error',
  ingredients: false,
  async run(ctx: ManifestContext): Promise<void> {
    const src = ctx.asset.src;
    const m = bindingManifest(ctx);
    if (!src || !m) {
      if (!m && ctx.manifest.type === 'update') ctx.asset.tracker.add('claim.hardBindings.missing', urls.claim(ctx.manifest), 'no manifest up the parentOf chain has a hard binding');
      return;
    }
    const label = bindingsOf(m)[0]!;
    const result: ManifestResult = ctx.asset.results.get(m.label) ?? ctx.result;
    const url = urls.assertion(m, label);
    const t = ctx.asset.tracker;
    const base = withoutInstance(label);
    const known = result.known.get(label);
    const data = base === DATA_HASH_LABEL;
    const bmff = base === BMFF_HASH_LABEL;
    if (!data && !bmff) {
      t.add(base === 'c2pa.hash.bmff.v2' || base === 'c2pa.hash.bmff' ? 'algorithm.unsupported' : 'general.error', url, `hard binding ${label} is not supported by this verifier`);
      return;
    }
    const malformed = data ? 'assertion.dataHash.malformed' : 'assertion.bmffHash.malformed';
    if (!known || (known.type !== 'data-hash' && known.type !== 'bmff-hash')) {
      t.add(malformed, url, result.malformed.get(label) ?? `${label} could not be read`);
      return;
    }
    const alg = toHashAlgorithm(known.value.alg ?? m.claim?.alg ?? 'sha256');
    if (!alg) {
      t.add('algorithm.unsupported', url, `hash algorithm ${known.value.alg ?? m.claim?.alg} of ${label} is not supported`);
      return;
    }
    const expected = known.value.hash;
    if (!expected) {
      t.add(malformed, url, `${label} has no flat hash (Merkle-tree hashes are not supported)`);
      return;
    }
    let computed: Uint8Array;
    try {
      computed = known.type === 'data-hash'
        ? await hashSourceExcluding(src, known.value.exclusions, alg)
        : await bmffHashOfSource(src, known.value.exclusions, alg);
    } catch (err) {
      if (!(err instanceof ToolkitError)) throw err;
      t.add(err instanceof MalformedInputError && err.format === 'hash exclusions' ? malformed : data ? 'assertion.dataHash.mismatch' : 'assertion.bmffHash.mismatch', url, `asset hash error, name: ${known.value.name ?? label}, error: ${err.message}`);
      return;
    }
    const ok = bytesEqual(computed, expected);
    if (data) t.add(ok ? 'assertion.dataHash.match' : 'assertion.dataHash.mismatch', url, ok ? 'data hash valid' : `asset hash error, name: ${known.value.name ?? label}, error: hashes do not match`);
    else t.add(ok ? 'assertion.bmffHash.match' : 'assertion.bmffHash.mismatch', url, ok ? 'BMFF hash valid' : `asset hash error, name: ${known.value.name ?? label}, error: hashes do not match`);
  },
};
