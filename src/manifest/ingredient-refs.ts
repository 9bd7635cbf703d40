/**
 * References from a new manifest to an ingredient's manifest store (profile §2.2): hashed
 * URIs to its active manifest and claim signature. The builder copies the ingredient's
 * manifests byte for byte, so hashes computed here stay valid in the new store.
 */
import { InvalidArgumentError } from '../errors.ts';
import { makeHashedUri, manifestUri, signatureUri, type HashedUri } from './hashed-uri.ts';
import type { ManifestStore } from './store.ts';

/** Hashed URIs to an ingredient store's active manifest. */
export interface IngredientRefs {
  /** Label of the referenced manifest. */
  readonly manifestLabel: string;
  /** `self#jumbf=/c2pa/<label>`, hash of the manifest superbox payload. */
  readonly activeManifest: HashedUri;
  /** `self#jumbf=/c2pa/<label>/c2pa.signature`, hash of the signature superbox payload. */
  readonly claimSignature: HashedUri;
}

/**
 * Hashed URIs to the active manifest of `store` (or the manifest labelled `label`).
 * @throws {InvalidArgumentError} when the store has no such manifest or it has no signature.
 */
export function ingredientRefs(store: ManifestStore, label?: string): IngredientRefs {
  const m = label === undefined ? store.active : store.manifests.find((x) => x.label === label);
  if (!m) throw InvalidArgumentError.expected('a store with that manifest', 'ingredient store', label ?? 'no active manifest');
  if (!m.signature) throw InvalidArgumentError.expected('a signed manifest', 'ingredient manifest', m.label);
  return {
    manifestLabel: m.label,
    activeManifest: makeHashedUri(manifestUri(m.label), m.box),
    claimSignature: makeHashedUri(signatureUri(m.label), m.signature.box),
  };
}
