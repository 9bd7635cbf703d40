/**
 * Assertion registry: maps a stored assertion to its typed reader by label.
 */
import { MalformedInputError, said } from '../../errors.ts';
import type { JumbfSuperbox } from '../jumbf/types.ts';
import { ACTIONS_LABEL, ACTIONS_V1_LABEL, readActions, type ActionsAssertion } from './actions.ts';
import { BMFF_HASH_LABEL, BMFF_HASH_V1_LABEL, BMFF_HASH_V2_LABEL, readBmffHash, type BmffHashAssertion } from './bmff-hash.ts';
import { BOX_HASH_LABEL, readBoxHash, type BoxHashAssertion } from './box-hash.ts';
import { DATA_HASH_LABEL, readDataHash, type DataHashAssertion } from './data-hash.ts';
import { isThumbnailLabel, readEmbeddedFile, type EmbeddedFile } from './embedded-file.ts';
import { GB45438_ASSERTION_LABEL, readGb45438Assertion, type Gb45438Assertion } from './gb45438.ts';
import { INGREDIENT_LABELS, readIngredient, type Ingredient } from './ingredient.ts';
import { withoutInstance } from './labels.ts';
import { readSoftBinding, SOFT_BINDING_LABEL, type SoftBinding } from '../../watermark/soft-binding.ts';

/** A typed view of a known assertion. */
export type KnownAssertion =
  | { readonly type: 'actions'; readonly value: ActionsAssertion }
  | { readonly type: 'data-hash'; readonly value: DataHashAssertion }
  | { readonly type: 'bmff-hash'; readonly value: BmffHashAssertion }
  | { readonly type: 'box-hash'; readonly value: BoxHashAssertion }
  | { readonly type: 'ingredient'; readonly value: Ingredient }
  | { readonly type: 'thumbnail'; readonly value: EmbeddedFile }
  | { readonly type: 'gb45438'; readonly value: Gb45438Assertion }
  | { readonly type: 'soft-binding'; readonly value: SoftBinding };

/** What the registry needs from a stored assertion. */
export interface AssertionLike {
  readonly label: string;
  readonly kind: 'cbor' | 'json' | 'embedded-file' | 'other';
  readonly data?: unknown;
  readonly box: JumbfSuperbox;
}

type Reader = (a: AssertionLike) => KnownAssertion;

const BY_LABEL: Readonly<Record<string, Reader>> = {
  [ACTIONS_LABEL]: (a) => ({ type: 'actions', value: readActions(a.data, 2) }),
  [ACTIONS_V1_LABEL]: (a) => ({ type: 'actions', value: readActions(a.data, 1) }),
  [DATA_HASH_LABEL]: (a) => ({ type: 'data-hash', value: readDataHash(a.data) }),
  [BMFF_HASH_LABEL]: (a) => ({ type: 'bmff-hash', value: readBmffHash(a.data) }),
  [BMFF_HASH_V2_LABEL]: (a) => ({ type: 'bmff-hash', value: readBmffHash(a.data) }),
  [BMFF_HASH_V1_LABEL]: (a) => ({ type: 'bmff-hash', value: readBmffHash(a.data) }),
  [BOX_HASH_LABEL]: (a) => ({ type: 'box-hash', value: readBoxHash(a.data) }),
  [GB45438_ASSERTION_LABEL]: (a) => ({ type: 'gb45438', value: readGb45438Assertion(a.data) }),
  [SOFT_BINDING_LABEL]: (a) => ({ type: 'soft-binding', value: readSoftBinding(a.data) }),
  ...Object.fromEntries(
    Object.entries(INGREDIENT_LABELS).map(([l, v]) => [
      l,
      (a: AssertionLike): KnownAssertion => ({ type: 'ingredient', value: readIngredient(a.data, v) }),
    ]),
  ),
};

/** Labels (without `__N`) the registry understands, besides thumbnails. */
export const KNOWN_ASSERTION_LABELS: readonly string[] = Object.keys(BY_LABEL);

/**
 * Interpret an assertion by label (instance suffixes ignored). Returns undefined for labels
 * we do not know.
 * @throws {MalformedInputError} when a known assertion's content does not have its shape
 * (or it failed to decode).
 */
export function interpretAssertion(a: AssertionLike): KnownAssertion | undefined {
  const label = withoutInstance(a.label);
  if (isThumbnailLabel(label)) {
    if (a.kind !== 'embedded-file') return undefined;
    return { type: 'thumbnail', value: readEmbeddedFile(a.box) };
  }
  const reader = BY_LABEL[label];
  if (!reader) return undefined;
  if (a.data === undefined)
    throw new MalformedInputError(label, said('err.c2pa.assertionContentCouldNot', 'assertion content could not be decoded'));
  return reader(a);
}
