/**
 * Ingredients (C2PA 2.2 §18.15; profile §2.2): `c2pa.ingredient.v3` written; v1
 * (`c2pa.ingredient`), v2 and v3 read and normalised.
 */
import { InvalidArgumentError, MalformedInputError, said } from '../../errors.ts';
import { isCborMap } from '../cbor.ts';
import { readHashedUri, type HashedUri } from '../hashed-uri.ts';

/** Label we write. */
export const INGREDIENT_LABEL = 'c2pa.ingredient.v3';
/** Every ingredient label version we read, by version. */
export const INGREDIENT_LABELS: Readonly<Record<string, 1 | 2 | 3>> = {
  'c2pa.ingredient': 1,
  'c2pa.ingredient.v2': 2,
  'c2pa.ingredient.v3': 3,
};

/** How the ingredient relates to the asset. */
export type Relationship = 'parentOf' | 'componentOf' | 'inputTo';
const RELATIONSHIPS: readonly string[] = ['parentOf', 'componentOf', 'inputTo'];

/** One validation status entry, as in reports. */
export interface StatusEntry {
  readonly code: string;
  readonly url?: string;
  readonly explanation?: string;
}

/** Success/informational/failure lists. */
export interface StatusLists {
  readonly success: StatusEntry[];
  readonly informational: StatusEntry[];
  readonly failure: StatusEntry[];
}

/** `validationResults` of a v3 ingredient. */
export interface ValidationResults {
  readonly activeManifest?: StatusLists;
  readonly ingredientDeltas?: { readonly ingredientAssertionURI: string; readonly validationDeltas: StatusLists }[];
}

/** Input for {@link buildIngredientV3}. */
export interface IngredientInput {
  readonly relationship: Relationship;
  readonly title?: string;
  readonly format?: string;
  readonly instanceID?: string;
  /** Hashed URI to the ingredient's active manifest (`self#jumbf=/c2pa/<urn>`). */
  readonly activeManifest?: HashedUri;
  /** Hashed URI to its claim signature. */
  readonly claimSignature?: HashedUri;
  /** Required with `activeManifest`. */
  readonly validationResults?: ValidationResults;
  readonly thumbnail?: HashedUri;
  readonly description?: string;
}

const uri = (u: HashedUri | undefined) =>
  u === undefined ? undefined : u.alg ? { url: u.url, hash: u.hash, alg: u.alg } : { url: u.url, hash: u.hash };
const lists = (l: StatusLists) => ({
  success: l.success.map(entry),
  informational: l.informational.map(entry),
  failure: l.failure.map(entry),
});
const entry = (e: StatusEntry) => ({ code: e.code, url: e.url, explanation: e.explanation });

/**
 * Build `c2pa.ingredient.v3` data.
 * @throws {InvalidArgumentError} for a bad relationship, or `activeManifest` without
 * `validationResults`/`claimSignature`.
 */
export function buildIngredientV3(input: IngredientInput): Record<string, unknown> {
  if (!RELATIONSHIPS.includes(input.relationship))
    throw InvalidArgumentError.expected('parentOf, componentOf or inputTo', 'ingredient.relationship', input.relationship);
  if (input.activeManifest && (!input.validationResults || !input.claimSignature)) {
    throw new InvalidArgumentError(
      said(
        'err.c2pa.expectedValidationResultsClaimSignatureIngredient',
        'Expected validationResults and claimSignature for an ingredient with activeManifest but received none',
      ),
    );
  }
  const vr = input.validationResults;
  return {
    'dc:title': input.title,
    'dc:format': input.format,
    relationship: input.relationship,
    instanceID: input.instanceID,
    activeManifest: uri(input.activeManifest),
    claimSignature: uri(input.claimSignature),
    validationResults: vr && {
      activeManifest: vr.activeManifest && lists(vr.activeManifest),
      ingredientDeltas: vr.ingredientDeltas?.map((d) => ({
        ingredientAssertionURI: d.ingredientAssertionURI,
        validationDeltas: lists(d.validationDeltas),
      })),
    },
    thumbnail: uri(input.thumbnail),
    description: input.description,
  };
}

/** An ingredient normalised across versions. */
export interface Ingredient {
  readonly version: 1 | 2 | 3;
  readonly relationship: string;
  readonly title?: string;
  readonly format?: string;
  readonly instanceID?: string;
  readonly documentID?: string;
  /** v3 `activeManifest`, v1/v2 `c2pa_manifest`. */
  readonly activeManifest?: HashedUri;
  readonly claimSignature?: HashedUri;
  readonly validationResults?: ValidationResults;
  /** v1/v2 `validationStatus` list. */
  readonly validationStatus?: StatusEntry[];
  readonly thumbnail?: HashedUri;
  readonly data: Record<string, unknown>;
}

function readEntries(v: unknown): StatusEntry[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter(isCborMap)
    .filter((e) => typeof e.code === 'string')
    .map((e) => ({
      code: e.code as string,
      url: typeof e.url === 'string' ? e.url : undefined,
      explanation: typeof e.explanation === 'string' ? e.explanation : undefined,
    }));
}

function readLists(v: unknown): StatusLists | undefined {
  if (!isCborMap(v)) return undefined;
  return { success: readEntries(v.success), informational: readEntries(v.informational), failure: readEntries(v.failure) };
}

/**
 * Read an ingredient of the given version (see {@link INGREDIENT_LABELS}).
 * @throws {MalformedInputError} when it is not a map or a hashed URI is malformed.
 */
export function readIngredient(data: unknown, version: 1 | 2 | 3): Ingredient {
  if (!isCborMap(data)) throw new MalformedInputError('c2pa.ingredient', said('err.c2pa.notMap', 'not a map'));
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const opt = (k: string): HashedUri | undefined => {
    if (data[k] === undefined || data[k] === null) return undefined;
    try {
      return readHashedUri(data[k], k);
    } catch (err) {
      throw new MalformedInputError('c2pa.ingredient', said('err.c2pa.notHashedURI', '{k} is not a hashed URI', { k }), undefined, {
        cause: err,
      });
    }
  };
  const vr = isCborMap(data.validationResults) ? data.validationResults : undefined;
  return {
    version,
    relationship: str('relationship') ?? 'componentOf',
    title: str('dc:title'),
    format: str('dc:format'),
    instanceID: str('instanceID'),
    documentID: str('documentID'),
    activeManifest: version === 3 ? opt('activeManifest') : opt('c2pa_manifest'),
    claimSignature: version === 3 ? opt('claimSignature') : undefined,
    validationResults: vr && {
      activeManifest: readLists(vr.activeManifest),
      ingredientDeltas: Array.isArray(vr.ingredientDeltas)
        ? vr.ingredientDeltas.filter(isCborMap).map((d) => ({
            ingredientAssertionURI: typeof d.ingredientAssertionURI === 'string' ? d.ingredientAssertionURI : '',
            validationDeltas: readLists(d.validationDeltas) ?? { success: [], informational: [], failure: [] },
          }))
        : undefined,
    },
    validationStatus: data.validationStatus === undefined ? undefined : readEntries(data.validationStatus),
    thumbnail: opt('thumbnail'),
    data,
  };
}
