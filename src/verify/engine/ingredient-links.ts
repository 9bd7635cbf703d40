/**
 * How manifests of a store point at each other: every ingredient assertion of a manifest,
 * read as v1/v2/v3, with the manifest its `activeManifest` (`c2pa_manifest`) URL names.
 */
import {
  INGREDIENT_LABELS,
  findManifest,
  readIngredient,
  withoutInstance,
  type Ingredient,
  type Manifest,
  type ManifestStore,
  type StoredAssertion,
} from '../../manifest/index.ts';
import { manifestLabelOf, toAbsolute } from './uri.ts';

/** One ingredient assertion of a manifest. */
export interface IngredientLink {
  readonly assertion: StoredAssertion;
  /** The decoded ingredient, or the reason it could not be read. */
  readonly ingredient?: Ingredient;
  readonly error?: string;
  /** Label of the manifest its manifest reference names (absent without a reference). */
  readonly targetLabel?: string;
  /** That manifest, when the store has it. */
  readonly target?: Manifest;
}

/** Whether an assertion label is an ingredient (any version, any instance). */
export function isIngredientLabel(label: string): boolean {
  return withoutInstance(label) in INGREDIENT_LABELS;
}

/** The ingredient assertions of `m`, in stored order. */
export function ingredientLinks(store: ManifestStore, m: Manifest): IngredientLink[] {
  const out: IngredientLink[] = [];
  for (const a of m.assertions) {
    const version = INGREDIENT_LABELS[withoutInstance(a.label)];
    if (!version) continue;
    if (a.data === undefined) {
      out.push({ assertion: a, error: a.error?.message ?? 'ingredient content could not be decoded' });
      continue;
    }
    let ingredient: Ingredient;
    try {
      ingredient = readIngredient(a.data, version);
    } catch (err) {
      out.push({ assertion: a, error: (err as Error).message });
      continue;
    }
    const ref = ingredient.activeManifest;
    const targetLabel = ref ? (manifestLabelOf(toAbsolute(ref.url, m.label)) ?? undefined) : undefined;
    const target = targetLabel ? findManifest(store, targetLabel) : undefined;
    out.push({ assertion: a, ingredient, ...(targetLabel ? { targetLabel } : {}), ...(target ? { target } : {}) });
  }
  return out;
}

/** The manifest of `m`'s first `parentOf` ingredient, when the store has it. */
export function parentManifest(store: ManifestStore, m: Manifest): Manifest | undefined {
  return ingredientLinks(store, m).find((l) => l.ingredient?.relationship === 'parentOf' && l.target)?.target;
}
