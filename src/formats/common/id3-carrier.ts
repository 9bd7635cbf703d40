/**
 * C2PA and GB 45438 carriers inside the leading ID3v2 tag(s) of a file, shared by MP3
 * and FLAC (c2pa-rs puts the same tag in front of `fLaC`).
 *
 * - Manifest store: a `GEOB` frame, MIME `application/c2pa`, filename `c2pa`, description
 *   `c2pa manifest store` (read the legacy MIME `application/x-c2pa-manifest-store` too).
 *   The data-hash exclusion is the encapsulated object only, as c2pa-rs does.
 * - Label: a `TXXX` frame described `AIGC` holding the bare JSON (TC260-PG-202510A).
 * - XMP: a `PRIV` frame owned by `XMP` (Adobe XMP spec part 3, MP3). MP3 writes the IPTC
 *   digital source type there; a label found there is read, and replaced when writing one.
 *
 * Rewriting produces one ID3v2.4 tag holding every other frame of every leading tag.
 */
import type { Part } from '../../binary/parts.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES } from '../../binary/limits.ts';
import { LimitExceededError, MultipleManifestsError, UnsupportedFormatError, said } from '../../errors.ts';
import type { ImplicitLabels } from '../../labels/implicit/types.ts';
import { writeXmpLabels } from '../../labels/implicit/xmp.ts';
import type { FoundLabel } from '../types.ts';
import { serializeGb45438 } from '../../labels/implicit/gb45438.ts';
import { decodeGeobHeader, decodeTxxx, frameContent, type GeobHeader, type Id3Frame, type Id3Tag } from './id3.ts';
import { concat, frameAsV24, frameHeaderV24, frameV24, geobPrefix, tagHeaderV24, txxxPayload } from './id3-write.ts';
import { decodeXmp, encodeXmp, stripXmp, xmpCarriers } from './xmp-packet.ts';

/** GEOB fields c2pa-rs writes for the manifest store. */
export const C2PA_GEOB = { mime: 'application/c2pa', filename: 'c2pa', description: 'c2pa manifest store' } as const;
/** GEOB MIME types accepted as a manifest store (current first, then legacy). */
export const C2PA_GEOB_MIMES: readonly string[] = ['application/c2pa', 'application/x-c2pa-manifest-store'];
/** Description of the label `TXXX` frame. */
export const AIGC_TXXX_DESCRIPTION = 'AIGC';
/** Carrier name reported for the ID3 label. */
export const ID3_AIGC_CARRIER = 'ID3 TXXX:AIGC';
/** Carrier name reported for XMP in an ID3 `PRIV` frame. */
export const ID3_XMP_CARRIER = 'ID3 PRIV XMP';
/** Owner identifier of the `PRIV` frame that holds XMP. */
export const XMP_PRIV_OWNER = 'XMP';

/** Bytes read first from a frame to look at its header strings. */
const PEEK = 1024;
/** Room allowed for GEOB header strings on top of the store itself. */
const GEOB_HEADER_ALLOWANCE = 64 * 1024;

const isGeob = (f: Id3Frame) => f.id === 'GEOB' || f.id === 'GEO';
const isTxxx = (f: Id3Frame) => f.id === 'TXXX' || f.id === 'TXX';

async function isC2paGeob(tag: Id3Tag, frame: Id3Frame): Promise<boolean> {
  if (!isGeob(frame)) return false;
  const peek = await frameContent(tag, frame, PEEK, MAX_MANIFEST_BYTES + GEOB_HEADER_ALLOWANCE, 'MAX_MANIFEST_BYTES');
  if (!peek) return false;
  const end = peek.indexOf(0, 1);
  const mime = String.fromCharCode(...peek.subarray(1, end < 0 ? peek.length : end));
  return end > 0 && C2PA_GEOB_MIMES.includes(mime.toLowerCase());
}

async function isAigcTxxx(tag: Id3Tag, frame: Id3Frame): Promise<boolean> {
  if (!isTxxx(frame)) return false;
  const peek = await frameContent(tag, frame, PEEK, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES');
  if (!peek) return false;
  try {
    return decodeTxxx(peek).description.toUpperCase() === AIGC_TXXX_DESCRIPTION;
  } catch {
    return false; // a description longer than the peek is not ours
  }
}

async function isXmpPriv(tag: Id3Tag, frame: Id3Frame): Promise<boolean> {
  if (frame.id !== 'PRIV') return false;
  const peek = await frameContent(tag, frame, XMP_PRIV_OWNER.length + 1, MAX_METADATA_BYTES + PEEK, 'MAX_METADATA_BYTES');
  return (
    !!peek &&
    peek.length === XMP_PRIV_OWNER.length + 1 &&
    peek[XMP_PRIV_OWNER.length] === 0 &&
    String.fromCharCode(...peek.subarray(0, 3)) === XMP_PRIV_OWNER
  );
}

async function privXmpText(tag: Id3Tag, frame: Id3Frame): Promise<string> {
  const content = (await frameContent(tag, frame, Infinity, MAX_METADATA_BYTES + PEEK, 'MAX_METADATA_BYTES'))!;
  return decodeXmp(content.subarray(XMP_PRIV_OWNER.length + 1)).replace(/\0+$/, '');
}

/**
 * The manifest store carried in the tags, or undefined.
 * @throws {MultipleManifestsError} when more than one C2PA GEOB frame is present.
 * @throws {LimitExceededError} past {@link MAX_MANIFEST_BYTES}.
 * @throws {MalformedInputError} for a GEOB frame whose header is not terminated.
 */
export async function readId3Manifest(tags: readonly Id3Tag[]): Promise<Uint8Array | undefined> {
  const found: { tag: Id3Tag; frame: Id3Frame }[] = [];
  for (const tag of tags) for (const frame of tag.frames) if (await isC2paGeob(tag, frame)) found.push({ tag, frame });
  if (found.length > 1)
    throw new MultipleManifestsError(said('err.fmt.c2paGEOBFramesID3', '{v1} C2PA GEOB frames in the ID3 tag', { v1: found.length }));
  if (!found.length) return undefined;
  const { tag, frame } = found[0]!;
  const content = (await frameContent(tag, frame, Infinity, MAX_MANIFEST_BYTES + GEOB_HEADER_ALLOWANCE, 'MAX_MANIFEST_BYTES'))!;
  const header: GeobHeader | undefined = decodeGeobHeader(content);
  if (!header) return undefined;
  const store = content.subarray(header.objectOffset);
  if (store.length > MAX_MANIFEST_BYTES)
    throw new LimitExceededError(
      'MAX_MANIFEST_BYTES',
      said('err.fmt.manifestStoreBytes2', 'manifest store of {v1} bytes', { v1: store.length }),
    );
  return store.slice();
}

/**
 * Every `TXXX:AIGC` value in the tags, and the labels of XMP `PRIV` frames.
 * @throws {LimitExceededError} for a label frame above {@link MAX_METADATA_BYTES}.
 */
export async function readId3Labels(tags: readonly Id3Tag[]): Promise<FoundLabel[]> {
  const out: FoundLabel[] = [];
  for (const tag of tags) {
    for (const frame of tag.frames) {
      if (await isXmpPriv(tag, frame)) {
        out.push(...xmpCarriers(ID3_XMP_CARRIER, await privXmpText(tag, frame)));
      } else if (await isAigcTxxx(tag, frame)) {
        const content = (await frameContent(tag, frame, Infinity, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES'))!;
        out.push({ kind: 'gb45438', foundIn: ID3_AIGC_CARRIER, raw: decodeTxxx(content).value });
      }
    }
  }
  return out;
}

/** What to put in the rewritten tag. */
export interface Id3TagEdit {
  /** Size of the manifest placeholder; 0 = no store. */
  readonly manifestLength: number;
  /**
   * Labels being written (undefined: every label carrier is kept as it is). Each property
   * given replaces its old carriers in the tag; absent properties are left alone.
   */
  readonly labels?: ImplicitLabels;
  /**
   * Whether the labels live in this tag (MP3: `TXXX:AIGC` and XMP `PRIV`) or elsewhere
   * (FLAC: Vorbis comment; the tag only loses its old label carriers).
   */
  readonly labelsInTag: boolean;
}

/** Parts of the rewritten tag and the index of the placeholder part (-1 when none). */
export interface Id3TagParts {
  readonly parts: Part[];
  readonly placeholderIndex: number;
}

/**
 * Rebuild the leading tags as one ID3v2.4 tag: every kept frame, then the XMP `PRIV`
 * (old packet minus replaced properties, plus the digital source type), the label
 * `TXXX`, then the `GEOB` with a zero placeholder of `manifestLength` bytes (the
 * placeholder is its own part: exactly the excluded object bytes). No frames → no tag.
 * @throws {UnsupportedFormatError} for a tag whose frames cannot be read or converted.
 * @throws {LimitExceededError} when the tag would exceed the sync-safe size limit.
 */
export async function rebuildId3Tag(tags: readonly Id3Tag[], edit: Id3TagEdit): Promise<Id3TagParts> {
  const label = edit.labels?.gb45438;
  const dst = edit.labelsInTag ? edit.labels?.digitalSourceType : undefined;
  const body: Part[] = [];
  let oldXmp: string | undefined;
  for (const tag of tags) {
    if (tag.opaque)
      throw new UnsupportedFormatError(said('err.fmt.compressedID3v2TagCannot', 'compressed ID3v2.2 tag cannot be rewritten'));
    for (const frame of tag.frames) {
      if (await isC2paGeob(tag, frame)) continue;
      if (label && (await isAigcTxxx(tag, frame))) continue;
      if ((label || dst) && (await isXmpPriv(tag, frame))) {
        oldXmp ??= await privXmpText(tag, frame);
        continue;
      }
      body.push(...(await frameAsV24(tag, frame)));
    }
  }
  // the label never stays in XMP next to TXXX (one label per file); the source type is rewritten in place
  let xmp = oldXmp === undefined ? undefined : stripXmp(oldXmp, { gb45438: label });
  if (dst !== undefined) xmp = writeXmpLabels(xmp, { digitalSourceType: dst });
  if (xmp !== undefined) body.push({ bytes: frameV24('PRIV', concat(new TextEncoder().encode(`${XMP_PRIV_OWNER}\0`), encodeXmp(xmp))) });
  if (label && edit.labelsInTag) body.push({ bytes: frameV24('TXXX', txxxPayload(AIGC_TXXX_DESCRIPTION, serializeGb45438(label))) });
  let placeholderIndex = -1;
  if (edit.manifestLength > 0) {
    const prefix = geobPrefix(C2PA_GEOB.mime, C2PA_GEOB.filename, C2PA_GEOB.description);
    const head = new Uint8Array(10 + prefix.length);
    head.set(frameHeaderV24('GEOB', prefix.length + edit.manifestLength), 0);
    head.set(prefix, 10);
    body.push({ bytes: head });
    placeholderIndex = body.length + 1; // after the tag header
    body.push({ bytes: new Uint8Array(edit.manifestLength) });
  }
  if (!body.length) return { parts: [], placeholderIndex: -1 };
  const size = body.reduce((n, p) => n + ('copy' in p ? p.copy.length : p.bytes.length), 0);
  return { parts: [{ bytes: tagHeaderV24(size) }, ...body], placeholderIndex };
}
