/**
 * The item-based ISO-BMFF handler: HEIF, HEIC and AVIF still images.
 *
 * - C2PA store: a top-level `uuid` box (C2PA UUID, purpose `manifest`) right after
 *   `ftyp`, as c2pa-rs writes it for these files; an existing one is replaced. The
 *   `iloc` file offsets of every item are patched for the bytes that move
 *   (`bmff/heif-layout.ts`), as `stco`/`co64` are in MP4.
 * - Hard binding: `c2pa.hash.bmff.v3` over the top-level boxes with c2pa-rs's exclusions.
 * - GB 45438 label: `TC260:AIGC` (and the IPTC digital source type) in an XMP item
 *   (`infe` `mime` `application/rdf+xml`, its packet in an `mdat` of its own after `meta`,
 *   `cdsc` to the primary item),
 *   where exiftool reads it; XMP in a top-level `uuid` box is read too.
 * - Refused with {@link UnsupportedFormatError}: image sequences (`moov`), files without `ftyp`.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { fourcc } from '../binary/bytes.ts';
import { MAX_MANIFEST_BYTES } from '../binary/limits.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { isXmpUuidBox } from './bmff/bmff-c2pa-box.ts';
import { BMFF_XMP_CARRIERS, labelsFromXmp, readXmpBox } from './bmff/bmff-xmp.ts';
import { heifTop, planHeifRewrite } from './bmff/heif-layout.ts';
import { readHeifMeta, readItemData, xmpItems } from './bmff/heif-meta.ts';
import { mp4Handler } from './mp4.ts';
import { checkManifestLength } from './common/splice.ts';
import { decodeXmp } from './common/xmp-packet.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

/** `foundIn` of the XMP item. */
export const HEIF_XMP_ITEM = 'XMP (HEIF item)';

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
/** Major brands of item-based image files (ISO/IEC 23008-12, AV1 image format). */
export const HEIF_BRANDS: ReadonlySet<string> = new Set([
  ...AVIF_BRANDS,
  ...HEIC_BRANDS,
  'mif1',
  'mif2',
  'msf1',
  'MiHE',
  'MiHA',
  'MiHB',
  'avci',
  'avcs',
  'vvic',
]);

function brands(head: Uint8Array): { major: string; compatible: string[] } | undefined {
  if (head.length < 16 || fourcc(head, 4) !== 'ftyp') return undefined;
  const size = ((head[0]! << 24) >>> 0) + (head[1]! << 16) + (head[2]! << 8) + head[3]!;
  if (size < 16) return undefined;
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= Math.min(size, head.length); at += 4) compatible.push(fourcc(head, at));
  return { major: fourcc(head, 8), compatible };
}

/** Whether `head` starts with an `ftyp` naming a HEIF/HEIC/AVIF major brand. Never throws. */
export function sniffHeif(head: Uint8Array): boolean {
  const b = brands(head);
  return !!b && HEIF_BRANDS.has(b.major);
}

/** MIME type and extension by brands: AVIF, HEIC, else HEIF. Never throws. */
export function heifVariant(head: Uint8Array): { mime: string; extension: string } {
  const b = brands(head);
  const all = b ? [b.major, ...b.compatible] : [];
  if (b && AVIF_BRANDS.has(b.major)) return { mime: 'image/avif', extension: 'avif' };
  if (b && HEIC_BRANDS.has(b.major)) return { mime: 'image/heic', extension: 'heic' };
  if (all.some((x) => AVIF_BRANDS.has(x))) return { mime: 'image/avif', extension: 'avif' };
  if (all.some((x) => HEIC_BRANDS.has(x))) return { mime: 'image/heic', extension: 'heic' };
  return { mime: 'image/heif', extension: 'heif' };
}

/** The HEIF/HEIC/AVIF handler. */
export const heifHandler: FormatHandler = {
  id: 'heif',
  name: 'HEIF/HEIC/AVIF',
  mediaKind: 'image',
  reencodable: false,
  mimeTypes: ['image/heif', 'image/heic', 'image/avif', 'image/heif-sequence', 'image/heic-sequence', 'image/avif-sequence'],
  extensions: ['heif', 'heic', 'avif', 'hif'],
  hardBinding: 'bmff',

  sniff(head: Uint8Array): boolean {
    try {
      return sniffHeif(head);
    } catch {
      return false;
    }
  },

  variantOf: heifVariant,

  /**
   * The store of the top-level C2PA "manifest" box, or undefined.
   * @throws {MultipleManifestsError} {@link MalformedInputError} {@link LimitExceededError}
   */
  readManifest(src: ByteSource): Promise<Uint8Array | undefined> {
    return mp4Handler.readManifest(src);
  },

  /**
   * Plan the output with a C2PA box of exactly `manifestLength` store bytes after `ftyp`
   * (0 = none) and the labels in the XMP item.
   * @throws {InvalidArgumentError} {@link MalformedInputError} {@link LimitExceededError} {@link UnsupportedFormatError}
   */
  async planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
    checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
    const rw = await planHeifRewrite(src, { ...(manifestLength > 0 ? { manifestLength } : {}), ...(labels ? { labels } : {}) });
    return {
      parts: rw.parts,
      exclusions: [],
      fill(store: Uint8Array) {
        if (!(store instanceof Uint8Array) || store.length !== manifestLength) {
          throw InvalidArgumentError.expected(`a store of exactly ${manifestLength} bytes`, 'store', store);
        }
        const parts = rw.parts.slice();
        if (rw.storeIndex >= 0) parts[rw.storeIndex] = { bytes: store };
        return parts;
      },
    };
  },

  /**
   * Plan the output without any C2PA box (labels kept, `iloc` patched).
   * @throws {MalformedInputError} {@link LimitExceededError} {@link UnsupportedFormatError}
   */
  async planRemove(src: ByteSource): Promise<RewritePlan> {
    return { parts: (await planHeifRewrite(src, {})).parts };
  },

  /**
   * Every label carrier: XMP items (in `iinf` order), then top-level XMP `uuid` boxes.
   * @throws {MalformedInputError} {@link LimitExceededError} {@link UnsupportedFormatError}
   */
  async readLabels(src: ByteSource): Promise<FoundLabel[]> {
    const { boxes, meta: metaBox } = await heifTop(src, { sequences: true });
    const meta = await readHeifMeta(src, metaBox);
    const out: FoundLabel[] = [];
    for (const it of xmpItems(meta)) out.push(...labelsFromXmp(decodeXmp(await readItemData(src, meta, it.id)), HEIF_XMP_ITEM));
    for (const b of boxes.filter(isXmpUuidBox)) out.push(...labelsFromXmp(await readXmpBox(src, b), BMFF_XMP_CARRIERS.uuid));
    return out;
  },
};
