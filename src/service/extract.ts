/**
 * `extractStore()`: the raw pieces of a file's C2PA manifest store, for investigators
 * (`aigc inspect --certs / --extract DIR`, as c2patool users expect): the store bytes, and for
 * each manifest its signer chain (DER, leaf first), its thumbnails, its raw claim (CBOR), and a
 * store of its own (the manifests up to it, so an ingredient's manifest can be read alone).
 * Reads only; validates nothing (use `verify`/`inspect` for that).
 */
import { MalformedInputError, said } from '../errors.ts';
import { parseManifestStore, parseCoseSign1, type Manifest, type ManifestStore } from '../manifest/index.ts';
import { isThumbnailLabel, readEmbeddedFile } from '../manifest/assertions/embedded-file.ts';
import type { JumbfSuperbox } from '../manifest/jumbf/types.ts';
import { concatBytes } from '../binary/bytes.ts';
import { openInputBuffered, type MediaInput } from './input.ts';

/** One manifest's pieces. */
export interface ExtractedManifest {
  readonly label: string;
  readonly active: boolean;
  /** Signer certificates from the COSE x5chain, leaf first (empty when unreadable). */
  readonly chainDer: Uint8Array[];
  /** Embedded thumbnails (claim and ingredient thumbnails). */
  readonly thumbnails: { readonly label: string; readonly mediaType: string; readonly bytes: Uint8Array }[];
  /** The claim's CBOR bytes, when present. */
  readonly claim?: Uint8Array;
  /** The COSE_Sign1 bytes of the claim signature, when present. */
  readonly signature?: Uint8Array;
  /** A manifest store holding the manifests up to and including this one (this one active). */
  readonly store: Uint8Array;
}

/** The store and its manifests (store order; the active one last). */
export interface ExtractedStore {
  readonly store: Uint8Array;
  readonly manifests: ExtractedManifest[];
}

function boxBytes(store: ManifestStore, box: JumbfSuperbox): Uint8Array {
  return store.bytes.subarray(box.offset, box.offset + box.headerLength + box.payload.length);
}

function boxHeader(size: number): Uint8Array {
  const h = new Uint8Array(8);
  new DataView(h.buffer).setUint32(0, size);
  h.set([0x6a, 0x75, 0x6d, 0x62], 4); // 'jumb'
  return h;
}

/** A store with the root's description box and `manifests` (this is how c2pa stores are laid out). */
function storeOf(store: ManifestStore, manifests: readonly Manifest[]): Uint8Array {
  const root = store.root;
  const first = manifests[0]?.box;
  const descEnd = first ? first.offset - (root.offset + root.headerLength) : root.payload.length;
  const desc = root.payload.subarray(0, descEnd);
  const bodies = manifests.map((m) => boxBytes(store, m.box));
  const size = 8 + desc.length + bodies.reduce((n, b) => n + b.length, 0);
  return concatBytes([boxHeader(size), desc, ...bodies]);
}

function extractManifest(store: ManifestStore, m: Manifest, index: number): ExtractedManifest {
  let chainDer: Uint8Array[] = [];
  if (m.signature) {
    try {
      chainDer = parseCoseSign1(m.signature.cose).chainDer;
    } catch {
      chainDer = [];
    }
  }
  const thumbnails: ExtractedManifest['thumbnails'][number][] = [];
  for (const a of m.assertions) {
    if (a.kind !== 'embedded-file' || !isThumbnailLabel(a.label)) continue;
    try {
      const f = readEmbeddedFile(a.box);
      if (!f.external) thumbnails.push({ label: a.label, mediaType: f.mediaType, bytes: f.data });
    } catch {
      // a malformed thumbnail is reported by inspect; nothing to extract
    }
  }
  const claimContent = m.claimBox?.children.find((c) => c.kind === 'box' && c.type === 'cbor');
  return {
    label: m.label,
    active: m === store.active,
    chainDer,
    thumbnails,
    ...(claimContent ? { claim: claimContent.payload } : {}),
    ...(m.signature ? { signature: m.signature.cose } : {}),
    store: storeOf(store, store.manifests.slice(0, index + 1)),
  };
}

/**
 * Extract the manifest store of `input`; undefined when it has none.
 * @throws {IoError} when the path cannot be read; {@link UnsupportedFormatError} for an unknown format;
 * {@link MalformedInputError} / {@link MultipleManifestsError} / {@link LimitExceededError} for a damaged container or store.
 */
export async function extractStore(input: MediaInput): Promise<ExtractedStore | undefined> {
  const opened = await openInputBuffered(input);
  try {
    const raw = await opened.handler.readManifest(opened.src);
    if (!raw) return undefined;
    const store = parseManifestStore(raw);
    if (!store.manifests.length) throw new MalformedInputError('c2pa', said('err.c2pa.emptyStore', 'the manifest store holds no manifest'));
    return { store: raw, manifests: store.manifests.map((m, i) => extractManifest(store, m, i)) };
  } finally {
    await opened.close();
  }
}
