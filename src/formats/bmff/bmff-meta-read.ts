/**
 * Finding every GB 45438 label carrier in an MP4/MOV/M4A without loading it:
 * - keyed metadata (`hdlr` `mdta` + `keys` + `ilst`) in `moov/udta/meta` (ffmpeg
 *   `use_metadata_tags`) or directly in `moov/meta` (QuickTime, phones);
 * - keyless iTunes lists (`mdir`): a `----` item whose `name` contains `AIGC`, or a
 *   text item such as `©cmt` whose value is a label;
 * - XMP, in a top-level `uuid` box (BE7ACFCB-…) or QuickTime's `moov/udta/XMP_`.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { parseGb45438 } from '../../labels/implicit/gb45438.ts';
import type { FoundLabel } from '../types.ts';
import { type BoxHeader, findBox, listBoxes, listChildren } from './bmff-boxes.ts';
import { isXmpUuidBox } from './bmff-c2pa-box.ts';
import { aigcKeyIndices, isAigcName, itemLabel, readItemText, readMetaInfo } from './bmff-ilst.ts';
import { BMFF_XMP_CARRIERS, labelsFromXmp, readXmpBox } from './bmff-xmp.ts';

/** Whether free text (a comment item, say) is a GB 45438 label value. */
export function isLabelValue(text: string | undefined): boolean {
  if (!text || !/AIGC|ContentProducer|"Label"/.test(text)) return false;
  try {
    parseGb45438(text);
    return true;
  } catch {
    return false;
  }
}

async function metaLabels(src: ByteSource, meta: BoxHeader, depth: number, path: string, out: FoundLabel[]): Promise<void> {
  const info = await readMetaInfo(src, meta, depth);
  const keyed = info.handler === 'mdta' ? aigcKeyIndices(info) : [];
  for (const it of info.items) {
    const isKeyed = keyed.includes(it.index);
    const isNamed = it.box.type === '----' && isAigcName(it.name);
    if (!isKeyed && !isNamed && info.handler === 'mdta') continue;
    const text = await readItemText(src, it);
    if (text === undefined) continue;
    if (isKeyed || isNamed || isLabelValue(text)) out.push({ kind: 'gb45438', foundIn: `MP4 ${path} ${itemLabel(it, info)}`, raw: text });
  }
}

/**
 * Every label carrier of an ISO-BMFF file: XMP first (a top-level `uuid`, then
 * `moov/udta/XMP_`), then the native carriers of `moov/meta` and `moov/udta/meta`.
 * @throws {MalformedInputError} {@link LimitExceededError} for broken structure.
 */
export async function readBmffLabels(src: ByteSource): Promise<FoundLabel[]> {
  const xmp: FoundLabel[] = [];
  const native: FoundLabel[] = [];
  const { boxes } = await listBoxes(src, 0, src.size, 1);
  for (const b of boxes) {
    if (isXmpUuidBox(b)) xmp.push(...labelsFromXmp(await readXmpBox(src, b), BMFF_XMP_CARRIERS.uuid));
  }
  const moov = findBox(boxes, 'moov');
  if (moov) {
    const kids = (await listChildren(src, moov, 2)).boxes;
    for (const m of kids.filter((b) => b.type === 'meta')) await metaLabels(src, m, 2, 'moov/meta', native);
    for (const udta of kids.filter((b) => b.type === 'udta')) {
      const uk = (await listChildren(src, udta, 3)).boxes;
      for (const m of uk.filter((b) => b.type === 'meta')) await metaLabels(src, m, 3, 'moov/udta/meta', native);
      for (const x of uk.filter((b) => b.type === 'XMP_')) {
        xmp.push(...labelsFromXmp(await readXmpBox(src, x), BMFF_XMP_CARRIERS.udta));
      }
    }
  }
  return [...xmp, ...native];
}
