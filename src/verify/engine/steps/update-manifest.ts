/**
 * Step `updateManifest`: the rules c2pa-rs applies to an update manifest (`c2um`, C2PA 2.2
 * §10.4): it carries no hard binding (`manifest.update.invalid`) and exactly one ingredient,
 * a `parentOf` one (`manifest.update.wrongParents`). Its content is covered by the parent's
 * hard binding, which, as in c2pa-rs, is not re-checked against the asset.
 */
import type { ManifestContext, Step } from '../context.ts';
import { ingredientLinks } from '../ingredient-links.ts';
import { urls } from '../uri.ts';
import { bindingsOf } from './hard-binding.ts';

/** Update-manifest rules. */
export const updateManifestStep: Step = {
  name: 'updateManifest',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset } = ctx;
    if (m.type !== 'update') return;
    if (bindingsOf(m).length > 0)
      asset.tracker.add('manifest.update.invalid', urls.claim(m), 'update manifests cannot contain data hash assertions');
    const links = ingredientLinks(asset.store, m);
    const parents = links.filter((l) => l.ingredient?.relationship === 'parentOf').length;
    if (!(parents === 1 && links.length === 1))
      asset.tracker.add('manifest.update.wrongParents', urls.claim(m), 'update manifest must have one parent');
  },
};
