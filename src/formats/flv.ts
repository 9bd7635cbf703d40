/**
 * FLV handler (label only: C2PA defines no manifest embedding for FLV). The GB 45438 label
 * is the AMF0 string property `AIGC` of the `onMetaData` script tag (GB 45438's guide for
 * FLV; ffmpeg shows it as the `AIGC` tag). Writing replaces the property (other properties
 * are copied bit for bit), or adds an `onMetaData` tag right after the header when the file
 * has none. (ffmpeg 5.1 reads AMF0 strings into a 1 KiB buffer: a label with both security
 * data fields is valid AMF0 that ffmpeg reports as "AMF_DATA_TYPE_STRING parsing failed" and
 * skips, while it still plays the file.) Tags after it move by the size difference: the byte offsets `onMetaData` holds
 * (`keyframes.filepositions`) and its `filesize` are updated; audio/video tags are copied.
 *
 * Spec: Adobe FLV/F4V v10.1 Annex E (header, tags, PreviousTagSize, SCRIPTDATA).
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { Part } from '../binary/parts.ts';
import { MAX_FLV_HEAD_TAGS, MAX_METADATA_BYTES } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { serializeGb45438 } from '../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { AMF, amfKey, amfString, AmfReader, type AmfProperty } from './common/amf0.ts';
import { labelOnlyPlans } from './common/label-only.ts';
import { WindowReader } from './common/window-reader.ts';
import type { FormatHandler, FoundLabel } from './types.ts';

const FORMAT = 'flv';
const SCRIPT_TAG = 18;
const ON_META_DATA = 'onMetaData';
/** The property that holds the GB 45438 label. */
export const FLV_AIGC_KEY = 'AIGC';
/** Carrier name reported by {@link flvHandler.readLabels}. */
export const FLV_CARRIER = 'FLV onMetaData AIGC';

/** The `onMetaData` tag as found. */
interface MetaTag {
  /** Offset of the 11-byte tag header. */
  readonly offset: number;
  /** The tag header (type, size, timestamp, stream id). */
  readonly header: Uint8Array;
  /** The tag data. */
  readonly data: Uint8Array;
  /** Where the value (after the `onMetaData` name) starts in `data`, its type and properties. */
  readonly valueStart: number;
  readonly props: AmfProperty[];
  /** Offset just past the tag's PreviousTagSize. */
  readonly end: number;
}

interface Parsed {
  /** Offset of the first tag's header (after the header and PreviousTagSize0). */
  readonly firstTag: number;
  readonly meta?: MetaTag;
}

function u24(b: Uint8Array, at: number): number {
  return (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
}

async function parse(src: ByteSource): Promise<Parsed> {
  const r = new WindowReader(src, FORMAT);
  const head = await r.bytes(0, 9);
  if (!sniff(head)) throw new MalformedInputError(FORMAT, said('err.fmt.notFLVFile', 'not an FLV file'), 0);
  const dataOffset = ((head[5]! << 24) | (head[6]! << 16) | (head[7]! << 8) | head[8]!) >>> 0;
  if (dataOffset < 9 || dataOffset > src.size - 4)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.flvHeaderSizeMalformed', 'FLV header size {dataOffset} is malformed', { dataOffset }),
      5,
    );
  const firstTag = dataOffset + 4;
  let at = firstTag;
  for (let i = 0; i < MAX_FLV_HEAD_TAGS && src.size - at >= 11; i++) {
    const header = new Uint8Array(await r.bytes(at, 11));
    const size = u24(header, 1);
    if (size + 4 > src.size - at - 11)
      throw new MalformedInputError(FORMAT, said('err.fmt.flvTagBytesRuns', 'FLV tag of {size} bytes runs past the end', { size }), at);
    const type = header[0]! & 0x1f;
    if (type === SCRIPT_TAG && !(header[0]! & 0x20)) {
      if (size > MAX_METADATA_BYTES)
        throw new LimitExceededError('MAX_METADATA_BYTES', said('err.fmt.flvScriptTagBytes', 'FLV script tag of {size} bytes', { size }));
      const data = new Uint8Array(await r.bytes(at + 11, size));
      const amf = new AmfReader(data, at + 11);
      if (size > 0 && amf.stringAt(0) === ON_META_DATA) {
        const valueStart = amf.skip(0);
        const t = data[valueStart];
        if (t !== AMF.ecmaArray && t !== AMF.object)
          throw new MalformedInputError(
            FORMAT,
            said('err.fmt.onmetadataHoldsAMF0Type', 'onMetaData holds AMF0 type {t}, not an object or ECMA array', { t }),
            at + 11 + valueStart,
          );
        const { props } = amf.properties(
          valueStart + (t === AMF.ecmaArray ? 5 : 1),
          1,
          t === AMF.ecmaArray ? amf.u32(valueStart + 1) : undefined,
        );
        return { firstTag, meta: { offset: at, header, data, valueStart, props, end: at + 15 + size } };
      }
    }
    at += 15 + size;
  }
  return { firstTag };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Add `delta` to the number at `at` (an AMF0 double, marker included) when it is ≥ `from`. */
function shiftNumber(b: Uint8Array, at: number, delta: number, from: number): void {
  if (b[at] !== AMF.number) return;
  const dv = new DataView(b.buffer, b.byteOffset + at + 1, 8);
  const v = dv.getFloat64(0);
  if (Number.isFinite(v) && v >= from) dv.setFloat64(0, v + delta);
}

/** Fix the offsets `onMetaData` holds after the file grew by `delta` from `from` on. */
function shiftOffsets(value: Uint8Array, delta: number, from: number, oldSize: number): void {
  const amf = new AmfReader(value);
  const t = value[0];
  const { props } = amf.properties(t === AMF.ecmaArray ? 5 : 1, 1, t === AMF.ecmaArray ? amf.u32(1) : undefined);
  for (const p of props) {
    if (p.key === 'filesize') shiftNumber(value, p.start, delta, oldSize);
    if (p.key !== 'keyframes' || value[p.start] !== AMF.object) continue;
    for (const k of amf.properties(p.start + 1, 2).props) {
      if (k.key !== 'filepositions' || value[k.start] !== AMF.strictArray) continue;
      let at = k.start + 5;
      for (let i = amf.u32(k.start + 1); i > 0; i--) {
        shiftNumber(value, at, delta, from);
        at = amf.skip(at, 3);
      }
    }
  }
}

/** A complete script tag (header, data, PreviousTagSize) with `data`. */
function scriptTag(header: Uint8Array | undefined, data: Uint8Array): Uint8Array {
  if (data.length > 0xffffff)
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.fmt.flvScriptTagBytes2', 'FLV script tag of {v1} bytes does not fit a 24-bit size', { v1: data.length }),
    );
  const out = new Uint8Array(15 + data.length);
  if (header) out.set(header, 0);
  else out[0] = SCRIPT_TAG;
  out[1] = data.length >> 16;
  out[2] = (data.length >> 8) & 0xff;
  out[3] = data.length & 0xff;
  out.set(data, 11);
  new DataView(out.buffer).setUint32(11 + data.length, 11 + data.length);
  return out;
}

async function rewrite(src: ByteSource, labels: ImplicitLabels | undefined): Promise<Part[]> {
  const { firstTag, meta } = await parse(src);
  if (!labels?.gb45438) return [{ copy: { offset: 0, length: src.size } }];
  const label = concat([amfKey(FLV_AIGC_KEY), amfString(serializeGb45438(labels.gb45438))]);
  const end = new Uint8Array([0, 0, AMF.objectEnd]);
  if (!meta) {
    const data = concat([amfString(ON_META_DATA), new Uint8Array([AMF.ecmaArray, 0, 0, 0, 1]), label, end]);
    return [
      { copy: { offset: 0, length: firstTag } },
      { bytes: scriptTag(undefined, data) },
      { copy: { offset: firstTag, length: src.size - firstTag } },
    ];
  }
  const kept = meta.props.filter((p) => p.key !== FLV_AIGC_KEY);
  const isArray = meta.data[meta.valueStart] === AMF.ecmaArray;
  const head = new Uint8Array(isArray ? 5 : 1);
  head[0] = isArray ? AMF.ecmaArray : AMF.object;
  if (isArray) new DataView(head.buffer).setUint32(1, kept.length + 1);
  const value = concat([head, ...kept.map((p) => concat([amfKey(p.key), meta.data.subarray(p.start, p.end)])), label, end]);
  const data = concat([meta.data.subarray(0, meta.valueStart), value]);
  const delta = data.length - meta.data.length;
  if (delta !== 0) shiftOffsets(value, delta, meta.end, src.size);
  const tag = scriptTag(meta.header, concat([meta.data.subarray(0, meta.valueStart), value]));
  return [{ copy: { offset: 0, length: meta.offset } }, { bytes: tag }, { copy: { offset: meta.end, length: src.size - meta.end } }];
}

function sniff(head: Uint8Array): boolean {
  return head.length >= 9 && head[0] === 0x46 && head[1] === 0x4c && head[2] === 0x56 && head[3] === 1;
}

const NAME = 'FLV';

/** FLV: `onMetaData` AMF0 string `AIGC`; no C2PA manifest (none is defined for FLV). */
export const flvHandler: FormatHandler = {
  id: 'flv',
  name: NAME,
  mediaKind: 'video',
  reencodable: true,
  mimeTypes: ['video/x-flv', 'video/flv'],
  extensions: ['flv'],
  hardBinding: 'none',
  sniff,
  /**
   * Always undefined (C2PA defines no embedding for FLV); the header tags are still checked.
   * @throws {MalformedInputError} {@link LimitExceededError} for a malformed file.
   */
  async readManifest(src) {
    await parse(src);
    return undefined;
  },
  ...labelOnlyPlans(NAME, rewrite),
  /** @throws {MalformedInputError} {@link LimitExceededError} */
  async readLabels(src): Promise<FoundLabel[]> {
    const { meta } = await parse(src);
    if (!meta) return [];
    const amf = new AmfReader(meta.data, meta.offset + 11);
    const out: FoundLabel[] = [];
    for (const p of meta.props) {
      const raw = p.key === FLV_AIGC_KEY ? amf.stringAt(p.start) : undefined;
      if (raw !== undefined) out.push({ kind: 'gb45438', foundIn: FLV_CARRIER, raw });
    }
    return out;
  },
};
