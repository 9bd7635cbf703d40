/**
 * The provenance chain (issue #6 §3): from the active manifest back through `parentOf`
 * ingredients to the first manifest, reported creation first. Each step gets a role from
 * its actions, its signer, time, actions, the GB 45438 fields it signed and its own state.
 */
import { MAX_INGREDIENT_DEPTH } from '../../binary/limits.ts';
import type { Manifest, ManifestStore } from '../../manifest/index.ts';
import type { AssetContext } from '../engine/context.ts';
import { parentManifest } from '../engine/ingredient-links.ts';
import type { ChainStep } from './report.ts';
import { manifestState } from '../engine/results.ts';
import { signatureInfoOf } from './signer-info.ts';
import { actionsOf, gb45438Of } from './summaries.ts';
import { manifestLabelOf } from '../engine/uri.ts';
import type { Gb45438Label } from '../../labels/implicit/types.ts';

/** Actions that change nothing editorially (C2PA 2.2 §18.14.9), plus metadata-only edits. */
export const PROPAGATION_ACTIONS: ReadonlySet<string> = new Set([
  'c2pa.published',
  'c2pa.transcoded',
  'c2pa.repackaged',
  'c2pa.resized',
  'c2pa.edited.metadata',
]);

/** The role of a manifest from its action names. */
export function roleOf(actions: readonly string[]): ChainStep['role'] {
  if (actions.length === 0) return 'unknown';
  if (actions.includes('c2pa.created')) return 'creation';
  const rest = actions.filter((a) => a !== 'c2pa.opened');
  if (actions.includes('c2pa.opened') && rest.length > 0 && rest.every((a) => PROPAGATION_ACTIONS.has(a))) return 'propagation';
  return 'edit';
}

/** The manifests from the active one back to the first, following parentOf (active first). */
export function lineage(store: ManifestStore, active: Manifest): Manifest[] {
  const out: Manifest[] = [];
  const seen = new Set<string>();
  let m: Manifest | undefined = active;
  while (m && !seen.has(m.label) && out.length <= MAX_INGREDIENT_DEPTH) {
    seen.add(m.label);
    out.push(m);
    m = parentManifest(store, m);
  }
  return out;
}

/** Build the chain, creation first. */
export function buildChain(asset: AssetContext, active: Manifest): ChainStep[] {
  const byManifest = new Map<string, (typeof asset.tracker.logged)[number][]>();
  for (const item of asset.tracker.logged) {
    const label = manifestLabelOf(item.entry.url);
    if (!label) continue;
    const list = byManifest.get(label) ?? [];
    list.push(item);
    byManifest.set(label, list);
  }
  return lineage(asset.store, active)
    .reverse()
    .map((m, index): ChainStep => {
      const result = asset.results.get(m.label);
      const actions = actionsOf(m, result);
      const names = actions.map((a) => a.action);
      const items = byManifest.get(m.label) ?? [];
      const signer = signatureInfoOf(m, result);
      const step: ChainStep = {
        index,
        manifest: m.label,
        role: roleOf(names),
        actions: names,
        validation_state: result ? manifestState(items) : 'Invalid',
        failures: items.filter((i) => i.kind === 'failure').map((i) => i.entry),
      };
      if (signer) step.signer = signer;
      const time = signer?.time ?? actions.find((a) => a.when)?.when;
      if (time) step.time = time;
      const dst = actions.find((a) => a.digitalSourceType)?.digitalSourceType;
      if (dst) step.digital_source_type = dst;
      const gb = gb45438Of(m, result);
      if (gb) {
        const { explicit: _explicit, ...fields } = gb;
        step.label_fields = fields as Partial<Gb45438Label>;
      }
      return step;
    });
}
