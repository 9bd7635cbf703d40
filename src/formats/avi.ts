/**
 * AVI (RIFF `AVI `) handler. The C2PA manifest store travels in a RIFF chunk `C2PA`, the last
 * chunk of the first RIFF form (c2pa-rs's RIFF handler; OpenDML `AVIX` forms after it are
 * kept). The GB 45438 label is an `AIGC` item of `LIST/INFO` (GB 45438's guide for AVI;
 * ffmpeg shows it as the `AIGC` tag), NUL-terminated.
 *
 * Nothing before the end of `movi` moves: OpenDML indexes (`indx`, `ix##`) and some `idx1`
 * tables hold absolute offsets. The label goes into the run of `LIST/INFO` and `JUNK` chunks
 * just before `movi` (ffmpeg leaves 1 KiB of `JUNK` there for tag editing), which keeps its
 * size (the `JUNK` shrinks or grows). When it does not fit, it goes into a `LIST/INFO` after
 * the index (ffmpeg reads INFO lists there too); old `AIGC` items elsewhere before `movi` (in
 * another INFO list, or one inside `hdrl`) give way to a `JUNK` chunk of their size. `movi` is
 * copied, never walked.
 *
 * Exclusion = the `C2PA` chunk header + data (as WebP and WAV).
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES } from '../binary/limits.ts';
import { MalformedInputError, MultipleManifestsError, said } from '../errors.ts';
import { serializeGb45438 } from '../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import {
  buildRiff,
  c2paChunkCarrier,
  RIFF_C2PA_CHUNK_ID,
  type RiffChunk,
  type RiffFile,
  type RiffItem,
  readChunkData,
  readRiff,
  sniffRiff,
} from './common/riff.ts';
import { readRiffManifest } from './common/riff-c2pa.ts';
import { checkManifestLength, makeEmbedPlan } from './common/splice.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

const FORMAT = 'avi';
/** Id of the label item inside `LIST/INFO`. */
export const AVI_AIGC_ID = 'AIGC';
/** Carrier name reported by {@link aviHandler.readLabels}. */
export const AVI_CARRIER = 'RIFF LIST/INFO AIGC';

async function parse(src: ByteSource): Promise<RiffFile> {
  const file = await readRiff(src, FORMAT, 'AVI ', { opaqueLists: ['movi'] });
  if (file.form !== 'RIFF')
    throw new MalformedInputError(FORMAT, said('err.fmt.aviMustUseRIFF', 'AVI must use a RIFF (not RF64) header'), 0);
  if (!file.chunks.some(isMovi))
    throw new MalformedInputError(FORMAT, said('err.fmt.aviFormWithoutMovi', 'AVI form without a movi list'), 12);
  return file;
}

const isMovi = (c: RiffChunk): boolean => c.id === 'LIST' && c.listType === 'movi';
const isInfo = (c: RiffChunk): boolean => c.id === 'LIST' && c.listType === 'INFO';
/** Output size of a copied chunk (a missing pad byte is added on output). */
const chunkSize = (c: RiffChunk): number => c.end - c.offset + (c.size % 2 === 1 && c.end === c.dataOffset + c.size ? 1 : 0);
/** Output size of a new chunk with `n` data bytes (header + data + pad). */
const itemSize = (n: number): number => 8 + n + (n % 2);

/** INFO items without the label, as items to copy. */
function infoItemsWithoutLabel(c: RiffChunk): RiffItem[] {
  return c.children!.filter((k) => k.id !== AVI_AIGC_ID).map((chunk) => ({ chunk }));
}

/** Whether `c` is, or holds, a `LIST/INFO` with an `AIGC` item. */
function holdsLabel(c: RiffChunk): boolean {
  if (isInfo(c)) return c.children!.some((k) => k.id === AVI_AIGC_ID);
  return c.id === 'LIST' && !!c.children?.some(holdsLabel);
}

/**
 * `c` without its `AIGC` items, at the same size (nothing after it moves): an INFO list loses
 * the items and is followed by a `JUNK` chunk of their size (each item is ≥ 8 bytes, so the
 * filler always fits), an INFO list left empty becomes `JUNK`, and a LIST holding such an INFO
 * list (`hdrl`) is rebuilt around it.
 */
function withoutLabels(c: RiffChunk): RiffItem[] {
  if (!holdsLabel(c)) return [{ chunk: c }];
  if (!isInfo(c)) return [{ listType: c.listType!, children: c.children!.flatMap(withoutLabels) }];
  const kept = infoItemsWithoutLabel(c);
  const used = kept.length ? infoListSize(kept, 0) : 0;
  const filler: RiffItem = { id: 'JUNK', data: new Uint8Array(chunkSize(c) - used - 8) };
  return kept.length ? [{ listType: 'INFO', children: kept }, filler] : [filler];
}

function infoListSize(children: readonly RiffItem[], extra: number): number {
  let n = 12 + extra;
  for (const it of children) n += 'chunk' in it ? chunkSize(it.chunk) : 0;
  return n;
}

/**
 * Rebuild the `LIST/INFO` + `JUNK` run just before `movi` at the same size, holding `label`
 * when it fits. Returns the items and whether the label went in.
 */
function rebuildRegion(region: readonly RiffChunk[], label: Uint8Array): { items: RiffItem[]; placed: boolean } {
  const total = region.reduce((n, c) => n + chunkSize(c), 0);
  const children = region.filter(isInfo).flatMap(infoItemsWithoutLabel);
  const fill = (used: number, items: RiffItem[]): RiffItem[] | undefined => {
    const slack = total - used;
    if (slack === 0) return items;
    return slack >= 8 ? [...items, { id: 'JUNK', data: new Uint8Array(slack - 8) }] : undefined;
  };
  const withLabel = fill(infoListSize(children, itemSize(label.length)), [
    { listType: 'INFO', children: [...children, { id: AVI_AIGC_ID, data: label }] },
  ]);
  if (withLabel && total > 0) return { items: withLabel, placed: true };
  const without = fill(children.length ? infoListSize(children, 0) : 0, children.length ? [{ listType: 'INFO', children }] : []);
  // Removing items (≥ 8 bytes each) or merging lists (12 bytes each) always leaves 0 or ≥ 8 bytes.
  return { items: without ?? region.map((chunk) => ({ chunk })), placed: false };
}

async function planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const file = await parse(src);
  const chunks = file.chunks.filter((c) => c.id !== RIFF_C2PA_CHUNK_ID);
  const items: RiffItem[] = [];
  const gb = labels?.gb45438;
  if (!gb) {
    for (const chunk of chunks) items.push({ chunk });
  } else {
    const label = new TextEncoder().encode(`${serializeGb45438(gb)}\0`);
    const movi = chunks.findIndex(isMovi);
    let start = movi;
    while (start > 0 && (isInfo(chunks[start - 1]!) || chunks[start - 1]!.id === 'JUNK')) start--;
    const region = rebuildRegion(chunks.slice(start, movi), label);
    chunks.forEach((c, i) => {
      if (i === start) items.push(...region.items);
      if (i >= start && i < movi) return;
      if (i < movi) items.push(...withoutLabels(c));
      else if (!isInfo(c)) items.push({ chunk: c });
      else {
        const kept = infoItemsWithoutLabel(c);
        if (kept.length) items.push(kept.length === c.children!.length ? { chunk: c } : { listType: 'INFO', children: kept });
      }
    });
    if (!region.placed) items.push({ listType: 'INFO', children: [{ id: AVI_AIGC_ID, data: label }] });
  }
  if (manifestLength > 0) items.push({ id: RIFF_C2PA_CHUNK_ID, data: new Uint8Array(manifestLength) });
  const layout = buildRiff(file, items);
  const placeholderIndex = manifestLength > 0 ? layout.placements[items.length - 1]!.partIndex : -1;
  return makeEmbedPlan({ parts: layout.parts, placeholderIndex }, manifestLength, c2paChunkCarrier);
}

/** Every `LIST/INFO` (top level or inside `hdrl`) in file order. */
function infoLists(chunks: readonly RiffChunk[]): RiffChunk[] {
  return chunks.flatMap((c) => (isInfo(c) ? [c] : c.id === 'LIST' && c.children ? infoLists(c.children) : []));
}

/** AVI: `C2PA` chunk (last) and `LIST/INFO` `AIGC`. */
export const aviHandler: FormatHandler = {
  id: 'avi',
  name: 'AVI',
  mediaKind: 'video',
  reencodable: true,
  mimeTypes: ['video/x-msvideo', 'video/avi', 'video/msvideo'],
  extensions: ['avi'],
  hardBinding: 'data',
  sniff: (head) => sniffRiff(head, 'AVI '),
  /** @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError} */
  async readManifest(src) {
    return readRiffManifest(src, await parse(src), 'AVI');
  },
  planEmbed,
  async planRemove(src): Promise<RewritePlan> {
    return { parts: (await planEmbed(src, 0)).parts };
  },
  async readLabels(src): Promise<FoundLabel[]> {
    const out: FoundLabel[] = [];
    for (const list of infoLists((await parse(src)).chunks)) {
      for (const k of list.children!) {
        if (k.id !== AVI_AIGC_ID) continue;
        const data = await readChunkData(src, k, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES');
        out.push({ kind: 'gb45438', foundIn: AVI_CARRIER, raw: new TextDecoder().decode(data).replace(/\0+$/, '') });
      }
    }
    return out;
  },
};
