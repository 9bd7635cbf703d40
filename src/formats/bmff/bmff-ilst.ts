/**
 * Reading the QuickTime / iTunes metadata inside a `meta` box: the `hdlr` handler
 * (`mdta` = keyed metadata, `mdir` = iTunes item list), the `keys` table and the
 * `ilst` items with their `mean`/`name`/`data` children. Only headers and small
 * boxes are read; every length is checked before anything is allocated.
 */
import { fourcc } from '../../binary/bytes.ts';
import type { ByteSource } from '../../binary/byte-source.ts';
import { MAX_METADATA_BYTES } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { BMFF, type BoxHeader, boxEnd, listBoxes, listChildren, payloadStart } from './bmff-boxes.ts';

/** One `keys` entry: namespace (`mdta`) and key name (`AIGC`, `com.apple.quicktime.make`…). */
export interface KeyEntry {
  readonly namespace: string;
  readonly name: string;
}

/** The `data` child of an `ilst` item. */
export interface DataInfo {
  readonly box: BoxHeader;
  /** Well-known type (1 = UTF-8, 2 = UTF-16, 21 = integer…); the type-set byte is dropped. */
  readonly wellKnownType: number;
  readonly valueOffset: number;
  readonly valueLength: number;
}

/** One `ilst` item. */
export interface IlstItem {
  readonly box: BoxHeader;
  /** Item type as a big-endian u32: for `mdta` lists, the 1-based key index. */
  readonly index: number;
  /** `mean` and `name` of a `----` item. */
  readonly mean?: string;
  readonly name?: string;
  /** The first `data` child. */
  readonly data?: DataInfo;
  readonly children: BoxHeader[];
}

/** What a `meta` box holds. */
export interface MetaInfo {
  readonly meta: BoxHeader;
  readonly handler?: string;
  readonly children: BoxHeader[];
  readonly keysBox?: BoxHeader;
  readonly keys: KeyEntry[];
  readonly ilst?: BoxHeader;
  readonly items: IlstItem[];
}

const utf8 = new TextDecoder('utf-8');

/**
 * Read a small box's payload, refusing more than `MAX_METADATA_BYTES`.
 * @throws {LimitExceededError}
 */
export async function readSmallPayload(src: ByteSource, box: BoxHeader, skip = 0): Promise<Uint8Array> {
  const start = payloadStart(box) + skip;
  const length = Math.max(0, boxEnd(box) - start);
  if (length > MAX_METADATA_BYTES)
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.fmt.metadataBoxBytes', "'{type}' metadata box of {v2} bytes", { type: box.type, v2: length }),
    );
  return src.read(Math.min(start, boxEnd(box)), length);
}

/**
 * Parse a `meta` box found at `depth`.
 * @throws {MalformedInputError} {@link LimitExceededError}
 */
export async function readMetaInfo(src: ByteSource, meta: BoxHeader, depth: number): Promise<MetaInfo> {
  const { boxes } = await listChildren(src, meta, depth + 1);
  let handler: string | undefined;
  const hdlr = boxes.find((b) => b.type === 'hdlr');
  if (hdlr && boxEnd(hdlr) - payloadStart(hdlr) >= 12) handler = fourcc(await src.read(payloadStart(hdlr) + 8, 4));
  const keysBox = boxes.find((b) => b.type === 'keys');
  const keys = keysBox ? parseKeys(await readSmallPayload(src, keysBox), keysBox.offset) : [];
  const ilst = boxes.find((b) => b.type === 'ilst');
  const items: IlstItem[] = [];
  if (ilst) {
    const list = await listBoxes(src, payloadStart(ilst), boxEnd(ilst), depth + 2);
    for (const box of list.boxes) items.push(await readItem(src, box, depth + 3));
  }
  return {
    meta,
    children: boxes,
    keys,
    items,
    ...(handler ? { handler } : {}),
    ...(keysBox ? { keysBox } : {}),
    ...(ilst ? { ilst } : {}),
  };
}

/**
 * Parse a `keys` payload (FullBox header, entry count, then size/namespace/name entries).
 * @throws {MalformedInputError} when an entry does not fit.
 */
export function parseKeys(p: Uint8Array, at: number): KeyEntry[] {
  if (p.length < 8) throw new MalformedInputError(BMFF, said('err.fmt.keysTooShort', "'keys' too short"), at);
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const count = dv.getUint32(4);
  if (count > (p.length - 8) / 8)
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.keysDeclaresEntriesBytes', "'keys' declares {count} entries in {v2} bytes", { count, v2: p.length }),
      at,
    );
  const out: KeyEntry[] = [];
  let pos = 8;
  for (let i = 0; i < count; i++) {
    if (p.length - pos < 8)
      throw new MalformedInputError(BMFF, said('err.fmt.keysEntryTruncated', "'keys' entry {v1} is truncated", { v1: i + 1 }), at + pos);
    const size = dv.getUint32(pos);
    if (size < 8 || size > p.length - pos)
      throw new MalformedInputError(
        BMFF,
        said('err.fmt.keysEntryHasSize', "'keys' entry {v1} has size {size}", { v1: i + 1, size }),
        at + pos,
      );
    out.push({ namespace: fourcc(p, pos + 4), name: utf8.decode(p.subarray(pos + 8, pos + size)) });
    pos += size;
  }
  return out;
}

async function readItem(src: ByteSource, box: BoxHeader, depth: number): Promise<IlstItem> {
  const head = await src.read(box.offset + 4, 4);
  const index = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
  const { boxes } = await listBoxes(src, payloadStart(box), boxEnd(box), depth);
  let mean: string | undefined;
  let name: string | undefined;
  let data: DataInfo | undefined;
  for (const c of boxes) {
    if (c.type === 'mean' && mean === undefined) mean = utf8.decode(await readSmallPayload(src, c, 4));
    else if (c.type === 'name' && name === undefined) name = utf8.decode(await readSmallPayload(src, c, 4));
    else if (c.type === 'data' && !data) {
      const p = payloadStart(c);
      if (boxEnd(c) - p < 8) throw new MalformedInputError(BMFF, said('err.fmt.dataTooShort', "'data' too short"), c.offset);
      const t = await src.read(p, 4);
      data = { box: c, wellKnownType: ((t[1]! << 16) | (t[2]! << 8) | t[3]!) >>> 0, valueOffset: p + 8, valueLength: boxEnd(c) - p - 8 };
    }
  }
  return {
    box,
    index,
    children: boxes,
    ...(mean !== undefined ? { mean } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(data ? { data } : {}),
  };
}

/**
 * The text of an item's `data` when it is UTF-8 (type 1) or UTF-16 BE (type 2).
 * @throws {LimitExceededError} above `MAX_METADATA_BYTES`.
 */
export async function readItemText(src: ByteSource, item: IlstItem): Promise<string | undefined> {
  const d = item.data;
  if (!d || (d.wellKnownType !== 1 && d.wellKnownType !== 2)) return undefined;
  if (d.valueLength > MAX_METADATA_BYTES)
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.fmt.dataValueBytes', "'data' value of {valueLength} bytes", { valueLength: d.valueLength }),
    );
  const raw = await src.read(d.valueOffset, d.valueLength);
  return new TextDecoder(d.wellKnownType === 1 ? 'utf-8' : 'utf-16be').decode(raw);
}

/** Whether a key or `----` name designates a GB 45438 label (Annex E a: the name contains `AIGC`). */
export function isAigcName(name: string | undefined): boolean {
  return name !== undefined && /aigc/i.test(name);
}

/** The 1-based key indices whose names designate a label. */
export function aigcKeyIndices(info: MetaInfo): number[] {
  const out: number[] = [];
  info.keys.forEach((k, i) => {
    if (isAigcName(k.name)) out.push(i + 1);
  });
  return out;
}

/** Printable form of an item type (`©cmt`, `----`, or `#3` for key index 3). */
export function itemLabel(item: IlstItem, info: MetaInfo): string {
  if (info.handler === 'mdta' && info.keys.length > 0) {
    const k = info.keys[item.index - 1];
    return k ? `keys:${k.name}` : `#${item.index}`;
  }
  if (item.box.type === '----') return `----:${item.mean ?? ''}:${item.name ?? ''}`;
  return item.box.type;
}
