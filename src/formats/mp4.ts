/**
 * The ISO-BMFF handler: MP4, MOV (QuickTime with `ftyp`), M4A/M4V and 3GP.
 *
 * - C2PA store: a top-level `uuid` box (D8FEC3D6-1B0E-483C-9297-5828877EC481, FullBox
 *   v0/0, "manifest\0", u64 Merkle offset 0, store) right after `ftyp`; an existing
 *   one is replaced. Chunk offsets (`stco`/`co64`, `saio`) are patched for every byte
 *   that moves, `stco` widened to `co64` past 4 GiB.
 * - Hard binding: `c2pa.hash.bmff.v3` (see `binding/bmff-hash.ts`), so `exclusions` of
 *   the data-hash interface are always empty.
 * - GB 45438 label: `moov/udta/meta` `mdta` key `AIGC` (ffmpeg `use_metadata_tags`
 *   layout); read back also from QuickTime/phone variants and XMP.
 * - Fragmented files (`moof`s in one file) are stamped as c2pa-rs signs them: the same
 *   flat hash, `tfhd` base data offsets and `tfra` entries patched.
 * - Refused with {@link UnsupportedFormatError}: item-based files (`meta/iloc`, HEIF, see
 *   `heif.ts`), files without `ftyp`.
 *
 * Files are never loaded: only box headers, `moov` (≤ `MAX_BMFF_MOOV_BYTES`) and
 * metadata boxes are read; output plans copy `mdat` by range.
 */
import { fourcc } from '../binary/bytes.ts';
import type { ByteSource } from '../binary/byte-source.ts';
import { InvalidArgumentError, MultipleManifestsError, said } from '../errors.ts';
import { MAX_MANIFEST_BYTES } from '../binary/limits.ts';
import { checkManifestLength } from './common/splice.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { listBoxes } from './bmff/bmff-boxes.ts';
import { C2PA_MANIFEST_PURPOSE, isC2paBox, readC2paBoxInfo, readC2paStore } from './bmff/bmff-c2pa-box.ts';
import { planBmffRewrite } from './bmff/bmff-layout.ts';
import { readBmffLabels } from './bmff/bmff-meta-read.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

/** `ftyp` brands this handler takes (major or compatible). */
export const MP4_BRANDS: ReadonlySet<string> = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso7',
  'iso8',
  'iso9',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'hvc1',
  'M4A ',
  'M4V ',
  'M4B ',
  'M4P ',
  'F4V ',
  'F4A ',
  'qt  ',
  'mmp4',
  'MSNV',
  'XAVC',
  'NDAS',
  'dash',
  'CAEP',
  'caqv',
  '3gp4',
  '3gp5',
  '3gp6',
  '3gp7',
  '3gp8',
  '3gp9',
  '3g2a',
  '3g2b',
  '3g2c',
  '3ge6',
  '3ge7',
  '3gg6',
]);

/** Major brands of item-based (image) ISO-BMFF files, left to an image handler. */
const IMAGE_BRANDS: ReadonlySet<string> = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'crx ']);

/** Whether `head` starts with an `ftyp` box naming a movie/audio brand. Never throws. */
export function sniffMp4(head: Uint8Array): boolean {
  if (head.length < 12 || fourcc(head, 4) !== 'ftyp') return false;
  const size = ((head[0]! << 24) >>> 0) + (head[1]! << 16) + (head[2]! << 8) + head[3]!;
  if (size < 16) return false;
  const major = fourcc(head, 8);
  if (IMAGE_BRANDS.has(major)) return false;
  if (MP4_BRANDS.has(major) || major.startsWith('3g')) return true;
  for (let at = 16; at + 4 <= Math.min(size, head.length); at += 4) {
    if (MP4_BRANDS.has(fourcc(head, at))) return true;
  }
  return false;
}

/** MIME type and extension by `ftyp` major brand, where it is not plain MP4 video. */
const BRAND_VARIANTS: Readonly<Record<string, { mime: string; extension: string }>> = {
  'M4A ': { mime: 'audio/mp4', extension: 'm4a' },
  'M4B ': { mime: 'audio/mp4', extension: 'm4b' },
  'M4P ': { mime: 'audio/mp4', extension: 'm4a' },
  'F4A ': { mime: 'audio/mp4', extension: 'm4a' },
  'M4V ': { mime: 'video/x-m4v', extension: 'm4v' },
  'qt  ': { mime: 'video/quicktime', extension: 'mov' },
};

/** The MIME type and extension an `ftyp` head names (plain MP4 video when unsure). Never throws. */
export function mp4Variant(head: Uint8Array): { mime: string; extension: string } {
  const major = head.length >= 12 ? fourcc(head, 8) : '';
  const known = BRAND_VARIANTS[major];
  if (known) return known;
  if (major.startsWith('3g2')) return { mime: 'video/3gpp2', extension: '3g2' };
  if (major.startsWith('3g')) return { mime: 'video/3gpp', extension: '3gp' };
  return { mime: 'video/mp4', extension: 'mp4' };
}

/** @throws {InvalidArgumentError} for a length that is not an integer in `[0, MAX_MANIFEST_BYTES]` (contract 2). */
function checkLength(manifestLength: number): void {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
}

/** The MP4/MOV/M4A handler. */
export const mp4Handler: FormatHandler = {
  id: 'mp4',
  name: 'MP4/MOV/M4A',
  mediaKind: 'video',
  reencodable: true,
  mimeTypes: ['video/mp4', 'audio/mp4', 'video/quicktime', 'audio/x-m4a', 'video/x-m4v', 'video/3gpp', 'video/3gpp2'],
  extensions: ['mp4', 'm4a', 'm4v', 'm4b', 'mov', 'qt', '3gp', '3g2'],
  hardBinding: 'bmff',

  sniff(head: Uint8Array): boolean {
    try {
      return sniffMp4(head);
    } catch {
      return false;
    }
  },

  variantOf: mp4Variant,

  /**
   * The store of the top-level C2PA "manifest" box, or undefined.
   * @throws {MultipleManifestsError} for two or more such boxes.
   * @throws {MalformedInputError} {@link LimitExceededError}
   */
  async readManifest(src: ByteSource): Promise<Uint8Array | undefined> {
    const { boxes } = await listBoxes(src, 0, src.size, 1);
    const found = [];
    for (const b of boxes) {
      if (!isC2paBox(b)) continue;
      const info = await readC2paBoxInfo(src, b);
      if (info.purpose === C2PA_MANIFEST_PURPOSE) found.push(info);
    }
    if (found.length > 1)
      throw new MultipleManifestsError(
        said('err.fmt.c2paManifestBoxesOne', '{v1} C2PA manifest boxes in one ISO-BMFF file', { v1: found.length }),
      );
    return found.length ? readC2paStore(src, found[0]!) : undefined;
  },

  /**
   * Plan the output with a C2PA box of exactly `manifestLength` store bytes after
   * `ftyp` (0 = no C2PA box: a label-only rewrite that drops any old store), and the
   * GB 45438 label written when `labels.gb45438` is given.
   * @throws {InvalidArgumentError} {@link MalformedInputError} {@link LimitExceededError} {@link UnsupportedFormatError}
   */
  async planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
    checkLength(manifestLength);
    const rw = await planBmffRewrite(src, { ...(manifestLength > 0 ? { manifestLength } : {}), ...(labels ? { labels } : {}) });
    return {
      parts: rw.parts,
      exclusions: [],
      fill(store: Uint8Array) {
        if (!(store instanceof Uint8Array) || store.length !== manifestLength) {
          throw InvalidArgumentError.expected(`a store of exactly ${manifestLength} bytes`, 'store', store);
        }
        if (rw.storeIndex < 0) return rw.parts.slice();
        const parts = rw.parts.slice();
        parts[rw.storeIndex] = { bytes: store };
        return parts;
      },
    };
  },

  /**
   * Plan the output without any C2PA box (labels kept, offsets patched).
   * @throws {MalformedInputError} {@link LimitExceededError} {@link UnsupportedFormatError}
   */
  async planRemove(src: ByteSource): Promise<RewritePlan> {
    return { parts: (await planBmffRewrite(src, {})).parts };
  },

  /**
   * Every label carrier: XMP, `mdta` keys named `AIGC`, `----` items, label-valued text items.
   * @throws {MalformedInputError} {@link LimitExceededError}
   */
  async readLabels(src: ByteSource): Promise<FoundLabel[]> {
    return readBmffLabels(src);
  },
};
