/**
 * Step `contentHash`: for the active manifest only and last (as c2pa-rs does), the asset's
 * bytes are checked against the manifest's hard binding: `c2pa.hash.data` over the file
 * minus its exclusions (`assertion.dataHash.*`), `c2pa.hash.bmff` v1/v2/v3 over the
 * top-level boxes, with Merkle trees and separate fragments (`assertion.bmffHash.*`), and
 * `c2pa.hash.boxes` over the format's boxes (`assertion.boxesHash.*`). An update manifest
 * has no hard binding and, as in c2pa-rs, no content check.
 */
import type { ByteSource } from '../../../binary/byte-source.ts';
import { toHashAlgorithm } from '../../../crypto/digest.ts';
import { hashSourceExcluding, normalizeExclusions, stepsExcluding } from '../../../binding/data-hash.ts';
import { verifyBmffBinding, type BmffAlg } from '../../../binding/bmff-verify.ts';
import { MalformedInputError, ToolkitError } from '../../../errors.ts';
import {
  findAssertion,
  interpretAssertion,
  type ManifestStore,
  bmffHashVersion,
  withoutInstance,
  BMFF_HASH_LABEL,
  BMFF_HASH_V1_LABEL,
  BMFF_HASH_V2_LABEL,
  DATA_HASH_LABEL,
} from '../../../manifest/index.ts';
import { bytesEqual } from '../../../binary/bytes.ts';
import type { KnownAssertion } from '../../../manifest/index.ts';
import type { HashStep } from '../../../binding/hash-steps.ts';
import type { HashAlgorithm } from '../../../crypto/digest.ts';
import type { ManifestContext, Step } from '../context.ts';
import { urls } from '../uri.ts';
import { bindingsOf } from './hard-binding.ts';
import { checkBoxHash, BOX_HASH_LABEL } from './box-hash.ts';

const BMFF_LABELS = new Set([BMFF_HASH_LABEL, BMFF_HASH_V2_LABEL, BMFF_HASH_V1_LABEL]);

/** Hash the asset for the active manifest's hard binding. */
export const contentHashStep: Step = {
  name: 'contentHash',
  onError: 'general.error',
  ingredients: false,
  async run(ctx: ManifestContext): Promise<void> {
    const src = ctx.asset.src;
    const m = ctx.manifest;
    if (!src || m.type === 'update') return;
    const label = bindingsOf(m)[0];
    if (!label) return;
    const t = ctx.asset.tracker;
    const url = urls.assertion(m, label);
    const base = withoutInstance(label);
    const fragments = ctx.asset.fragments;
    if (base === BOX_HASH_LABEL) {
      await checkBoxHash(ctx, src, label);
      return;
    }
    const data = base === DATA_HASH_LABEL;
    const bmff = BMFF_LABELS.has(base);
    if (!data && !bmff) {
      t.add('general.error', url, `hard binding ${label} is not supported by this verifier`);
      return;
    }
    if (data && fragments?.length) {
      t.add('general.error', url, `fragments were given, but the hard binding is ${label}, not a BMFF hash`);
      return;
    }
    const malformed = data ? 'assertion.dataHash.malformed' : 'assertion.bmffHash.malformed';
    const known: KnownAssertion | undefined = ctx.result.known.get(label);
    if (!known || (known.type !== 'data-hash' && known.type !== 'bmff-hash')) {
      t.add(malformed, url, ctx.result.malformed.get(label) ?? `${label} could not be read`);
      return;
    }
    const algName = known.value.alg ?? m.claim?.alg ?? 'sha256';
    const alg = toHashAlgorithm(algName);
    if (!alg) {
      t.add('algorithm.unsupported', url, `hash algorithm ${algName} of ${label} is not supported`);
      return;
    }
    const name = known.value.name ?? (data ? label : 'unnamed');
    const mismatch = (why: string) =>
      t.add(data ? 'assertion.dataHash.mismatch' : 'assertion.bmffHash.mismatch', url, `asset hash error, name: ${name}, error: ${why}`);
    try {
      if (known.type === 'data-hash') {
        if (!known.value.hash) return void t.add(malformed, url, `${label} has no hash`);
        const expected = known.value.hash;
        const digest = ctx.asset.digestSteps;
        const computed = digest
          ? await digest(src, stepsExcluding(src.size, normalizeExclusions(known.value.exclusions, src.size)), alg, expected)
          : await hashSourceExcluding(src, known.value.exclusions, alg);
        const ok = bytesEqual(computed, expected);
        if (ok) t.add('assertion.dataHash.match', url, 'data hash valid');
        else mismatch('hashes do not match');
        return;
      }
      if (!known.value.hash && !known.value.merkle) return void t.add(malformed, url, `${label} has neither a hash nor Merkle maps`);
      const check = await verifyBmffBinding(src, {
        assertion: known.value,
        version: bmffHashVersion(base),
        alg: alg as BmffAlg,
        ...(fragments?.length ? { fragments: fragments as ByteSource[] } : {}),
        ...(ctx.asset.digestSteps ? { digest: ctx.asset.digestSteps } : {}),
      });
      if (check.ok)
        t.add(
          'assertion.bmffHash.match',
          url,
          fragments?.length
            ? `BMFF hash valid (init segment and ${fragments.length} fragment${fragments.length > 1 ? 's' : ''})`
            : 'BMFF hash valid',
        );
      else if ('unsupported' in check) t.add('general.error', url, `${label}: ${check.reason}`);
      else mismatch(check.reason);
    } catch (err) {
      if (!(err instanceof ToolkitError)) throw err;
      if (err instanceof MalformedInputError && err.format === 'hash exclusions')
        t.add(malformed, url, `asset hash error, name: ${name}, error: ${err.message}`);
      else mismatch(err.message);
    }
  },
};

/**
 * The flat steps and algorithm the content-hash step will ask for on `src`, read from the
 * active manifest's `c2pa.hash.data` binding; undefined when there is none or it is unreadable
 * (the step then reports why). Lets a caller start that hash early (`binding/prefetch-hash.ts`).
 */
export function plannedDataHash(store: ManifestStore, src: ByteSource): { steps: HashStep[]; alg: HashAlgorithm } | undefined {
  const m = store.active;
  if (!m?.claim || m.type === 'update') return undefined;
  const label = bindingsOf(m)[0];
  if (!label || withoutInstance(label) !== DATA_HASH_LABEL) return undefined;
  const stored = findAssertion(m, label);
  if (!stored || stored.error) return undefined;
  try {
    const known = interpretAssertion(stored);
    if (known?.type !== 'data-hash' || !known.value.hash) return undefined;
    const alg = toHashAlgorithm(known.value.alg ?? m.claim.alg ?? 'sha256');
    if (!alg) return undefined;
    return { steps: stepsExcluding(src.size, normalizeExclusions(known.value.exclusions, src.size)), alg };
  } catch {
    return undefined;
  }
}
