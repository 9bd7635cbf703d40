/**
 * Matroska/WebM handler (label only: C2PA defines no manifest embedding for Matroska). The
 * GB 45438 label is a global `Tag` whose `SimpleTag` is named `AIGC` with the JSON as
 * `TagString` (GB 45438's guide for MKV; ffmpeg shows it as the `AIGC` tag). Writing
 * replaces every `AIGC` SimpleTag: the label goes into the first `Tags` element, or a new
 * one before the first `Cluster` (indexed in the `SeekHead`).
 *
 * The elements after the edit move by the size difference, so every segment position the
 * file holds is rewritten: `SeekHead` `SeekPosition`s and `Cues` `CueClusterPosition` /
 * `CueCodecState` (re-encoded, recomputed until the layout is stable), with any `CRC-32`
 * of those elements recomputed, and the `Segment` size. Clusters are copied, never read.
 *
 * Spec: RFC 8794 (EBML), RFC 9559 (Matroska), WebM container guidelines.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { Part } from '../binary/parts.ts';
import { MAX_METADATA_BYTES } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { serializeGb45438 } from '../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import {
  childrenOf,
  concatBytes,
  withFreshCrc,
  element,
  encodeId,
  encodeSize,
  encodeUint,
  readChildren,
  readElement,
  readUint,
  type EbmlElement,
} from './common/ebml.ts';
import { labelOnlyPlans } from './common/label-only.ts';
import { WindowReader } from './common/window-reader.ts';
import { aigcValues, rewriteTags, TAG_IDS } from './mkv-tags.ts';
import type { FormatHandler, FoundLabel } from './types.ts';

const FORMAT = 'matroska';
const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Cluster: 0x1f43b675,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTrackPositions: 0xb7,
  CueClusterPosition: 0xf1,
  CueCodecState: 0xea,
  Crc32: 0xbf,
} as const;
/** Carrier name reported by {@link mkvHandler.readLabels}. */
export const MKV_CARRIER = 'Matroska Tags/SimpleTag AIGC';

interface Parsed {
  readonly segment: EbmlElement;
  /** The segment's children (an unknown-size Cluster ends the list). */
  readonly children: EbmlElement[];
}

async function parse(src: ByteSource): Promise<Parsed> {
  const r = new WindowReader(src, FORMAT);
  const header = await readElement(r, 0, src.size);
  if (header.id !== ID.EBML) throw new MalformedInputError(FORMAT, said('err.fmt.notEBMLFile', 'not an EBML file'), 0);
  let at = header.end;
  for (;;) {
    if (at >= src.size) throw new MalformedInputError(FORMAT, said('err.fmt.noMatroskaSegment', 'no Matroska Segment'), at);
    const e = await readElement(r, at, src.size, true);
    if (e.id === ID.Segment) {
      const children = await readChildren(r, e.dataOffset, e.end, true);
      return { segment: e, children };
    }
    if (e.size < 0)
      throw new MalformedInputError(FORMAT, said('err.fmt.unknownSizeElementBefore', 'unknown-size element before the Segment'), at);
    at = e.end;
  }
}

async function dataOf(src: ByteSource, e: EbmlElement): Promise<Uint8Array> {
  if (e.size > MAX_METADATA_BYTES)
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.fmt.matroskaElementXBytes', 'Matroska element 0x{v1} of {size} bytes', { v1: e.id.toString(16), size: e.size }),
    );
  return new Uint8Array(await src.read(e.dataOffset, e.size));
}

/** Masters whose position fields are rewritten, and the fields. */
const POSITION_MASTERS = new Set<number>([ID.Seek, ID.CuePoint, ID.CueTrackPositions]);
const POSITION_FIELDS = new Set<number>([ID.SeekPosition, ID.CueClusterPosition, ID.CueCodecState]);

/** A master's data with every position field mapped by `map` (widths never shrink), CRC-32 recomputed. */
function remap(data: Uint8Array, base: number, map: (p: number) => number, depth = 0): Uint8Array {
  const out: Uint8Array[] = [];
  for (const c of childrenOf(data, base)) {
    const body = data.subarray(c.dataStart, c.end);
    const sizeWidth = c.dataStart - c.start - encodeId(c.id).length;
    if (POSITION_FIELDS.has(c.id)) {
      out.push(element(c.id, encodeUint(map(readUint(body, base + c.dataStart)), body.length), sizeWidth));
    } else if (POSITION_MASTERS.has(c.id) && depth < 3) {
      out.push(element(c.id, remap(body, base + c.dataStart, map, depth + 1), sizeWidth));
    } else {
      out.push(data.subarray(c.start, c.end));
    }
  }
  return concatBytes(withFreshCrc(out));
}

/** An item of the new segment: a copied child, or bytes (given the position map). */
type Item = { readonly old?: EbmlElement; render?: (map: (p: number) => number) => Uint8Array; bytes?: Uint8Array };

async function rewrite(src: ByteSource, labels: ImplicitLabels | undefined): Promise<Part[]> {
  const { segment, children } = await parse(src);
  if (!labels?.gb45438) return [{ copy: { offset: 0, length: src.size } }];
  const label = serializeGb45438(labels.gb45438);
  const items: Item[] = [];
  let placed = false;
  for (const c of children) {
    if (c.id === TAG_IDS.Tags) {
      const data = await dataOf(src, c);
      const tags = rewriteTags(data, c.dataOffset, placed ? undefined : label);
      placed = true;
      items.push({ old: c, bytes: element(TAG_IDS.Tags, tags, c.sizeWidth) });
    } else if (c.id === ID.SeekHead || c.id === ID.Cues) {
      const data = await dataOf(src, c);
      items.push({ old: c, render: (map) => element(c.id, remap(data, c.dataOffset, map), c.sizeWidth) });
    } else {
      items.push({ old: c });
    }
  }
  let inserted: Item | undefined;
  if (!placed) {
    inserted = { bytes: element(TAG_IDS.Tags, rewriteTags(new Uint8Array(0), 0, label)) };
    const at = items.findIndex((it) => it.old?.id === ID.Cluster);
    items.splice(at < 0 ? items.length : at, 0, inserted);
    const head = items.find((it) => it.old?.id === ID.SeekHead);
    if (head) {
      const render = head.render!;
      head.render = (map) => withSeekEntry(render(map), head.old!, positionOf(inserted!));
    }
  }
  // Lay out until every rendered element keeps its size (positions depend on sizes).
  const start = segment.dataOffset;
  const lengths = items.map((it) => it.bytes?.length ?? it.old!.end - it.old!.offset);
  const newStarts: number[] = [];
  const layout = () => {
    let at = 0;
    items.forEach((_, i) => {
      newStarts[i] = at;
      at += lengths[i]!;
    });
    return at;
  };
  const olds = items.map((it, i) => ({ it, i })).filter((x) => x.it.old);
  const map = (p: number): number => {
    let lo = 0;
    let hi = olds.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (olds[mid]!.it.old!.offset - start <= p) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return p;
    const { it, i } = olds[found]!;
    return newStarts[i]! + (p - (it.old!.offset - start));
  };
  const positionOf = (item: Item): number => newStarts[items.indexOf(item)]!;
  let total = layout();
  const rendered = new Map<number, Uint8Array>();
  for (let round = 0; ; round++) {
    if (round > 16)
      throw new MalformedInputError(FORMAT, said('err.fmt.segmentPositionsDoNot', 'segment positions do not settle'), segment.offset);
    let changed = false;
    items.forEach((it, i) => {
      if (!it.render) return;
      const b = it.render(map);
      rendered.set(i, b);
      if (b.length !== lengths[i]) {
        lengths[i] = Math.max(b.length, lengths[i]!);
        changed = true;
      }
    });
    if (!changed) break;
    total = layout();
  }
  const parts: Part[] = [{ copy: { offset: 0, length: segment.offset } }, { bytes: segmentHeader(segment, total) }];
  items.forEach((it, i) => {
    const bytes = rendered.get(i) ?? it.bytes;
    const pad = bytes ? lengths[i]! - bytes.length : 0;
    if (bytes) parts.push({ bytes: pad > 0 ? concatBytes([bytes, voidOf(pad)]) : bytes });
    else parts.push({ copy: { offset: it.old!.offset, length: it.old!.end - it.old!.offset } });
  });
  if (src.size > segment.end) parts.push({ copy: { offset: segment.end, length: src.size - segment.end } });
  return parts;
}

/** A Void element of exactly `n` ≥ 2 bytes (1 byte cannot be filled; it never occurs: widths only grow). */
function voidOf(n: number): Uint8Array {
  if (n < 2) throw new MalformedInputError(FORMAT, said('err.fmt.oneByteGapCannot', 'a one-byte gap cannot hold a Void element'));
  const width = n - 1 > 127 ? 8 : 1;
  const out = new Uint8Array(n);
  out.set([0xec], 0);
  out.set(encodeSize(n - 1 - width, width), 1);
  return out;
}

/** The Segment header with its size set to `total` (an unknown size stays unknown). */
function segmentHeader(segment: EbmlElement, total: number): Uint8Array {
  const id = encodeId(ID.Segment);
  if (segment.size < 0) {
    const out = new Uint8Array(id.length + segment.sizeWidth).fill(0xff);
    out.set(id, 0);
    out[id.length] = (0xff >> (segment.sizeWidth - 1)) | (0x80 >> (segment.sizeWidth - 1));
    return out;
  }
  const size = encodeSize(total, segment.sizeWidth);
  if (size.length !== segment.sizeWidth)
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.fmt.segmentSizeFieldBytes', 'the Segment size field of {sizeWidth} bytes cannot hold {total}', {
        sizeWidth: segment.sizeWidth,
        total,
      }),
    );
  return concatBytes([id, size]);
}

/** A rendered SeekHead with a `Seek` entry for `Tags` at `position` added (unless it has one). */
function withSeekEntry(seekHead: Uint8Array, old: EbmlElement, position: number): Uint8Array {
  const idLen = encodeId(ID.SeekHead).length;
  const sizeLen = old.sizeWidth;
  const data = seekHead.subarray(idLen + sizeLen);
  const tagsId = encodeId(TAG_IDS.Tags);
  for (const s of childrenOf(data, old.dataOffset)) {
    if (s.id !== ID.Seek) continue;
    for (const k of childrenOf(data.subarray(s.dataStart, s.end), 0)) {
      if (k.id === ID.SeekID && k.end - k.dataStart === 4 && tagsId.every((b, i) => data[s.dataStart + k.dataStart + i] === b))
        return seekHead;
    }
  }
  const entry = element(ID.Seek, concatBytes([element(ID.SeekID, tagsId), element(ID.SeekPosition, encodeUint(position, 4))]));
  return element(ID.SeekHead, concatBytes([data, entry]), sizeLen);
}

function sniff(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3;
}

function isWebm(head: Uint8Array): boolean {
  const text = new TextDecoder('latin1').decode(head.subarray(0, 64));
  return /\x42\x82[\x80-\x88]webm/.test(text);
}

const NAME = 'Matroska/WebM';

/** Matroska and WebM: `Tags/SimpleTag` `AIGC`; no C2PA manifest (none is defined for Matroska). */
export const mkvHandler: FormatHandler = {
  id: 'mkv',
  name: NAME,
  mediaKind: 'video',
  reencodable: true,
  mimeTypes: ['video/x-matroska', 'video/webm', 'audio/x-matroska', 'audio/webm'],
  extensions: ['mkv', 'webm', 'mka', 'mk3d'],
  hardBinding: 'none',
  sniff,
  variantOf: (head) => (isWebm(head) ? { mime: 'video/webm', extension: 'webm' } : { mime: 'video/x-matroska', extension: 'mkv' }),
  /**
   * Always undefined (C2PA defines no embedding for Matroska); the segment layout is checked.
   * @throws {MalformedInputError} {@link LimitExceededError} for a malformed file.
   */
  async readManifest(src) {
    await parse(src);
    return undefined;
  },
  ...labelOnlyPlans(NAME, rewrite),
  /** @throws {MalformedInputError} {@link LimitExceededError} */
  async readLabels(src): Promise<FoundLabel[]> {
    const { children } = await parse(src);
    const out: FoundLabel[] = [];
    for (const c of children) {
      if (c.id !== TAG_IDS.Tags) continue;
      for (const raw of aigcValues(await dataOf(src, c), c.dataOffset)) out.push({ kind: 'gb45438', foundIn: MKV_CARRIER, raw });
    }
    return out;
  },
};
