/**
 * RIFF (and RF64) container walker and writer, shared by the WebP, WAV and AVI handlers.
 *
 * Reading is by seeking: only chunk headers (and LIST types) are read, never chunk
 * data. Every size is checked against the bytes left in its container before use,
 * LIST nesting is capped at {@link MAX_RIFF_DEPTH} and the chunk count at
 * {@link MAX_SEGMENTS}. A RIFF size field that disagrees with the file is tolerated
 * when reading (the walk is clamped to the file); writers always emit the true size.
 *
 * Spec: Microsoft/IBM RIFF (1991), EBU Tech 3306 (RF64), Google WebP container.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import type { Part } from '../../binary/parts.ts';
import { fourcc } from '../../binary/bytes.ts';
import { MAX_RIFF_DEPTH, MAX_RIFF_SIZE, MAX_SEGMENTS } from '../../binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { WindowReader } from './window-reader.ts';

/** One chunk as found in the source. Offsets are absolute source offsets. */
export interface RiffChunk {
  /** Four-character chunk id, e.g. `fmt `, `data`, `LIST`, `C2PA`. */
  readonly id: string;
  /** Offset of the 8-byte chunk header. */
  readonly offset: number;
  /** Data size (for RF64 `0xFFFFFFFF` sizes: the 64-bit size from `ds64`). */
  readonly size: number;
  /** Offset of the first data byte (`offset + 8`). */
  readonly dataOffset: number;
  /** Offset just past the data and its pad byte (the pad may be missing at the very end). */
  readonly end: number;
  /** For `LIST` chunks: the list type (`INFO`, `adtl`, ...). */
  readonly listType?: string;
  /** For `LIST` chunks: the sub-chunks. */
  readonly children?: readonly RiffChunk[];
}

/** A walked RIFF/RF64 file. */
export interface RiffFile {
  readonly form: 'RIFF' | 'RF64';
  /** Form type, e.g. `WAVE` or `WEBP`. */
  readonly formType: string;
  /** End of the RIFF form in the source (declared size clamped to the file). */
  readonly end: number;
  /** Top-level chunks in file order (for RF64 the first is `ds64`). */
  readonly chunks: readonly RiffChunk[];
  /** RF64 only: the `ds64` chunk data (its 64-bit RIFF size is rewritten on output). */
  readonly ds64?: Uint8Array;
  /** Size of the source. Bytes in `[end, sourceSize)` are kept after the form on output. */
  readonly sourceSize: number;
}

/** Walk options; the limits default to the named constants. */
export interface RiffReadOptions {
  /** Maximum LIST nesting (default {@link MAX_RIFF_DEPTH}). */
  readonly maxDepth?: number;
  /** Maximum chunks in the whole file (default {@link MAX_SEGMENTS}). */
  readonly maxChunks?: number;
  /**
   * LIST types whose sub-chunks are not walked (their `children` are empty): bulk data such as
   * AVI's `movi`, where every frame is a chunk. The LIST is still bounds-checked and copied whole.
   */
  readonly opaqueLists?: readonly string[];
}

/** Whether `head` starts a RIFF or RF64 form of type `formType` (e.g. `WAVE`). Never throws. */
export function sniffRiff(head: Uint8Array, formType: string): boolean {
  if (head.length < 12) return false;
  const form = fourcc(head, 0);
  return (form === 'RIFF' || form === 'RF64') && fourcc(head, 8) === formType;
}

/**
 * Walk the RIFF form of `src`, descending into every `LIST`.
 * @param format grammar name for errors (`wav`, `webp`).
 * @throws {MalformedInputError} when the header is not `RIFF`/`RF64` + `formType`, a chunk id is
 *   not printable ASCII, or a size runs past its container.
 * @throws {LimitExceededError} past {@link MAX_RIFF_DEPTH} or {@link MAX_SEGMENTS}.
 */
export async function readRiff(src: ByteSource, format: string, formType: string, opts: RiffReadOptions = {}): Promise<RiffFile> {
  const r = new WindowReader(src, format);
  const head = await r.bytes(0, 12);
  const form = fourcc(head, 0);
  if ((form !== 'RIFF' && form !== 'RF64') || fourcc(head, 8) !== formType) {
    throw new MalformedInputError(format, said('err.fmt.notRIFFFile', 'not a RIFF {formType} file', { formType }), 0);
  }
  let declared = u32le(head, 4);
  let ds64: Uint8Array | undefined;
  let table = new Map<string, number>();
  if (form === 'RF64') {
    ({ ds64, table, declared } = await readDs64(r, format, declared));
  }
  const declaredEnd = 8 + declared;
  const end = declaredEnd > src.size || declaredEnd < 12 ? src.size : declaredEnd;
  const ctx: WalkContext = {
    r,
    format,
    table,
    count: 0,
    maxDepth: opts.maxDepth ?? MAX_RIFF_DEPTH,
    maxChunks: opts.maxChunks ?? MAX_SEGMENTS,
    opaque: new Set(opts.opaqueLists ?? []),
  };
  const chunks = await walk(ctx, 12, end, 0);
  return { form, formType, end, chunks, ds64, sourceSize: src.size };
}

interface WalkContext {
  readonly r: WindowReader;
  readonly format: string;
  readonly table: Map<string, number>;
  readonly maxDepth: number;
  readonly maxChunks: number;
  readonly opaque: ReadonlySet<string>;
  count: number;
}

async function readDs64(r: WindowReader, format: string, headerSize: number) {
  const h = await r.bytes(12, 8);
  if (fourcc(h, 0) !== 'ds64')
    throw new MalformedInputError(format, said('err.fmt.rf64FileWithoutLeading', 'RF64 file without a leading ds64 chunk'), 12);
  const size = u32le(h, 4);
  if (size < 28 || size > r.size - 20)
    throw new MalformedInputError(
      format,
      said('err.fmt.ds64ChunkBytesMalformed', 'ds64 chunk of {size} bytes is malformed or runs past the end', { size }),
      12,
    );
  const data = (await r.bytes(20, size)).slice();
  const riffSize = u64le(data, 0, format, 20);
  const dataSize = u64le(data, 8, format, 28);
  const tableLength = u32le(data, 24);
  if (tableLength > (size - 28) / 12)
    throw new MalformedInputError(
      format,
      said('err.fmt.ds64TableEntriesRuns', 'ds64 table of {tableLength} entries runs past the chunk', { tableLength }),
      44,
    );
  const table = new Map<string, number>([['data', dataSize]]);
  for (let i = 0; i < tableLength; i++) table.set(fourcc(data, 28 + i * 12), u64le(data, 32 + i * 12, format, 48 + i * 12));
  return { ds64: data, table, declared: headerSize === 0xffffffff ? riffSize : headerSize };
}

async function walk(ctx: WalkContext, start: number, end: number, depth: number): Promise<RiffChunk[]> {
  const { r, format } = ctx;
  const chunks: RiffChunk[] = [];
  let pos = start;
  while (end - pos >= 8) {
    if (++ctx.count > ctx.maxChunks)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.moreRIFFChunks', 'more than {maxChunks} RIFF chunks', { maxChunks: ctx.maxChunks }),
      );
    const h = await r.bytes(pos, 8);
    if (!isChunkId(h))
      throw new MalformedInputError(
        format,
        said('err.fmt.invalidChunkId', 'invalid chunk id {v1}', { v1: JSON.stringify(fourcc(h, 0)) }),
        pos,
      );
    const id = fourcc(h, 0);
    let size = u32le(h, 4);
    if (size === 0xffffffff && ctx.table.has(id)) size = ctx.table.get(id)!;
    const dataOffset = pos + 8;
    if (size > end - dataOffset) {
      throw new MalformedInputError(
        format,
        said('err.fmt.chunkBytesRunsPast', "chunk '{id}' of {size} bytes runs past the end of its container ({v3} bytes left)", {
          id,
          size,
          v3: end - dataOffset,
        }),
        pos,
      );
    }
    const dataEnd = dataOffset + size;
    const chunkEnd = size % 2 === 1 && dataEnd < end ? dataEnd + 1 : dataEnd;
    if (id === 'LIST') {
      if (size < 4)
        throw new MalformedInputError(
          format,
          said('err.fmt.listChunkBytesHas', 'LIST chunk of {size} bytes has no list type', { size }),
          pos,
        );
      if (depth + 1 > ctx.maxDepth)
        throw new LimitExceededError(
          'MAX_RIFF_DEPTH',
          said('err.fmt.riffLISTChunksNested', 'RIFF LIST chunks nested more than {maxDepth} deep', { maxDepth: ctx.maxDepth }),
        );
      const listType = fourcc(await r.bytes(dataOffset, 4), 0);
      const children = ctx.opaque.has(listType) ? [] : await walk(ctx, dataOffset + 4, dataEnd, depth + 1);
      chunks.push({ id, offset: pos, size, dataOffset, end: chunkEnd, listType, children });
    } else {
      chunks.push({ id, offset: pos, size, dataOffset, end: chunkEnd });
    }
    pos = chunkEnd;
  }
  if (pos < end) {
    const rest = await r.bytes(pos, end - pos);
    if (rest.some((b) => b !== 0))
      throw new MalformedInputError(
        format,
        said('err.fmt.strayBytesWhereChunk', '{v1} stray bytes where a chunk header was expected', { v1: end - pos }),
        pos,
      );
  }
  return chunks;
}

/**
 * Read a copy of a chunk's data (at most `max` bytes).
 * @throws {LimitExceededError} when the chunk is larger than `max` (named by `limitName`).
 * @throws {MalformedInputError} when the source is truncated.
 */
export async function readChunkData(src: ByteSource, chunk: RiffChunk, max: number, limitName: string): Promise<Uint8Array> {
  if (chunk.size > max)
    throw new LimitExceededError(
      limitName,
      said('err.fmt.riffChunkHoldsBytes', "RIFF chunk '{id}' holds {size} bytes, more than {max}", { id: chunk.id, size: chunk.size, max }),
    );
  return (await src.read(chunk.dataOffset, chunk.size)).slice();
}

/** One entry of an output chunk list. */
export type RiffItem =
  /** A source chunk copied verbatim (header, data, pad). */
  | { readonly chunk: RiffChunk }
  /** A new chunk with these data bytes (a pad byte is added when odd). */
  | { readonly id: string; readonly data: Uint8Array }
  /** A rebuilt `LIST` of the given type. */
  | { readonly listType: string; readonly children: readonly RiffItem[] };

/** Output of {@link buildRiff}. */
export interface RiffLayout {
  readonly parts: Part[];
  /** Per top-level item: index of its first part and its output offset. */
  readonly placements: readonly { readonly partIndex: number; readonly offset: number }[];
}

/**
 * Rebuild a RIFF form from `items` (top level, in order) and fix the RIFF size (for
 * RF64, the 64-bit size in `ds64`). New chunks are emitted as one part holding header
 * and data (so a manifest placeholder is one part) plus a separate pad byte when odd.
 * Bytes after the source form (`[file.end, sourceSize)`) are kept at the end.
 * @throws {LimitExceededError} when a plain RIFF form would exceed {@link MAX_RIFF_SIZE}.
 * @throws {InvalidArgumentError} for a chunk id that is not four ASCII characters.
 */
export function buildRiff(file: RiffFile, items: readonly RiffItem[]): RiffLayout {
  const parts: Part[] = [];
  const placements: { partIndex: number; offset: number }[] = [];
  let at = 12;
  const push = (p: Part) => {
    parts.push(p);
    at += 'copy' in p ? p.copy.length : p.bytes.length;
  };
  parts.push({ bytes: new Uint8Array(12) }); // header, patched below
  for (const item of items) {
    placements.push({ partIndex: parts.length, offset: at });
    emitItem(item, file, push);
  }
  const riffSize = at - 8;
  const header = new Uint8Array(12);
  header.set(ascii4(file.form), 0);
  header.set(ascii4(file.formType), 8);
  if (file.form === 'RF64') {
    writeU32le(header, 4, 0xffffffff);
    const ds = parts.find((p, i) => i > 0 && 'bytes' in p && fourcc(p.bytes, 0) === 'ds64');
    if (ds && 'bytes' in ds) writeU64le(ds.bytes, 8, riffSize);
  } else {
    if (riffSize > MAX_RIFF_SIZE)
      throw new LimitExceededError(
        'MAX_RIFF_SIZE',
        said('err.fmt.riffFormBytesDoes', 'RIFF form of {riffSize} bytes does not fit a 32-bit size', { riffSize }),
      );
    writeU32le(header, 4, riffSize);
  }
  parts[0] = { bytes: header };
  if (file.sourceSize > file.end) parts.push({ copy: { offset: file.end, length: file.sourceSize - file.end } });
  return { parts, placements };
}

function emitItem(item: RiffItem, file: RiffFile, push: (p: Part) => void): void {
  if ('chunk' in item) {
    const c = item.chunk;
    if (c.id === 'ds64' && file.ds64) {
      push({ bytes: chunkBytes('ds64', file.ds64) });
      return;
    }
    push({ copy: { offset: c.offset, length: c.end - c.offset } });
    if (c.size % 2 === 1 && c.end === c.dataOffset + c.size) push({ bytes: new Uint8Array(1) });
  } else if ('data' in item) {
    const head = chunkHeader(item.id, item.data.length);
    const b = new Uint8Array(8 + item.data.length);
    b.set(head, 0);
    b.set(item.data, 8);
    push({ bytes: b });
    if (item.data.length % 2 === 1) push({ bytes: new Uint8Array(1) });
  } else {
    const sub: Part[] = [];
    let len = 4;
    for (const child of item.children) {
      emitItem(child, file, (p) => {
        sub.push(p);
        len += 'copy' in p ? p.copy.length : p.bytes.length;
      });
    }
    const head = new Uint8Array(12);
    head.set(chunkHeader('LIST', len), 0);
    head.set(ascii4(item.listType), 8);
    push({ bytes: head });
    for (const p of sub) push(p);
  }
}

/** 8-byte chunk header: id + little-endian u32 size. @throws {InvalidArgumentError} for a bad id or size. */
export function chunkHeader(id: string, size: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 0 || size > 0xfffffffe)
    throw InvalidArgumentError.expected('a chunk size below 2^32-1', 'size', size);
  const h = new Uint8Array(8);
  h.set(ascii4(id), 0);
  writeU32le(h, 4, size);
  return h;
}

/** A complete chunk: header, data and the pad byte when the size is odd. */
export function chunkBytes(id: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + (data.length % 2));
  out.set(chunkHeader(id, data.length), 0);
  out.set(data, 8);
  return out;
}

/** Id of the RIFF chunk that carries a C2PA manifest store (WebP, WAV, AVI). */
export const RIFF_C2PA_CHUNK_ID = 'C2PA';

/**
 * The excluded bytes of a `C2PA` chunk: header + store, without the pad byte (the pad
 * follows as its own part and is hashed, as c2pa-rs does).
 */
export function c2paChunkCarrier(store: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + store.length);
  out.set(chunkHeader(RIFF_C2PA_CHUNK_ID, store.length), 0);
  out.set(store, 8);
  return out;
}

/** Top-level chunks with this id. */
export function chunksWithId(file: RiffFile, id: string): RiffChunk[] {
  return file.chunks.filter((c) => c.id === id);
}

/** Little-endian u32 at `at` (caller checked bounds). */
export function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function u64le(b: Uint8Array, at: number, format: string, offset: number): number {
  const lo = u32le(b, at);
  const hi = u32le(b, at + 4);
  const v = hi * 0x1_0000_0000 + lo;
  if (!Number.isSafeInteger(v))
    throw new MalformedInputError(
      format,
      said('err.fmt.bitSizeExceedsNumber', '64-bit size {hi}:{lo} exceeds Number.MAX_SAFE_INTEGER', { hi, lo }),
      offset,
    );
  return v;
}

function writeU32le(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

function writeU64le(b: Uint8Array, at: number, v: number): void {
  writeU32le(b, at, v % 0x1_0000_0000);
  writeU32le(b, at + 4, Math.floor(v / 0x1_0000_0000));
}

function isChunkId(h: Uint8Array): boolean {
  for (let i = 0; i < 4; i++) if (h[i]! < 0x20 || h[i]! > 0x7e) return false;
  return true;
}

function ascii4(id: string): Uint8Array {
  if (id.length !== 4 || !/^[\x20-\x7e]{4}$/.test(id)) throw InvalidArgumentError.expected('a four-character ASCII chunk id', 'id', id);
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  return out;
}
