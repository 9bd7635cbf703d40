/**
 * JPEG handler. C2PA store: contiguous APP11 JPEG-XT segments placed after the last APP0
 * (else right after SOI); the data-hash exclusion spans from the first `FFEB` to the end
 * of the last store segment. Implicit label: XMP in APP1 (`http://ns.adobe.com/xap/1.0/`);
 * EXIF UserComment labels (`{"AIGC":{…}}`) are read, and cleared when a new label is written
 * so the file carries one label. See `formats/README.md` for the contracts.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { blankUserComment, findUserComment, type UserComment } from './common/exif.ts';
import { checkManifestLength, makeEmbedPlan, PLACEHOLDER, spliceEdits, type Edit } from './common/splice.ts';
import { WindowReader, readU32be } from './common/window-reader.ts';
import { decodeXmp, hasLabelContent, isLabelText, mergeXmp, stripXmp, xmpCarriers } from './common/xmp-packet.ts';
import { jpegXmpSegments } from './jpeg-xmp.ts';
import { concatBytes } from '../binary/bytes.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';
import {
  app1Segment,
  c2paGroups,
  EXIF_HEADER,
  jpegCarrierLength,
  readJpegStore,
  renderJpegCarrier,
  walkJpeg,
  XMP_EXT_HEADER,
  XMP_HEADER,
  type JpegLayout,
  type JpegSegment,
} from './jpeg-segments.ts';

export { JPEG_XMP_MAX_BYTES } from './jpeg-xmp.ts';

async function payload(r: WindowReader, s: JpegSegment, skip: number): Promise<Uint8Array> {
  return r.bytes(s.payloadOffset + skip, s.payloadLength - skip);
}

async function open(src: ByteSource): Promise<{ r: WindowReader; layout: JpegLayout }> {
  const r = new WindowReader(src, 'jpeg');
  return { r, layout: await walkJpeg(r) };
}

/** The UserComment of an EXIF segment when it holds a label; malformed EXIF counts as none. */
async function exifLabel(r: WindowReader, s: JpegSegment): Promise<{ tiff: Uint8Array; uc: UserComment } | undefined> {
  const tiff = await payload(r, s, EXIF_HEADER.length);
  try {
    const uc = findUserComment(tiff);
    return uc && isLabelText(uc.text) ? { tiff, uc } : undefined;
  } catch (err) {
    if (err instanceof MalformedInputError && err.format === 'exif') return undefined;
    throw err;
  }
}

/** Reassemble Extended XMP (APP1 `xmp/extension`) packets by GUID. */
async function extendedXmp(r: WindowReader, layout: JpegLayout): Promise<string[]> {
  const parts = new Map<string, { full: number; chunks: { offset: number; seg: JpegSegment }[] }>();
  const h = XMP_EXT_HEADER.length;
  for (const s of layout.segments) {
    if (s.kind !== 'xmp-ext' || s.payloadLength < h + 40 || s.head.length < h + 29) continue;
    const tail = await r.bytes(s.payloadOffset + h, 40);
    const guid = String.fromCharCode(...tail.subarray(0, 32));
    const full = readU32be(tail, 32);
    const offset = readU32be(tail, 36);
    if (full > MAX_METADATA_BYTES)
      throw new LimitExceededError(
        'MAX_METADATA_BYTES',
        said('err.fmt.extendedXMPBytesLarger', 'Extended XMP of {full} bytes is larger than {MAX_METADATA_BYTES}', {
          full,
          MAX_METADATA_BYTES,
        }),
      );
    const e = parts.get(guid) ?? { full, chunks: [] };
    if (e.full !== full)
      throw new MalformedInputError(
        'jpeg',
        said('err.fmt.extendedXMPChunksDisagree', 'Extended XMP chunks disagree on the full length'),
        s.start,
      );
    e.chunks.push({ offset, seg: s });
    parts.set(guid, e);
  }
  const out: string[] = [];
  for (const { full, chunks } of parts.values()) {
    const buf = new Uint8Array(full);
    for (const c of chunks) {
      const data = await payload(r, c.seg, h + 40);
      if (c.offset + data.length > full)
        throw new MalformedInputError(
          'jpeg',
          said('err.fmt.extendedXMPChunkRuns', 'Extended XMP chunk runs past its full length'),
          c.seg.start,
        );
      buf.set(data, c.offset);
    }
    out.push(decodeXmp(buf));
  }
  return out;
}

/** Edits that write `labels` (XMP merge or insert, EXIF label cleared). Returns bytes to insert next to the store. */
async function labelEdits(r: WindowReader, layout: JpegLayout, labels: ImplicitLabels, edits: Edit[]): Promise<Uint8Array | undefined> {
  const xmpSegs = layout.segments.filter((s) => s.kind === 'xmp');
  let newSegment: Uint8Array | undefined;
  for (const [i, s] of xmpSegs.entries()) {
    const old = decodeXmp(await payload(r, s, XMP_HEADER.length));
    const next = i === 0 ? mergeXmp(old, labels) : stripXmp(old, labels);
    if (next !== old) edits.push({ start: s.start, end: s.end, insert: jpegXmpSegments(next, old, labels).map((bytes) => ({ bytes })) });
  }
  if (!xmpSegs.length) newSegment = concatBytes(jpegXmpSegments(mergeXmp(undefined, labels), undefined, labels));
  const exifSegs = layout.segments.filter((s) => s.kind === 'exif');
  if (labels.gb45438 !== undefined) {
    for (const s of exifSegs) {
      const found = await exifLabel(r, s);
      if (!found) continue;
      const body = blankUserComment(found.tiff, found.uc);
      edits.push({ start: s.start, end: s.end, insert: [{ bytes: app1Segment(EXIF_HEADER, body) }] });
    }
  }
  if (newSegment && exifSegs.length) {
    const at = exifSegs[exifSegs.length - 1]!.end;
    edits.push({ start: at, end: at, insert: [{ bytes: newSegment }] });
    return undefined;
  }
  return newSegment;
}

async function plan(src: ByteSource, manifestLength: number, labels: ImplicitLabels | undefined): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const { r, layout } = await open(src);
  const edits: Edit[] = [];
  for (const g of c2paGroups(layout)) for (const s of g) edits.push({ start: s.start, end: s.end, insert: [] });
  const extra = hasLabelContent(labels) ? await labelEdits(r, layout, labels, edits) : undefined;
  const at = layout.app0End ?? 2;
  const insert: Edit['insert'][number][] = [];
  if (manifestLength > 0) insert.push(PLACEHOLDER);
  if (extra) insert.push({ bytes: extra });
  if (insert.length) edits.push({ start: at, end: at, insert });
  const spliced = spliceEdits(layout.size, edits, jpegCarrierLength(manifestLength));
  return makeEmbedPlan(spliced, manifestLength, renderJpegCarrier);
}

/** The JPEG container handler. */
export const jpegHandler: FormatHandler = {
  id: 'jpeg',
  name: 'JPEG',
  mediaKind: 'image',
  reencodable: true,
  mimeTypes: ['image/jpeg'],
  extensions: ['jpg', 'jpeg', 'jpe', 'jfif'],
  hardBinding: 'data',

  sniff(head: Uint8Array): boolean {
    return head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  },

  /**
   * @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError}
   */
  async readManifest(src: ByteSource): Promise<Uint8Array | undefined> {
    const { r, layout } = await open(src);
    return readJpegStore(r, layout);
  },

  /**
   * @throws {MalformedInputError} {@link LimitExceededError} (also when XMP that already has Extended XMP cannot fit one APP1 segment once labelled)
   * @throws {InvalidArgumentError} for a bad `manifestLength`
   */
  async planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
    return plan(src, manifestLength, labels);
  },

  /** @throws {MalformedInputError} {@link LimitExceededError} */
  async planRemove(src: ByteSource): Promise<RewritePlan> {
    return { parts: (await plan(src, 0, undefined)).parts };
  },

  /**
   * Carriers: `XMP (APP1)`, `Extended XMP (APP1)`, `EXIF UserComment`, and `IPTC DigitalSourceType (XMP (APP1))`.
   * @throws {MalformedInputError} {@link LimitExceededError}
   */
  async readLabels(src: ByteSource): Promise<FoundLabel[]> {
    const { r, layout } = await open(src);
    const found: FoundLabel[] = [];
    for (const s of layout.segments) {
      if (s.kind === 'xmp') {
        found.push(...xmpCarriers('XMP (APP1)', decodeXmp(await payload(r, s, XMP_HEADER.length))));
      } else if (s.kind === 'exif') {
        const e = await exifLabel(r, s);
        if (e) found.push({ kind: 'gb45438', foundIn: 'EXIF UserComment', raw: e.uc.text });
      }
    }
    for (const x of await extendedXmp(r, layout)) {
      found.push(...xmpCarriers('Extended XMP (APP1)', x));
    }
    return found;
  },
};
