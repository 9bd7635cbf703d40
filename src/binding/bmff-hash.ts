/**
 * The hash input of `c2pa.hash.bmff.v3` (flat hash, no Merkle tree), as c2pa-rs
 * computes it (checked byte-exact against @contentauth/c2pa-node 0.8.0):
 *
 *   for each top-level box, in file order, unless an exclusion without `subset`
 *   matched the whole box:  u64 BE absolute offset of the box ‖ the box's bytes,
 *   leaving out every excluded range (a whole matched box, or its `subset` ranges).
 *
 * An exclusion matches the boxes at its `xpath` (`/uuid`, `/moov/trak/...`, no
 * indices), filtered by `length` (total box size), `version`/`flags` (FullBoxes) and
 * `data` (bytes at an offset from the box start). The SDK writes exactly
 * {@link defaultBmffExclusions}. Hashing streams from the source (see
 * `binary/range-feeder.ts`), so memory stays at two chunks whatever the file size.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import { InvalidArgumentError } from '../errors.ts';
import { type BoxHeader, boxEnd, listBoxes, readFullBoxHeader, walkBoxes } from '../formats/bmff/bmff-boxes.ts';
import { type HashStep, hashSourceSteps } from './hash-steps.ts';

export { HASH_CHUNK } from '../binary/range-feeder.ts';
import { u64be } from '../formats/bmff/bmff-writer.ts';
import { defaultBmffExclusions, type BmffExclusion } from '../manifest/assertions/bmff-hash.ts';
import { bytesEqual } from '../binary/bytes.ts';

// One definition of the exclusion list for the assertion and for the hash: c2pa-rs writes
// /uuid (C2PA), /ftyp, /mfra, /free, /skip, which is the assertion module's default.
export { defaultBmffExclusions, type BmffExclusion } from '../manifest/assertions/bmff-hash.ts';

/** What gets hashed for one top-level box. */
export interface BmffHashSpan {
  /** Absolute offset of the top-level box (hashed as u64 BE first). */
  readonly offset: number;
  readonly type: string;
  /** Included byte ranges `[start, end)` of the box, in order. */
  readonly ranges: readonly (readonly [number, number])[];
}

/** FullBox types whose version/flags an exclusion may test (ISO/IEC 14496-12). */
const FULL_BOX_TYPES = new Set([
  'pdin',
  'mvhd',
  'tkhd',
  'mdhd',
  'hdlr',
  'nmhd',
  'elng',
  'stsd',
  'stdp',
  'stts',
  'ctts',
  'cslg',
  'stss',
  'stsh',
  'elst',
  'dref',
  'stsz',
  'stz2',
  'stsc',
  'stco',
  'co64',
  'padb',
  'subs',
  'saiz',
  'saio',
  'mehd',
  'trex',
  'mfhd',
  'tfhd',
  'trun',
  'tfra',
  'mfro',
  'tfdt',
  'leva',
  'trep',
  'assp',
  'sbgp',
  'sgpd',
  'csgp',
  'cprt',
  'tsel',
  'kind',
  'meta',
  'xml ',
  'bxml',
  'iloc',
  'pitm',
  'ipro',
  'infe',
  'iinf',
  'iref',
  'ipma',
  'schm',
  'fiin',
  'fpar',
  'fecr',
  'gitn',
  'fire',
  'stri',
  'stsg',
  'stvi',
  'csch',
  'sidx',
  'ssix',
  'prft',
  'srpp',
  'vmhd',
  'smhd',
  'srat',
  'chnl',
  'dmix',
  'txtC',
  'mime',
  'uri ',
  'uriI',
  'hmhd',
  'sthd',
  'vvhd',
  'medc',
]);

async function matches(src: ByteSource, box: BoxHeader, ex: BmffExclusion): Promise<boolean> {
  if (ex.length !== undefined && ex.length !== box.size) return false;
  if ((ex.version !== undefined || ex.flags !== undefined) && FULL_BOX_TYPES.has(box.type)) {
    const fb = await readFullBoxHeader(src, box);
    if (ex.version !== undefined && ex.version !== fb.version) return false;
    if (ex.flags !== undefined) {
      const f = ex.flags;
      const want = f.length >= 3 ? (f[0]! << 16) | (f[1]! << 8) | f[2]! : 0;
      if (ex.exact === false ? (want | fb.flags) !== want : want !== fb.flags) return false;
    }
  }
  for (const d of ex.data ?? []) {
    const at = box.offset + d.offset;
    if (d.offset < 0 || at + d.value.length > src.size) return false;
    if (!bytesEqual(await src.read(at, d.value.length), d.value)) return false;
  }
  return true;
}

function checkExclusions(exclusions: readonly BmffExclusion[]): void {
  for (const ex of exclusions) {
    if (typeof ex?.xpath !== 'string' || !ex.xpath.startsWith('/'))
      throw InvalidArgumentError.expected('an absolute xpath string', 'exclusion.xpath', ex?.xpath);
  }
}

/**
 * Work out what is hashed: one span per top-level box not wholly excluded.
 * @throws {MalformedInputError} {@link LimitExceededError} for a broken box structure.
 * @throws {InvalidArgumentError} for an exclusion without an absolute xpath.
 */
export async function bmffHashSpans(src: ByteSource, exclusions: readonly BmffExclusion[]): Promise<BmffHashSpan[]> {
  checkExclusions(exclusions);
  const { boxes } = await listBoxes(src, 0, src.size, 1);
  const excluded: [number, number][] = [];
  const whole = new Set<number>();
  const apply = async (box: BoxHeader, path: string, depth: number): Promise<void> => {
    for (const ex of exclusions) {
      if (ex.xpath !== path || !(await matches(src, box, ex))) continue;
      if (ex.subset) {
        for (const s of ex.subset) {
          const start = box.offset + s.offset;
          const end = s.length === 0 ? boxEnd(box) : Math.min(boxEnd(box), start + s.length);
          if (start < end) excluded.push([start, end]);
        }
      } else {
        excluded.push([box.offset, boxEnd(box)]);
        if (depth === 1) whole.add(box.offset);
      }
    }
  };
  for (const b of boxes) await apply(b, `/${b.type}`, 1);
  const nested = exclusions.filter((e) => e.xpath.lastIndexOf('/') > 0);
  if (nested.length) {
    await walkBoxes(src, async (box, path, depth) => {
      if (depth > 1) await apply(box, path, depth);
      return nested.some((e) => e.xpath.startsWith(`${path}/`));
    });
  }
  excluded.sort((a, b) => a[0] - b[0]);
  const spans: BmffHashSpan[] = [];
  for (const b of boxes) {
    if (whole.has(b.offset)) continue;
    const ranges: [number, number][] = [];
    let at = b.offset;
    const end = boxEnd(b);
    for (const [s, e] of excluded) {
      if (e <= at || s >= end) continue;
      if (s > at) ranges.push([at, s]);
      at = Math.max(at, e);
    }
    if (at < end) ranges.push([at, end]);
    spans.push({ offset: b.offset, type: b.type, ranges });
  }
  return spans;
}

/** Options of {@link bmffHashSteps} and {@link bmffHashOfSource}. */
export interface BmffHashOptions {
  /**
   * Hash each top-level box's absolute offset (u64 BE) before its bytes: true for
   * `c2pa.hash.bmff.v2`/`.v3` (default), false for the v1 label (c2pa-rs `bmff_v2`).
   */
  readonly offsets?: boolean;
  /** Hash only the top-level boxes that start inside `[start, end)` (one fragment of a file). */
  readonly window?: readonly [number, number];
}

/**
 * The flat hash as {@link HashStep}s in file order (each box's offset as the prefix of its
 * first range, unless `offsets: false`), for hashing an output while it is written.
 * @throws as {@link bmffHashSpans}.
 */
export async function bmffHashSteps(
  src: ByteSource,
  exclusions: readonly BmffExclusion[],
  options: BmffHashOptions = {},
): Promise<HashStep[]> {
  const steps: HashStep[] = [];
  let spans = await bmffHashSpans(src, exclusions);
  const w = options.window;
  if (w) spans = spans.filter((s) => s.offset >= w[0] && s.offset < w[1]);
  for (const s of spans) {
    if (options.offsets === false) {
      for (const [a, b] of s.ranges) steps.push({ start: a, end: b });
      continue;
    }
    const prefix = u64be(s.offset);
    if (!s.ranges.length) steps.push({ start: s.offset, end: s.offset, prefix });
    for (const [i, [a, b]] of s.ranges.entries()) steps.push(i === 0 ? { start: a, end: b, prefix } : { start: a, end: b });
  }
  return steps;
}

/**
 * The `c2pa.hash.bmff` flat hash of `src` (a file, or a planned output as a `PartsSource`):
 * the same steps the writer hashes, run over the source (v2/v3 by default; v1 with
 * `offsets: false`; one fragment's boxes with `window`).
 * @throws {MalformedInputError} {@link LimitExceededError} {@link InvalidArgumentError} {@link IoError}
 */
export async function bmffHashOfSource(
  src: ByteSource,
  exclusions: readonly BmffExclusion[] = defaultBmffExclusions(),
  alg: HashAlgorithm = 'sha256',
  options: BmffHashOptions = {},
): Promise<Uint8Array> {
  if (!['sha256', 'sha384', 'sha512'].includes(alg)) throw InvalidArgumentError.expected('sha256, sha384 or sha512', 'alg', alg);
  return hashSourceSteps(src, await bmffHashSteps(src, exclusions, options), alg);
}
