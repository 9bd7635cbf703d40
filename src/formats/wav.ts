/**
 * WAV (RIFF `WAVE`, also RF64) handler. The C2PA manifest store travels in a RIFF
 * chunk `C2PA`, always the last chunk (as c2pa-rs writes it). The GB 45438 label is a
 * top-level RIFF chunk `AIGC` whose data is the bare JSON (TC260-PG-202510A), padded
 * to even length, and the same JSON as an `AIGC` item of `LIST/INFO` (GB 45438's guide for
 * RIFF; ffmpeg shows it as a tag), NUL-terminated. Readers also accept XMP in an `_PMX` chunk. Writing a label replaces every
 * existing carrier: one label per file. The IPTC digital source type, when given, goes
 * into the `_PMX` XMP packet (Adobe XMP spec part 3), never the label.
 *
 * Exclusion = the `C2PA` chunk header + data. Audio data is copied, never read.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES } from '../binary/limits.ts';
import { MalformedInputError, MultipleManifestsError, said } from '../errors.ts';
import { serializeGb45438 } from '../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { writeXmpLabels } from '../labels/implicit/xmp.ts';
import {
  buildRiff,
  c2paChunkCarrier,
  chunksWithId,
  RIFF_C2PA_CHUNK_ID,
  readChunkData,
  readRiff,
  sniffRiff,
  type RiffChunk,
  type RiffFile,
  type RiffItem,
} from './common/riff.ts';
import { readRiffManifest } from './common/riff-c2pa.ts';
import { checkManifestLength, makeEmbedPlan } from './common/splice.ts';
import { decodeXmp, encodeXmp, hasLabelContent, stripXmp, xmpCarriers } from './common/xmp-packet.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

const FORMAT = 'wav';
/** Id of the GB 45438 label chunk (top level, or inside `LIST/INFO`). */
export const AIGC_CHUNK_ID = 'AIGC';
/** Id of the chunk holding an XMP packet (Adobe XMP spec part 3, WAV). */
export const XMP_CHUNK_ID = '_PMX';
/** Carrier names reported by {@link wavHandler.readLabels}. */
export const WAV_CARRIERS = { chunk: 'RIFF AIGC chunk', info: 'RIFF LIST/INFO AIGC', xmp: 'RIFF _PMX XMP' } as const;

async function parse(src: ByteSource): Promise<RiffFile> {
  const file = await readRiff(src, FORMAT, 'WAVE');
  if (!file.chunks.some((c) => c.id === 'fmt '))
    throw new MalformedInputError(FORMAT, said('err.fmt.waveFormWithoutFmt', 'WAVE form without a fmt chunk'), 12);
  return file;
}

function isInfoList(c: RiffChunk): boolean {
  return c.id === 'LIST' && c.listType === 'INFO';
}

async function chunkText(src: ByteSource, c: RiffChunk): Promise<string> {
  const data = await readChunkData(src, c, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES');
  return new TextDecoder().decode(data).replace(/\0+$/, '');
}

async function xmpText(src: ByteSource, c: RiffChunk): Promise<string> {
  return decodeXmp(await readChunkData(src, c, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES')).replace(/\0+$/, '');
}

/**
 * Source chunks minus the manifest and, for each property being written, minus its old
 * carriers (`AIGC` chunks and `LIST/INFO` items for the label; `_PMX` is rebuilt).
 */
function keptItems(file: RiffFile, writeLabel: boolean, rebuildXmp: boolean): RiffItem[] {
  const items: RiffItem[] = [];
  for (const c of file.chunks) {
    if (c.id === RIFF_C2PA_CHUNK_ID || (rebuildXmp && c.id === XMP_CHUNK_ID)) continue;
    if (writeLabel && c.id === AIGC_CHUNK_ID) continue;
    if (writeLabel && isInfoList(c) && c.children!.some((k) => k.id === AIGC_CHUNK_ID)) {
      const children = c.children!.filter((k) => k.id !== AIGC_CHUNK_ID).map((chunk) => ({ chunk }));
      if (children.length) items.push({ listType: 'INFO', children });
      continue;
    }
    items.push({ chunk: c });
  }
  return items;
}

/**
 * Put the label into `LIST/INFO` as an `AIGC` item (a NUL-terminated string, as INFO items
 * are; ffmpeg shows it as the `AIGC` tag): appended to the file's INFO list, or a new one.
 */
function addInfoLabel(items: RiffItem[], data: Uint8Array): void {
  const label: RiffItem = { id: AIGC_CHUNK_ID, data };
  const at = items.findIndex((it) => ('listType' in it && it.listType === 'INFO') || ('chunk' in it && isInfoList(it.chunk)));
  if (at < 0) {
    items.push({ listType: 'INFO', children: [label] });
    return;
  }
  const it = items[at]!;
  const children = 'listType' in it ? it.children : (it as { chunk: RiffChunk }).chunk.children!.map((chunk) => ({ chunk }));
  items[at] = { listType: 'INFO', children: [...children, label] };
}

/** The rebuilt `_PMX` packet: the old one without a label, with the digital source type written when given. */
async function rebuiltXmp(src: ByteSource, file: RiffFile, labels: ImplicitLabels): Promise<string | undefined> {
  const old = chunksWithId(file, XMP_CHUNK_ID)[0];
  // the label never stays in XMP next to the AIGC chunk (one label per file); the source type is rewritten in place
  let xmp = old ? stripXmp(await xmpText(src, old), { gb45438: labels.gb45438 }) : undefined;
  if (labels.digitalSourceType !== undefined) xmp = writeXmpLabels(xmp, { digitalSourceType: labels.digitalSourceType });
  return xmp;
}

async function planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const file = await parse(src);
  const write = hasLabelContent(labels) ? labels : undefined;
  const items = keptItems(file, write?.gb45438 !== undefined, write !== undefined);
  if (write) {
    const xmp = await rebuiltXmp(src, file, write);
    if (xmp !== undefined) items.push({ id: XMP_CHUNK_ID, data: encodeXmp(xmp) });
    if (write.gb45438) {
      const json = serializeGb45438(write.gb45438);
      items.push({ id: AIGC_CHUNK_ID, data: new TextEncoder().encode(json) });
      addInfoLabel(items, new TextEncoder().encode(`${json}\0`));
    }
  }
  if (manifestLength > 0) items.push({ id: RIFF_C2PA_CHUNK_ID, data: new Uint8Array(manifestLength) });
  const layout = buildRiff(file, items);
  const placeholderIndex = manifestLength > 0 ? layout.placements[items.length - 1]!.partIndex : -1;
  return makeEmbedPlan({ parts: layout.parts, placeholderIndex }, manifestLength, c2paChunkCarrier);
}

/** WAV: `C2PA` chunk (last) and `AIGC` label chunk. */
export const wavHandler: FormatHandler = {
  id: 'wav',
  name: 'WAV',
  mediaKind: 'audio',
  reencodable: false,
  mimeTypes: ['audio/wav', 'audio/x-wav', 'audio/vnd.wave', 'audio/wave'],
  extensions: ['wav', 'wave'],
  hardBinding: 'data',
  sniff: (head) => sniffRiff(head, 'WAVE'),
  /** @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError} */
  async readManifest(src) {
    return readRiffManifest(src, await parse(src), 'WAV');
  },
  planEmbed,
  async planRemove(src): Promise<RewritePlan> {
    return { parts: (await planEmbed(src, 0)).parts };
  },
  async readLabels(src): Promise<FoundLabel[]> {
    const file = await parse(src);
    const out: FoundLabel[] = [];
    for (const c of file.chunks) {
      if (c.id === AIGC_CHUNK_ID) out.push({ kind: 'gb45438', foundIn: WAV_CARRIERS.chunk, raw: await chunkText(src, c) });
      if (isInfoList(c)) {
        for (const k of c.children!)
          if (k.id === AIGC_CHUNK_ID) out.push({ kind: 'gb45438', foundIn: WAV_CARRIERS.info, raw: await chunkText(src, k) });
      }
      if (c.id === XMP_CHUNK_ID) out.push(...xmpCarriers(WAV_CARRIERS.xmp, await xmpText(src, c)));
    }
    return out;
  },
};
