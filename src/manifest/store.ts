/**
 * Manifest store reading (C2PA 2.2 §11; profile §1): raw JUMBF → a neutral structure of
 * manifests (in order; the active one is last), each with its claim, assertions and
 * signature, all keeping their exact stored bytes. Structural damage (box sizes, depth,
 * limits) throws; damage inside one manifest (bad CBOR, missing claim) is recorded as a
 * `problem` with the C2PA status code a validator should report, so verification can go on.
 */
import { MAX_ASSERTIONS, MAX_MANIFEST_BYTES, MAX_MANIFESTS } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, ToolkitError, said } from '../errors.ts';
import { decodeCbor } from './cbor.ts';
import { readClaim, type Claim } from './claim.ts';
import {
  ASSERTION_STORE_LABEL,
  CLAIM_V1_LABEL,
  CLAIM_V2_LABEL,
  SIGNATURE_LABEL,
  UUID_ASSERTION_STORE,
  UUID_CBOR,
  UUID_CLAIM,
  UUID_COMPRESSED_MANIFEST,
  UUID_EMBEDDED_FILE,
  UUID_JSON,
  UUID_LEGACY_MANIFEST,
  UUID_MANIFEST,
  UUID_SIGNATURE,
  UUID_STORE,
  UUID_UPDATE_MANIFEST,
  uuidEquals,
} from './jumbf/c2pa-types.ts';
import { childSuperboxes, contentBox, parseJumbf } from './jumbf/superbox.ts';
import type { JumbfSuperbox } from './jumbf/types.ts';
import { BROB, unwrapBrob, type Decompressor } from './brob.ts';
import { concatBytes } from '../binary/bytes.ts';

/** How an assertion's content is stored. */
export type AssertionKind = 'cbor' | 'json' | 'embedded-file' | 'other';

/** An assertion as stored. */
export interface StoredAssertion {
  /** Full label, including any `__N` instance suffix. */
  readonly label: string;
  readonly kind: AssertionKind;
  readonly box: JumbfSuperbox;
  /** The superbox payload: what a hashed URI to this assertion hashes. */
  readonly payload: Uint8Array;
  /** The content box payload (CBOR or JSON bytes), when there is one. */
  readonly raw?: Uint8Array;
  /** Decoded content (CBOR value or parsed JSON); undefined when it failed to decode. */
  readonly data?: unknown;
  /** The `c2sh` salt, when present. */
  readonly salt?: Uint8Array;
  /** Why `data` is undefined. */
  readonly error?: ToolkitError;
}

/** A problem found inside one manifest, with the C2PA status code to report. */
export interface ManifestProblem {
  /** `claim.missing`, `claim.multiple`, `claim.cbor.invalid`, `claim.malformed`, `claimSignature.missing`, `assertion.cbor.invalid`, `assertion.json.invalid`, or our `manifest.compressed.unsupported`. */
  readonly code: string;
  readonly message: string;
  readonly error?: ToolkitError;
}

/** One manifest of the store. */
export interface Manifest {
  /** The manifest label, `urn:c2pa:<uuid>[...]` (or `urn:uuid:` in v1 files). */
  readonly label: string;
  readonly type: 'standard' | 'update' | 'compressed' | 'unknown';
  /**
   * The manifest superbox (for a compressed manifest, the decompressed one: relative JUMBF
   * URIs resolve in it; its offsets are then relative to the decompressed bytes).
   */
  readonly box: JumbfSuperbox;
  /** The `c2cm` superbox as stored, when the manifest was Brotli-compressed (`brob`); `type` is the inner manifest's. */
  readonly storedBox?: JumbfSuperbox;
  /** Whether it was stored compressed. */
  readonly compressed?: boolean;
  readonly claim?: Claim;
  readonly claimBox?: JumbfSuperbox;
  readonly assertionStore?: JumbfSuperbox;
  readonly assertions: StoredAssertion[];
  /** The claim signature superbox and its COSE bytes. */
  readonly signature?: { readonly box: JumbfSuperbox; readonly cose: Uint8Array };
  readonly problems: ManifestProblem[];
}

/** A parsed manifest store. */
export interface ManifestStore {
  /** The store bytes parsed. */
  readonly bytes: Uint8Array;
  /** The store superbox; compressed manifests appear decompressed among its children. */
  readonly root: JumbfSuperbox;
  /** Manifests in stored order. */
  readonly manifests: Manifest[];
  /** The active manifest: the last one. */
  readonly active?: Manifest;
}

/** Options for {@link parseManifestStore}. */
export interface ParseStoreOptions {
  /** Throw the first per-manifest problem instead of recording it. */
  readonly strict?: boolean;
  /**
   * Brotli decompressor for `brob` boxes (compressed manifests and assertion content). The
   * core has none (no `node:*`); the Node side passes `brotliDecompress`. Without it such
   * content is reported as a problem of its manifest.
   */
  readonly decompress?: Decompressor;
}

/**
 * Parse a manifest store.
 * @throws {MalformedInputError} when the bytes are not a C2PA store or a box size is inconsistent
 * (or, with `strict`, on the first per-manifest problem).
 * @throws {LimitExceededError} past {@link MAX_MANIFEST_BYTES}, {@link MAX_MANIFESTS},
 * {@link MAX_ASSERTIONS} or the JUMBF limits.
 */
export function parseManifestStore(bytes: Uint8Array, options: ParseStoreOptions = {}): ManifestStore {
  if (bytes.length > MAX_MANIFEST_BYTES)
    throw new LimitExceededError(
      'MAX_MANIFEST_BYTES',
      said('err.c2pa.manifestStoreBytes', 'manifest store of {v1} bytes', { v1: bytes.length }),
    );
  const { root, consumed } = parseJumbf(bytes);
  if (consumed !== bytes.length)
    throw new MalformedInputError(
      'c2pa',
      said('err.c2pa.bytesAfterManifestStore', '{v1} bytes after the manifest store', { v1: bytes.length - consumed }),
      consumed,
    );
  if (!uuidEquals(root.description.type, UUID_STORE))
    throw new MalformedInputError('c2pa', said('err.c2pa.outerSuperboxNotC2PA', 'the outer superbox is not a C2PA manifest store'), 0);
  const boxes = childSuperboxes(root);
  if (boxes.length > MAX_MANIFESTS)
    throw new LimitExceededError('MAX_MANIFESTS', said('err.c2pa.manifestsOneStore', '{v1} manifests in one store', { v1: boxes.length }));
  const manifests = boxes.map((b) => readManifest(b, options));
  // URIs resolve in the logical tree: compressed manifests replaced by their decompressed box.
  const swap = new Map(manifests.filter((m) => m.storedBox).map((m) => [m.storedBox as JumbfSuperbox, m.box]));
  const logical = swap.size ? { ...root, children: root.children.map((c) => (c.kind === 'superbox' ? (swap.get(c) ?? c) : c)) } : root;
  return { bytes, root: logical, manifests, active: manifests[manifests.length - 1] };
}

function manifestType(box: JumbfSuperbox): Manifest['type'] {
  const t = box.description.type;
  if (uuidEquals(t, UUID_MANIFEST) || uuidEquals(t, UUID_LEGACY_MANIFEST)) return 'standard';
  if (uuidEquals(t, UUID_UPDATE_MANIFEST)) return 'update';
  if (uuidEquals(t, UUID_COMPRESSED_MANIFEST)) return 'compressed';
  return 'unknown';
}

function readManifest(box: JumbfSuperbox, options: ParseStoreOptions): Manifest {
  const problems: ManifestProblem[] = [];
  const problem = (code: string, message: string, error?: ToolkitError) => {
    if (options.strict) throw error ?? new MalformedInputError('c2pa', `${code}: ${message}`, box.offset);
    problems.push({ code, message, error });
  };
  const label = box.description.label ?? '';
  const type = manifestType(box);
  if (type === 'compressed') {
    const inner = decompressManifest(box, options, problem);
    if (inner)
      return { ...readManifest(inner, options), label: label || (inner.description.label ?? ''), storedBox: box, compressed: true };
  }
  const children = childSuperboxes(box);

  const stores = children.filter(
    (c) => uuidEquals(c.description.type, UUID_ASSERTION_STORE) || c.description.label === ASSERTION_STORE_LABEL,
  );
  const assertionStore = stores[0];
  const assertionBoxes = assertionStore ? childSuperboxes(assertionStore) : [];
  if (assertionBoxes.length > MAX_ASSERTIONS)
    throw new LimitExceededError(
      'MAX_ASSERTIONS',
      said('err.c2pa.assertionsManifest', '{v1} assertions in manifest {label}', { v1: assertionBoxes.length, label }),
    );
  const assertions = assertionBoxes.map((b) => readAssertion(b, problem, options.decompress));

  const claimBoxes = children.filter(
    (c) => uuidEquals(c.description.type, UUID_CLAIM) || c.description.label === CLAIM_V2_LABEL || c.description.label === CLAIM_V1_LABEL,
  );
  let claim: Claim | undefined;
  if (claimBoxes.length === 0) {
    if (type !== 'compressed') problem('claim.missing', `manifest ${label} has no claim`);
  } else {
    if (claimBoxes.length > 1) problem('claim.multiple', `manifest ${label} has ${claimBoxes.length} claims`);
    const cb = claimBoxes[0];
    const content = contentBox(cb, 'cbor');
    if (!content) problem('claim.cbor.invalid', `claim of ${label} has no cbor box`);
    else {
      try {
        claim = readClaim(cb.description.label ?? '', content.payload);
      } catch (err) {
        const e = err instanceof ToolkitError ? err : new MalformedInputError('c2pa.claim', String(err));
        const code = e instanceof MalformedInputError && e.format === 'c2pa.claim' ? 'claim.malformed' : 'claim.cbor.invalid';
        problem(code, e.message, e);
      }
    }
  }

  const sigBox = children.find((c) => uuidEquals(c.description.type, UUID_SIGNATURE) || c.description.label === SIGNATURE_LABEL);
  const sigContent = sigBox && contentBox(sigBox, 'cbor');
  if (!sigBox || !sigContent) {
    if (type !== 'compressed') problem('claimSignature.missing', `manifest ${label} has no claim signature`);
  }
  return {
    label,
    type,
    box,
    claim,
    claimBox: claimBoxes[0],
    assertionStore,
    assertions,
    signature: sigBox && sigContent ? { box: sigBox, cose: sigContent.payload } : undefined,
    problems,
  };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
type Problem = (code: string, message: string, error?: ToolkitError) => void;

/** The inner manifest superbox of a compressed (`c2cm`) manifest, or undefined after recording why not. */
function decompressManifest(box: JumbfSuperbox, options: ParseStoreOptions, problem: Problem): JumbfSuperbox | undefined {
  const brob = contentBox(box, BROB);
  if (!brob) {
    problem('manifest.compressed.unsupported', `compressed manifest ${box.description.label ?? ''} has no brob box`);
    return undefined;
  }
  try {
    const { type, payload } = unwrapBrob(brob, options.decompress);
    if (type !== 'jumb')
      throw new MalformedInputError(
        'c2pa',
        said('err.c2pa.compressedManifestHoldsBox', "compressed manifest holds a '{type}' box, not a manifest superbox", { type }),
        brob.offset,
      );
    // The stream holds the manifest superbox whole; accept its payload alone as well.
    const whole = payload.length >= 8 && String.fromCharCode(...payload.subarray(4, 8)) === 'jumb';
    const bytes = whole ? payload : concatBytes([jumbHeader(payload.length + 8), payload]);
    const { root, consumed } = parseJumbf(bytes);
    if (consumed !== bytes.length)
      throw new MalformedInputError(
        'c2pa',
        said('err.c2pa.bytesAfterDecompressedManifest', '{v1} bytes after the decompressed manifest', { v1: bytes.length - consumed }),
        consumed,
      );
    return root;
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    problem('manifest.compressed.unsupported', `compressed manifest ${box.description.label ?? ''}: ${err.message}`, err);
    return undefined;
  }
}

function jumbHeader(size: number): Uint8Array {
  const h = new Uint8Array(8);
  new DataView(h.buffer).setUint32(0, size);
  h.set([0x6a, 0x75, 0x6d, 0x62], 4);
  return h;
}

/** The payload of an assertion's content box of `type`, stored plainly or Brotli-compressed. */
function contentPayload(box: JumbfSuperbox, type: string, decompress: Decompressor | undefined): Uint8Array | undefined {
  const plain = contentBox(box, type);
  if (plain) return plain.payload;
  const brob = contentBox(box, BROB);
  if (!brob) return undefined;
  const u = unwrapBrob(brob, decompress);
  if (u.type !== type)
    throw new MalformedInputError(
      'c2pa',
      said('err.c2pa.brobBoxHoldsBox', "brob box holds a '{type}' box, not '{v2}'", { type: u.type, v2: type }),
      brob.offset,
    );
  return u.payload;
}

function readAssertion(box: JumbfSuperbox, problem: Problem, decompress?: Decompressor): StoredAssertion {
  const label = box.description.label ?? '';
  const t = box.description.type;
  const pb = box.description.privateBox;
  const salt = pb && pb.type === 'c2sh' ? pb.payload : undefined;
  const base = { label, box, payload: box.payload, salt };
  const want = uuidEquals(t, UUID_CBOR) ? 'cbor' : uuidEquals(t, UUID_JSON) ? 'json' : undefined;
  let stored: Uint8Array | undefined;
  try {
    // decompress up front so a bad brob box is one problem of this assertion
    stored = want ? contentPayload(box, want, decompress) : undefined;
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    problem(`assertion.${want}.invalid`, `assertion ${label}: ${err.message}`, err);
    return { ...base, kind: want as 'cbor' | 'json', error: err };
  }
  const content = (type: string): { payload: Uint8Array } | undefined => (type === want && stored ? { payload: stored } : undefined);
  if (uuidEquals(t, UUID_CBOR)) {
    const c = content('cbor');
    if (!c) {
      const error = new MalformedInputError(
        'c2pa',
        said('err.c2pa.assertionHasNoCbor', 'assertion {label} has no cbor box', { label }),
        box.offset,
      );
      problem('assertion.cbor.invalid', error.message, error);
      return { ...base, kind: 'cbor', error };
    }
    try {
      return { ...base, kind: 'cbor', raw: c.payload, data: decodeCbor(c.payload, { context: label }).value };
    } catch (err) {
      const error = err instanceof ToolkitError ? err : new MalformedInputError('cbor', String(err));
      problem('assertion.cbor.invalid', `assertion ${label}: ${error.message}`, error);
      return { ...base, kind: 'cbor', raw: c.payload, error };
    }
  }
  if (uuidEquals(t, UUID_JSON)) {
    const c = content('json');
    try {
      if (!c)
        throw new MalformedInputError(
          'json',
          said('err.c2pa.assertionHasNoJson', 'assertion {label} has no json box', { label }),
          box.offset,
        );
      return { ...base, kind: 'json', raw: c.payload, data: JSON.parse(UTF8.decode(c.payload)) };
    } catch (err) {
      const error =
        err instanceof ToolkitError
          ? err
          : new MalformedInputError('json', `assertion ${label}: ${(err as Error).message}`, undefined, { cause: err });
      problem('assertion.json.invalid', error.message, error);
      return { ...base, kind: 'json', raw: c?.payload, error };
    }
  }
  if (uuidEquals(t, UUID_EMBEDDED_FILE)) return { ...base, kind: 'embedded-file' };
  return { ...base, kind: 'other' };
}

/** The manifest labelled `label`, if any. */
export function findManifest(store: ManifestStore, label: string): Manifest | undefined {
  return store.manifests.find((m) => m.label === label);
}

/** The assertion labelled exactly `label` in `manifest`, if any. */
export function findAssertion(manifest: Manifest, label: string): StoredAssertion | undefined {
  return manifest.assertions.find((a) => a.label === label);
}
