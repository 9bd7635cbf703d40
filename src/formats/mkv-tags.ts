/**
 * Matroska `Tags` editing for the MKV/WebM handler: find `SimpleTag`s named `AIGC`, drop
 * them, and build the global `Tag` that carries the GB 45438 label
 * (`Tag{Targets{}, SimpleTag{TagName "AIGC", TagString <json>}}`, Matroska §5.1.8). Other
 * tags are copied bit for bit. Nested `SimpleTag`s are checked down to `MAX_EBML_DEPTH`.
 */
import { MAX_EBML_DEPTH } from '../binary/limits.ts';
import { LimitExceededError, said } from '../errors.ts';
import { childrenOf, concatBytes, element, withFreshCrc } from './common/ebml.ts';

/** Element ids used here. */
export const TAG_IDS = { Tags: 0x1254c367, Tag: 0x7373, Targets: 0x63c0, SimpleTag: 0x67c8, TagName: 0x45a3, TagString: 0x4487 } as const;
/** The `TagName` of the GB 45438 label. */
export const MKV_AIGC_TAG = 'AIGC';

const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b).replace(/\0+$/, '');

function checkNesting(data: Uint8Array, base: number, depth: number): void {
  if (depth > MAX_EBML_DEPTH)
    throw new LimitExceededError(
      'MAX_EBML_DEPTH',
      said('err.fmt.matroskaSimpleTagElementsNested', 'Matroska SimpleTag elements nested more than {MAX_EBML_DEPTH} deep', {
        MAX_EBML_DEPTH,
      }),
    );
  for (const c of childrenOf(data, base)) {
    if (c.id === TAG_IDS.SimpleTag) checkNesting(data.subarray(c.dataStart, c.end), base + c.dataStart, depth + 1);
  }
}

/** A `SimpleTag` at a `Tag`'s top level: its name and string value. */
function simpleTag(data: Uint8Array, base: number): { name?: string; value?: string } {
  const out: { name?: string; value?: string } = {};
  for (const c of childrenOf(data, base)) {
    if (c.id === TAG_IDS.TagName) out.name = utf8(data.subarray(c.dataStart, c.end));
    if (c.id === TAG_IDS.TagString) out.value = utf8(data.subarray(c.dataStart, c.end));
  }
  return out;
}

/**
 * The `AIGC` values in a `Tags` element's data.
 * @throws {MalformedInputError} {@link LimitExceededError}
 */
export function aigcValues(tags: Uint8Array, base: number): string[] {
  const out: string[] = [];
  for (const tag of childrenOf(tags, base)) {
    if (tag.id !== TAG_IDS.Tag) continue;
    const data = tags.subarray(tag.dataStart, tag.end);
    checkNesting(data, base + tag.dataStart, 0);
    for (const c of childrenOf(data, base + tag.dataStart)) {
      if (c.id !== TAG_IDS.SimpleTag) continue;
      const s = simpleTag(data.subarray(c.dataStart, c.end), base + tag.dataStart + c.dataStart);
      if (s.name?.toUpperCase() === MKV_AIGC_TAG && s.value !== undefined) out.push(s.value);
    }
  }
  return out;
}

/**
 * A `Tags` element's data without `AIGC` SimpleTags (a `Tag` left with no SimpleTag is
 * dropped), plus `label`'s `Tag` at the end when given.
 * @throws {MalformedInputError} {@link LimitExceededError}
 */
export function rewriteTags(tags: Uint8Array, base: number, label?: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const tag of childrenOf(tags, base)) {
    if (tag.id !== TAG_IDS.Tag) {
      parts.push(tags.subarray(tag.start, tag.end));
      continue;
    }
    const data = tags.subarray(tag.dataStart, tag.end);
    checkNesting(data, base + tag.dataStart, 0);
    const kids = childrenOf(data, base + tag.dataStart);
    const keep = kids.filter(
      (c) => c.id !== TAG_IDS.SimpleTag || simpleTag(data.subarray(c.dataStart, c.end), 0).name?.toUpperCase() !== MKV_AIGC_TAG,
    );
    if (keep.length === kids.length) parts.push(tags.subarray(tag.start, tag.end));
    else if (keep.some((c) => c.id === TAG_IDS.SimpleTag))
      parts.push(element(TAG_IDS.Tag, concatBytes(keep.map((c) => data.subarray(c.start, c.end)))));
  }
  if (label !== undefined) parts.push(labelTag(label));
  return concatBytes(withFreshCrc(parts));
}

/** The global `Tag` holding the label. */
export function labelTag(label: string): Uint8Array {
  const enc = new TextEncoder();
  const simple = element(
    TAG_IDS.SimpleTag,
    concatBytes([element(TAG_IDS.TagName, enc.encode(MKV_AIGC_TAG)), element(TAG_IDS.TagString, enc.encode(label))]),
  );
  return element(TAG_IDS.Tag, concatBytes([element(TAG_IDS.Targets, new Uint8Array(0)), simple]));
}
