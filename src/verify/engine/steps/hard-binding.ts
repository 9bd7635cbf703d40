/**
 * Step `hardBindings`: a standard manifest has exactly one hard binding
 * (`claim.hardBindings.missing`, `assertion.multipleHardBindings`); an update manifest has
 * none (`update-manifest.ts` checks that). The content hash itself is `content-hash.ts`.
 */
import { isHardBindingLabel, type Manifest } from '../../../manifest/index.ts';
import type { ManifestContext, Step } from '../context.ts';
import { urls } from '../uri.ts';

/** Labels of the hard-binding assertions of `m`, in stored order. */
export function bindingsOf(m: Manifest): string[] {
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
    if (found.length === 0)
      asset.tracker.add('claim.hardBindings.missing', urls.claim(m), `manifest ${m.label} has no hard binding assertion`);
    for (const extra of found.slice(1))
      asset.tracker.add(
        'assertion.multipleHardBindings',
        urls.assertion(m, extra),
        `manifest ${m.label} has ${found.length} hard bindings`,
      );
  },
};
