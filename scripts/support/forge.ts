/**
 * Forgery operations for the distribution-chain fixtures (issue #6 §4), done with our own
 * handlers and manifest code, never with hand-written bytes: rewrite a file's GB 45438 label
 * while keeping its manifest store byte for byte (`planEmbed` with new labels), sign a
 * manifest whose label names another producer, build a creation manifest under a chosen
 * label, and replace or strip a manifest of the store in place (same size, so the active
 * manifest's hard binding, which excludes the store, still holds).
 */
import { UnsupportedFormatError } from '../../src/errors.ts';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { hashSourceExcluding } from '../../src/binding/data-hash.ts';
import { PartsSource } from '../../src/binary/parts-source.ts';
import { detectSourceHandler } from '../../src/formats/registry.ts';
import { bmffHashOfSource, defaultBmffExclusions } from '../../src/binding/bmff-hash.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import { makeGb45438Label, parseGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA, type Gb45438Label } from '../../src/labels/implicit/types.ts';
import { makeSecurityData, producerMessage } from '../../src/labels/security-data.ts';
import {
  ACTIONS_LABEL,
  buildActions,
  buildGb45438Assertion,
  GB45438_ASSERTION_LABEL,
  parseManifestStore,
  prepareManifest,
  type Manifest,
  type ManifestStore,
} from '../../src/manifest/index.ts';
import { encodeBox } from '../../src/manifest/jumbf/box.ts';
import { CLAIM_GENERATOR } from '../../src/service/embed.ts';
import { parentManifest } from '../../src/verify/engine/ingredient-links.ts';

async function open(bytes: Uint8Array): Promise<{ src: BufferSource; handler: FormatHandler }> {
  const src = new BufferSource(bytes);
  return { src, handler: await detectSourceHandler(src) };
}

/** The GB 45438 label a file carries (its first carrier). */
export async function readLabel(bytes: Uint8Array): Promise<Gb45438Label> {
  const { src, handler } = await open(bytes);
  const found = await handler.readLabels(src);
  for (const f of found) {
    try {
      return parseGb45438(f.raw).label;
    } catch {
      /* not a GB 45438 carrier (e.g. IPTC) */
    }
  }
  throw new TypeError('forge: the file carries no GB 45438 label');
}

/** The file's manifest store, parsed. */
export async function readStore(bytes: Uint8Array): Promise<ManifestStore> {
  const { src, handler } = await open(bytes);
  const raw = await handler.readManifest(src);
  if (!raw) throw new TypeError('forge: the file has no manifest store');
  return parseManifestStore(raw);
}

/**
 * Write `label` into the file, keeping its manifest store byte for byte (a file without a
 * store gets the label only: embedded with a throw-away store, which is then removed).
 */
export async function rewriteLabel(bytes: Uint8Array, label: Gb45438Label, throwAwayStore?: Uint8Array): Promise<Uint8Array> {
  const { src, handler } = await open(bytes);
  const store = await handler.readManifest(src);
  const slot = store ?? throwAwayStore;
  if (!slot) throw new TypeError('forge: a file without a store needs a throw-away store to plan the label write');
  const plan = await handler.planEmbed(src, slot.length, { gb45438: label });
  const out = await partsToBytes(src, plan.fill(slot));
  if (store) return out;
  const stripped = await open(out);
  return partsToBytes(stripped.src, (await stripped.handler.planRemove(stripped.src)).parts);
}

/** Options of {@link signCreation}. */
export interface SignCreationOptions {
  signer: Signer;
  /** The label to write and sign (taken as is: no check against the certificate). */
  label: Gb45438Label;
  /** Manifest label (default random). */
  manifestLabel?: string;
  title?: string;
  when?: Date;
}

/**
 * A creation manifest as `stamp` makes it (c2pa.created, trainedAlgorithmicMedia, our
 * GB 45438 assertion, IPTC type and label in the metadata), but without stamp's guard that
 * the label's producer code is the certificate's: what a forger with a valid certificate does.
 */
export async function signCreation(bytes: Uint8Array, o: SignCreationOptions): Promise<Uint8Array> {
  const { src, handler } = await open(bytes);
  if (handler.hardBinding === 'none') throw new UnsupportedFormatError(`C2PA defines no manifest embedding for ${handler.name}`);
  const bmffExclusions = handler.hardBinding === 'bmff' ? defaultBmffExclusions() : undefined;
  const draft = prepareManifest({
    signer: o.signer,
    claimGenerator: CLAIM_GENERATOR,
    hardBinding: handler.hardBinding,
    ...(bmffExclusions ? { bmffExclusions } : {}),
    ...(o.manifestLabel ? { manifestLabel: o.manifestLabel } : {}),
    ...(o.title ? { title: o.title } : {}),
    format: handler.mimeTypes[0],
    assertions: [
      {
        label: ACTIONS_LABEL,
        data: buildActions([
          {
            action: 'c2pa.created',
            digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
            when: o.when ?? new Date(),
            softwareAgent: { name: CLAIM_GENERATOR.name, version: CLAIM_GENERATOR.version },
          },
        ]),
      },
      { label: GB45438_ASSERTION_LABEL, data: buildGb45438Assertion(o.label) },
    ],
  });
  const plan = await handler.planEmbed(src, draft.storeLength, { gb45438: o.label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
  let store: Uint8Array;
  if (handler.hardBinding === 'bmff')
    store = await draft.finalize({ hash: await bmffHashOfSource(new PartsSource(src, plan.parts), bmffExclusions) });
  else {
    const exclusions = plan.exclusions.map((e) => ({ start: e.offset, length: e.length }));
    store = await draft.finalize({ exclusions, hash: await hashSourceExcluding(new PartsSource(src, plan.parts), exclusions) });
  }
  return partsToBytes(src, plan.fill(store));
}

/** A producer label for `producer` with ReservedCode1 signed by `signer`. */
export async function signedProducerLabel(signer: Signer, producer: string, produceId: string): Promise<Gb45438Label> {
  const label = makeGb45438Label({
    Label: '1',
    ContentProducer: producer,
    ProduceID: produceId,
    ContentPropagator: producer,
    PropagateID: produceId,
  });
  return { ...label, ReservedCode1: await makeSecurityData(signer, producerMessage(label)) };
}

/** The exact bytes of a manifest's superbox inside its store. */
export function manifestBytes(store: ManifestStore, m: Manifest): Uint8Array {
  return store.bytes.subarray(m.box.offset, m.box.offset + m.box.headerLength + m.box.payload.length);
}

/** The manifest the active manifest's parentOf ingredient names. */
export function parentOf(store: ManifestStore): Manifest {
  const parent = store.active ? parentManifest(store, store.active) : undefined;
  if (!parent) throw new TypeError('forge: the active manifest has no parent manifest in the store');
  return parent;
}

/** Replace `old` by `replacement` (same length) where `old` occurs, contiguously, in the file. */
export function replaceInPlace(bytes: Uint8Array, old: Uint8Array, replacement: Uint8Array): Uint8Array {
  if (old.length !== replacement.length)
    throw new TypeError(`forge: replacement is ${replacement.length} bytes, the original ${old.length}`);
  const out = Buffer.from(bytes);
  const at = out.indexOf(Buffer.from(old));
  if (at < 0) throw new TypeError('forge: the manifest is not stored contiguously in the file');
  out.set(replacement, at);
  return new Uint8Array(out);
}

/**
 * Swap the active manifest's parent for a validly signed creation manifest of another file
 * under the same manifest label, grown to the same size with its title, written in place.
 */
export async function swapParent(
  bytes: Uint8Array,
  other: Uint8Array,
  o: Omit<SignCreationOptions, 'manifestLabel' | 'title'>,
): Promise<Uint8Array> {
  const store = await readStore(bytes);
  const parent = parentOf(store);
  const original = manifestBytes(store, parent);
  let title = 'swapped-in creation manifest of another file';
  for (let attempt = 0; attempt < 8; attempt++) {
    const forged = await readStore(await signCreation(other, { ...o, manifestLabel: parent.label, title }));
    const box = manifestBytes(forged, forged.active!);
    const diff = original.length - box.length;
    if (diff === 0) return replaceInPlace(bytes, original, box);
    if (title.length + diff < 1 || title.length + diff > 200) break;
    title = diff > 0 ? title + 'x'.repeat(diff) : title.slice(0, diff);
  }
  throw new TypeError('forge: could not size the swapped-in manifest like the original');
}

/** Strip the active manifest's parent: its superbox becomes a `free` box of the same size. */
export async function stripParent(bytes: Uint8Array): Promise<Uint8Array> {
  const store = await readStore(bytes);
  const original = manifestBytes(store, parentOf(store));
  return replaceInPlace(bytes, original, encodeBox('free', new Uint8Array(original.length - 8)));
}
