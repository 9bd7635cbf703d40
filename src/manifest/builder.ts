/**
 * One-pass manifest building (profile §4 "Sizing"). `prepareManifest` lays out a complete
 * store with a placeholder hard binding and a reserved signature, so its length is known
 * before the asset is written; `finalize` fills in the real binding, keeps every size by
 * adjusting `pad`, signs, and returns exactly `storeLength` bytes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { InvalidArgumentError, SigningError, said } from '../errors.ts';
import type { Signer } from '../crypto/signer.ts';
import { sha256 } from '../crypto/digest.ts';
import { encodeCbor } from './cbor.ts';
import { encodeClaimV2, type ClaimGeneratorInfo } from './claim.ts';
import { assertionUri, signatureUri, type HashedUri } from './hashed-uri.ts';
import { signatureReserve, signClaim } from './cose/sign.ts';
import { DATA_HASH_LABEL, encodeDataHash, type Exclusion, placeholderDataHash } from './assertions/data-hash.ts';
import { BMFF_HASH_LABEL, defaultBmffExclusions, encodeBmffHash, type BmffExclusion } from './assertions/bmff-hash.ts';
import type { MerkleMap } from './assertions/bmff-merkle-map.ts';
import { isHardBindingLabel, isValidAssertionLabel } from './assertions/labels.ts';
import { parseManifestStore, type ManifestStore } from './store.ts';
import {
  boxPayload,
  encodeAssertionBox,
  encodeAssertionStore,
  encodeClaimBox,
  encodeManifestBox,
  encodeSignatureBox,
  encodeStoreBox,
  SALT_LENGTH,
} from './store-writer.ts';
import { bytesEqual } from '../binary/bytes.ts';

/** Hashed URI to another assertion of the manifest being built, by its final label. */
export type AssertionRef = (label: string) => HashedUri;

/** An assertion to put in the new manifest. */
export interface BuilderAssertion {
  readonly label: string;
  /**
   * The content, or a function building it from hashed URIs to other (non-function)
   * assertions of the same manifest — e.g. `c2pa.opened` pointing at its ingredient:
   * `(ref) => buildActions([{ action: 'c2pa.opened', parameters: { ingredients: [ref('c2pa.ingredient.v3')] } }])`.
   */
  readonly data: unknown;
  /** Default `cbor`. */
  readonly kind?: 'cbor' | 'json';
  /** List it in `gathered_assertions` instead of `created_assertions`. */
  readonly gathered?: boolean;
}

/** Options of {@link prepareManifest}. */
export interface PrepareManifestOptions {
  readonly signer: Signer;
  readonly claimGenerator: ClaimGeneratorInfo;
  /** Assertions in order (actions first, as c2pa-rs does); the hard binding is added last. */
  readonly assertions: readonly BuilderAssertion[];
  readonly hardBinding: 'data' | 'bmff';
  /** Stores whose manifests are copied in front of the new one (identical ones once). */
  readonly ingredientStores?: readonly (ManifestStore | Uint8Array)[];
  /** `dc:title` of the claim. */
  readonly title?: string;
  /** Media type of the asset; v2 claims do not carry it, kept on the draft for callers. */
  readonly format?: string;
  /** Default `xmp:iid:<random uuid>`. */
  readonly instanceID?: string;
  /** Default `urn:c2pa:<random uuid>`. */
  readonly manifestLabel?: string;
  /** Most `c2pa.hash.data` exclusions `finalize` may receive (default 1). */
  readonly maxDataExclusions?: number;
  /** `c2pa.hash.bmff.v3` exclusions (default {@link defaultBmffExclusions}). */
  readonly bmffExclusions?: readonly BmffExclusion[];
  /**
   * The Merkle form of `c2pa.hash.bmff.v3` for a fragmented asset (init segment + fragments):
   * the maps with their stored rows; the assertion then has no flat `hash`, and the hash given
   * to `finalize` becomes every map's `initHash` (the init segment's hash).
   */
  readonly bmffMerkle?: readonly MerkleMap[];
  /** Exact COSE size to reserve (default {@link signatureReserve}). */
  readonly signatureSize?: number;
  /** RFC 3161 time-stamper, see `signClaim`; reserve grows by `timestampReserve` (default 10 KB). */
  readonly timestamp?: (data: Uint8Array) => Promise<Uint8Array | undefined>;
  readonly timestampReserve?: number;
  /** Time-stamp header version (see `signClaim`; default 2). */
  readonly timestampVersion?: 1 | 2;
  /** DER OCSP responses to staple in the signature's `rVals` (reserve grows by their size). */
  readonly ocspVals?: readonly Uint8Array[];
  /** Salt source (default 16 random bytes); tests pass a fixed one. */
  readonly salt?: () => Uint8Array;
}

/** Real hard-binding values for {@link ManifestDraft.finalize}. */
export type HardBindingValues =
  | { readonly exclusions: readonly Exclusion[]; readonly hash: Uint8Array }
  | { readonly hash: Uint8Array; readonly exclusions?: readonly BmffExclusion[] };

/** A laid-out manifest store awaiting its hard binding and signature. */
export interface ManifestDraft {
  /** Length of the final store in bytes; fixed from prepare on. */
  readonly storeLength: number;
  readonly manifestLabel: string;
  /** `c2pa.hash.data` or `c2pa.hash.bmff.v3`. */
  readonly hardBindingLabel: string;
  readonly instanceID: string;
  readonly format?: string;
  /** The store with placeholder binding and zero signature (exactly `storeLength` bytes). */
  readonly placeholder: Uint8Array;
  /**
   * Fill in the binding, sign, and return the final store (exactly `storeLength` bytes).
   * @throws {SigningError} when the binding or signature does not fit its reserved size, or signing fails.
   * @throws {InvalidArgumentError} for a malformed binding.
   */
  finalize(binding: HardBindingValues): Promise<Uint8Array>;
}

/** Random bytes drawn in one call and handed out as salts, each slice used once. */
let saltPool = new Uint8Array(0);
let saltAt = 0;
function freshSalt(): Uint8Array {
  if (saltAt + SALT_LENGTH > saltPool.length) {
    saltPool = new Uint8Array(randomBytes(SALT_LENGTH * 256));
    saltAt = 0;
  }
  saltAt += SALT_LENGTH;
  return saltPool.slice(saltAt - SALT_LENGTH, saltAt);
}

interface Entry {
  label: string;
  kind: 'cbor' | 'json';
  content: Uint8Array;
  salt: Uint8Array;
  gathered: boolean;
  /** The encoded box and the SHA-256 of its payload, made once (cleared when `content` changes). */
  box?: Uint8Array | undefined;
  hash?: Uint8Array | undefined;
}

function boxOf(e: Entry): Uint8Array {
  e.box ??= encodeAssertionBox(e.label, e.kind, e.content, e.salt);
  return e.box;
}

function hashOf(e: Entry): Uint8Array {
  e.hash ??= sha256(boxPayload(boxOf(e)));
  return e.hash;
}

function encodeContent(kind: 'cbor' | 'json', data: unknown): Uint8Array {
  return kind === 'json' ? new TextEncoder().encode(JSON.stringify(data)) : encodeCbor(data);
}

/**
 * Lay out a new manifest (and copied ingredient manifests) with a placeholder hard binding.
 * @throws {InvalidArgumentError} for bad labels, a caller-supplied hard binding, unencodable
 * data, or ingredient manifests that share a label but differ.
 * @throws {MalformedInputError} / {@link LimitExceededError} for unreadable ingredient stores.
 */
export function prepareManifest(opts: PrepareManifestOptions): ManifestDraft {
  if (opts.hardBinding !== 'data' && opts.hardBinding !== 'bmff')
    throw InvalidArgumentError.expected('"data" or "bmff"', 'hardBinding', opts.hardBinding);
  const manifestLabel = opts.manifestLabel ?? `urn:c2pa:${randomUUID()}`;
  const instanceID = opts.instanceID ?? `xmp:iid:${randomUUID()}`;
  const salt = opts.salt ?? freshSalt;
  const seen = new Map<string, number>();
  const entries: Entry[] = opts.assertions.map((a, i) => {
    if (!a || typeof a.label !== 'string' || !isValidAssertionLabel(a.label))
      throw InvalidArgumentError.expected('a valid assertion label', `assertions[${i}].label`, a?.label);
    if (isHardBindingLabel(a.label))
      throw new InvalidArgumentError(
        said(
          'err.c2pa.expectedNoHardBinding',
          'Expected no hard-binding assertion for assertions[{i}] but received {label} (the builder adds it)',
          { i, label: a.label },
        ),
      );
    const n = seen.get(a.label) ?? 0;
    seen.set(a.label, n + 1);
    const kind = a.kind ?? 'cbor';
    const content = typeof a.data === 'function' ? new Uint8Array(0) : encodeContent(kind, a.data);
    return { label: n === 0 ? a.label : `${a.label}__${n}`, kind, content, salt: salt(), gathered: a.gathered === true };
  });
  // Second pass: content that refers to other assertions by hashed URI.
  const deferred = new Set(opts.assertions.flatMap((a, i) => (typeof a.data === 'function' ? [i] : [])));
  const ref: AssertionRef = (label) => {
    const i = entries.findIndex((e) => e.label === label);
    if (i < 0 || deferred.has(i)) throw InvalidArgumentError.expected('the label of a plain (non-function) assertion', 'ref(label)', label);
    const e = entries[i];
    return { url: assertionUri(manifestLabel, e.label), hash: hashOf(e) };
  };
  for (const i of deferred)
    entries[i].content = encodeContent(entries[i].kind, (opts.assertions[i].data as (r: AssertionRef) => unknown)(ref));
  const bindingLabel = opts.hardBinding === 'data' ? DATA_HASH_LABEL : BMFF_HASH_LABEL;
  const maxEx = opts.maxDataExclusions ?? 1;
  if (!Number.isInteger(maxEx) || maxEx < 1 || maxEx > 1000)
    throw InvalidArgumentError.expected('an integer 1..1000', 'maxDataExclusions', maxEx);
  const bmffEx = opts.bmffExclusions ?? defaultBmffExclusions();
  const binding: Entry = {
    label: bindingLabel,
    kind: 'cbor',
    content: opts.hardBinding === 'data' ? placeholderDataHash(maxEx) : bmffBinding(bmffEx, new Uint8Array(32), opts.bmffMerkle),
    salt: salt(),
    gathered: false,
  };
  entries.push(binding);
  const bindingSize = binding.content.length;
  const copied = copyIngredientManifests(opts.ingredientStores ?? [], manifestLabel);
  const sigSize =
    opts.signatureSize ??
    signatureReserve(
      opts.signer,
      (opts.timestamp ? (opts.timestampReserve ?? 10_240) : 0) + (opts.ocspVals ?? []).reduce((n, v) => n + v.length + 16, 0),
    );

  // Only the binding's box changes between the placeholder and the final store: every other
  // assertion is encoded and hashed once (boxOf, hashOf).
  const layout = () => {
    const boxes = entries.map(boxOf);
    const uris = entries.map((e): [HashedUri, boolean] => [{ url: assertionUri(manifestLabel, e.label), hash: hashOf(e) }, e.gathered]);
    const claim = encodeClaimV2({
      instanceID,
      claimGeneratorInfo: opts.claimGenerator,
      signature: signatureUri(manifestLabel),
      createdAssertions: uris.filter(([, g]) => !g).map(([u]) => u),
      gatheredAssertions: uris.filter(([, g]) => g).map(([u]) => u),
      title: opts.title,
    });
    const manifest = (c: Uint8Array) =>
      encodeManifestBox(manifestLabel, encodeAssertionStore(boxes), encodeClaimBox(claim), encodeSignatureBox(c));
    return { claim, manifest };
  };
  const first = layout();
  const placeholder = encodeStoreBox([...copied, first.manifest(new Uint8Array(sigSize))]);
  const storeLength = placeholder.length;
  const claimLength = first.claim.length;

  const finalize = async (values: HardBindingValues): Promise<Uint8Array> => {
    if (!values || !(values.hash instanceof Uint8Array) || values.hash.length !== 32)
      throw InvalidArgumentError.expected('a 32-byte SHA-256', 'binding.hash', values?.hash);
    if (opts.hardBinding === 'data') {
      const ex = (values as { exclusions?: readonly Exclusion[] }).exclusions;
      if (!Array.isArray(ex) || ex.length > maxEx) throw InvalidArgumentError.expected(`1..${maxEx} exclusions`, 'binding.exclusions', ex);
      binding.content = encodeDataHash({ exclusions: ex, hash: values.hash }, bindingSize);
      binding.box = binding.hash = undefined;
    } else {
      const ex = (values as { exclusions?: readonly BmffExclusion[] }).exclusions ?? bmffEx;
      const content = bmffBinding(ex, values.hash, opts.bmffMerkle);
      if (content.length !== bindingSize)
        throw new SigningError(
          said(
            'err.c2pa.c2paHashBmffV3',
            'c2pa.hash.bmff.v3 changed size ({bindingSize} → {v2}): pass the final exclusions to prepareManifest',
            { bindingSize, v2: content.length },
          ),
        );
      binding.content = content;
      binding.box = binding.hash = undefined;
    }
    const draft = layout();
    if (draft.claim.length !== claimLength)
      throw new SigningError(
        said('err.c2pa.claimChangedSize', 'claim changed size ({claimLength} → {v2})', { claimLength, v2: draft.claim.length }),
      );
    const cose = await signClaim(draft.claim, opts.signer, {
      size: sigSize,
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
      ...(opts.timestampVersion ? { timestampVersion: opts.timestampVersion } : {}),
      ...(opts.ocspVals ? { ocspVals: opts.ocspVals } : {}),
    });
    const store = encodeStoreBox([...copied, draft.manifest(cose)]);
    if (store.length !== storeLength)
      throw new SigningError(
        said('err.c2pa.manifestStoreBytesWere', 'manifest store is {v1} bytes, {storeLength} were reserved', {
          v1: store.length,
          storeLength,
        }),
      );
    return store;
  };
  return {
    storeLength,
    manifestLabel,
    hardBindingLabel: bindingLabel,
    instanceID,
    format: opts.format,
    placeholder,
    finalize,
  };
}

/** The BMFF binding: the flat hash, or Merkle maps whose `initHash` is `hash`. */
function bmffBinding(exclusions: readonly BmffExclusion[], hash: Uint8Array, merkle: readonly MerkleMap[] | undefined): Uint8Array {
  if (!merkle) return encodeBmffHash({ exclusions, hash });
  return encodeBmffHash({ exclusions, merkle: merkle.map((m) => ({ ...m, alg: m.alg ?? 'sha256', initHash: hash })) });
}

/** Exact bytes of every manifest of the ingredient stores, each label once. */
function copyIngredientManifests(stores: readonly (ManifestStore | Uint8Array)[], newLabel: string): Uint8Array[] {
  const out = new Map<string, Uint8Array>();
  for (const s of stores) {
    const store = s instanceof Uint8Array ? parseManifestStore(s) : s;
    for (const m of store.manifests) {
      const box = m.storedBox ?? m.box; // stored bytes (a compressed manifest is copied compressed)
      const bytes = store.bytes.subarray(box.offset, box.offset + box.headerLength + box.payload.length);
      const prior = out.get(m.label);
      if (prior) {
        if (bytesEqual(prior, bytes)) continue;
        throw new InvalidArgumentError(
          said(
            'err.c2pa.expectedOneManifestPer',
            'Expected one manifest per label in the ingredient stores but received two different manifests labelled {label}',
            { label: m.label },
          ),
        );
      }
      if (m.label === newLabel)
        throw new InvalidArgumentError(
          said(
            'err.c2pa.expectedNewManifestLabel',
            'Expected a new manifest label but received {newLabel}, already used by an ingredient',
            { newLabel },
          ),
        );
      out.set(m.label, bytes);
    }
  }
  return [...out.values()];
}
