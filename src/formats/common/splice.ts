/**
 * Build output {@link Part} lists by splicing edits into a source, and turn them into
 * an {@link EmbedPlan} with a manifest placeholder whose final bytes come from `fill()`.
 */
import type { Part } from '../../binary/parts.ts';
import { InvalidArgumentError, said } from '../../errors.ts';
import type { ByteRange, EmbedPlan } from '../types.ts';

/** Replace source bytes `[start, end)` with `insert` (`start === end` is a pure insertion). */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly insert: readonly (Part | typeof PLACEHOLDER)[];
}

/** Marks where the manifest carrier goes in an {@link Edit}'s `insert` list. */
export const PLACEHOLDER: unique symbol = Symbol('manifest placeholder');

/** Parts plus the index of the carrier placeholder part (-1 when there is none). */
export interface SplicedParts {
  readonly parts: Part[];
  readonly placeholderIndex: number;
}

/**
 * Apply `edits` to a source of `size` bytes. Edits are applied in order of `start`
 * (pure insertions before a replacement at the same offset; otherwise stable) and
 * must not overlap. `carrierLength` is the size of the placeholder part.
 * @throws {InvalidArgumentError} when edits overlap or fall outside the source (a bug).
 */
export function spliceEdits(size: number, edits: readonly Edit[], carrierLength: number): SplicedParts {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - a.e.start - (b.e.end - b.e.start) || a.i - b.i)
    .map((x) => x.e);
  const parts: Part[] = [];
  let at = 0;
  let placeholderIndex = -1;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > size) {
      throw new InvalidArgumentError(
        said('err.fmt.overlappingOutRangeEdit', 'overlapping or out-of-range edit [{start}, {end}) at {at} of {size}', {
          start: e.start,
          end: e.end,
          at,
          size,
        }),
      );
    }
    if (e.start > at) parts.push({ copy: { offset: at, length: e.start - at } });
    for (const p of e.insert) {
      if (p === PLACEHOLDER) {
        if (placeholderIndex >= 0)
          throw new InvalidArgumentError(said('err.fmt.moreOneManifestPlaceholder', 'more than one manifest placeholder in an edit list'));
        placeholderIndex = parts.length;
        parts.push({ bytes: new Uint8Array(carrierLength) });
      } else if ('copy' in p ? p.copy.length > 0 : p.bytes.length > 0) {
        parts.push(p);
      }
    }
    at = e.end;
  }
  if (at < size) parts.push({ copy: { offset: at, length: size - at } });
  return { parts, placeholderIndex };
}

/**
 * Make an {@link EmbedPlan}. `carrier(store)` renders the whole carrier (e.g. the APP11
 * segments or the `caBX` chunk) for a store of exactly `manifestLength` bytes; the
 * placeholder part is replaced by it in `fill()`. The exclusion is the whole carrier.
 * @throws {InvalidArgumentError} from `fill()` when the store length differs.
 */
export function makeEmbedPlan(spliced: SplicedParts, manifestLength: number, carrier: (store: Uint8Array) => Uint8Array): EmbedPlan {
  const { parts, placeholderIndex } = spliced;
  const exclusions: ByteRange[] = [];
  if (placeholderIndex >= 0) {
    let offset = 0;
    for (let i = 0; i < placeholderIndex; i++) {
      const p = parts[i]!;
      offset += 'copy' in p ? p.copy.length : p.bytes.length;
    }
    const ph = parts[placeholderIndex]!;
    exclusions.push({ offset, length: 'bytes' in ph ? ph.bytes.length : ph.copy.length });
  }
  return {
    parts,
    exclusions,
    fill(store: Uint8Array): Part[] {
      if (!(store instanceof Uint8Array) || store.length !== manifestLength) {
        throw InvalidArgumentError.expected(`a manifest store of exactly ${manifestLength} bytes`, 'store', store);
      }
      if (placeholderIndex < 0) return parts.slice();
      const out = parts.slice();
      const rendered = carrier(store);
      const ph = out[placeholderIndex]!;
      if ('bytes' in ph && rendered.length !== ph.bytes.length) {
        throw new InvalidArgumentError(
          said('err.fmt.carrierRenderedBytesReserved', 'carrier rendered {v1} bytes, reserved {v2}', {
            v1: rendered.length,
            v2: ph.bytes.length,
          }),
        );
      }
      out[placeholderIndex] = { bytes: rendered };
      return out;
    },
  };
}

/**
 * Validate a requested manifest length.
 * @throws {InvalidArgumentError} unless it is a non-negative safe integer no larger than `max`.
 */
export function checkManifestLength(manifestLength: number, max: number): void {
  if (!Number.isSafeInteger(manifestLength) || manifestLength < 0 || manifestLength > max) {
    throw InvalidArgumentError.expected(`an integer between 0 and ${max}`, 'manifestLength', manifestLength);
  }
}
