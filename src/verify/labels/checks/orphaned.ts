/**
 * Check `orphaned`: a label that claims a producer while the chain has no creation step.
 * When the first step's parent ingredient names a manifest the store lacks, the creation
 * manifest was stripped (`label.orphaned`); when that parent simply has no C2PA
 * provenance, the producer is only `producer.unverified`.
 */
import { findManifest, type ManifestStore } from '../../../manifest/index.ts';
import { ingredientLinks } from '../../engine/ingredient-links.ts';
import type { LabelCheck } from '../label-check.ts';

/** The label of the manifest `label`'s parentOf ingredient names when the store lacks it. */
function strippedParent(store: ManifestStore, label: string): string | undefined {
  const m = findManifest(store, label);
  if (!m) return undefined;
  return ingredientLinks(store, m).find((l) => l.ingredient?.relationship === 'parentOf' && l.targetLabel && !l.target)?.targetLabel;
}

/** A producer claimed without a creation manifest. */
export const orphanedCheck: LabelCheck = {
  name: 'orphaned',
  run({ file, signed, chain, creation, hasStore, context }, add) {
    const producer = signed?.fields.ContentProducer || file?.fields.ContentProducer;
    if (!hasStore || chain.length === 0 || creation || !producer) return;
    const first = chain[0]!;
    const missing = context?.store ? strippedParent(context.store, first.manifest) : undefined;
    if (!context?.store || missing) {
      add(
        'gb45438.label.orphaned',
        first.manifest,
        `the label names producer ${producer} but the chain has no creation manifest${missing ? ` (${missing}, the parent of ${first.manifest}, was stripped from the store)` : ''}`,
      );
    } else {
      add(
        'gb45438.producer.unverified',
        first.manifest,
        `the label names producer ${producer} but the chain starts at a ${first.role} step whose parent has no C2PA provenance: no creation manifest vouches for it`,
      );
    }
  },
};
