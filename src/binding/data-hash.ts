/**
 * The `c2pa.hash.data` binding: SHA-2 over the asset minus its exclusion ranges (the
 * carrier of the manifest store). The writer turns the exclusions into {@link HashStep}s
 * over its output ({@link stepsExcluding}); the verifier hashes the file on disk with the
 * same steps ({@link hashSourceExcluding}). The assertion's CBOR lives in
 * `manifest/assertions/data-hash.ts`.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import { MalformedInputError, said } from '../errors.ts';
import type { Exclusion } from '../manifest/assertions/data-hash.ts';
import { type HashStep, hashSourceSteps } from './hash-steps.ts';

export type { Exclusion } from '../manifest/assertions/data-hash.ts';

/**
 * Sort exclusions and check they are non-negative, safe integers and non-overlapping, and
 * (when `size` is given) inside `[0, size)`. Empty exclusions are dropped.
 * @throws {MalformedInputError} (format `hash exclusions`) otherwise.
 */
export function normalizeExclusions(exclusions: readonly Exclusion[], size?: number): Exclusion[] {
  const out = exclusions.map((e) => ({ start: e.start, length: e.length }));
  for (const e of out) {
    if (!Number.isSafeInteger(e.start) || !Number.isSafeInteger(e.length) || e.start < 0 || e.length < 0) {
      throw new MalformedInputError(
        'hash exclusions',
        said('err.bind.invalidExclusionStartLength', 'invalid exclusion start={v1} length={v2}', {
          v1: String(e.start),
          v2: String(e.length),
        }),
      );
    }
    if (size !== undefined && e.start + e.length > size) {
      throw new MalformedInputError(
        'hash exclusions',
        said('err.bind.exclusionRunsPastEnd', 'exclusion {start}+{v2} runs past the end of the {size}-byte asset', {
          start: e.start,
          v2: e.length,
          size,
        }),
      );
    }
  }
  out.sort((a, b) => a.start - b.start);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.start < out[i - 1]!.start + out[i - 1]!.length) {
      throw new MalformedInputError(
        'hash exclusions',
        said('err.bind.exclusionsOverlap', 'exclusions overlap at {v1}', { v1: out[i]!.start }),
      );
    }
  }
  return out.filter((e) => e.length > 0);
}

/**
 * The steps of a data hash over `size` bytes minus `exclusions` (sorted, non-overlapping).
 * @throws {MalformedInputError} when exclusions are unsorted, overlap or run past `size`.
 */
export function stepsExcluding(size: number, exclusions: readonly Exclusion[]): HashStep[] {
  const steps: HashStep[] = [];
  let at = 0;
  for (const e of exclusions) {
    if (!Number.isSafeInteger(e.start) || !Number.isSafeInteger(e.length) || e.length < 0 || e.start < at || e.start + e.length > size) {
      throw new MalformedInputError(
        'hash exclusions',
        said(
          'err.bind.exclusionOutOrderOverlapping',
          'exclusion {start}+{v2} is out of order, overlapping or past the end of {size} bytes',
          { start: e.start, v2: e.length, size },
        ),
      );
    }
    if (e.start > at) steps.push({ start: at, end: e.start });
    at = e.start + e.length;
  }
  if (at < size) steps.push({ start: at, end: size });
  return steps;
}

/**
 * Hash a whole source minus exclusions (in any order), reading only the included ranges.
 * @throws {MalformedInputError} for bad exclusions; {@link IoError} on read failure.
 */
export async function hashSourceExcluding(
  src: ByteSource,
  exclusions: readonly Exclusion[],
  alg: HashAlgorithm = 'sha256',
): Promise<Uint8Array> {
  return hashSourceSteps(src, stepsExcluding(src.size, normalizeExclusions(exclusions, src.size)), alg);
}
