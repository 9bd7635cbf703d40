/**
 * A hard binding as a list of steps over the *output* bytes, in file order: hash an
 * optional prefix, then the output range `[start, end)`. Both bindings fit:
 *
 * - `c2pa.hash.data`: the complement of the exclusion ranges, no prefixes;
 * - `c2pa.hash.bmff.v3` (flat): per top-level box, its u64 BE offset as prefix, then the
 *   box's included ranges.
 *
 * Because the steps run in output order, one sequential pass over the output (as it is
 * being written) computes the hash: {@link StepHasher} takes the output chunk by chunk.
 * Verifying runs the same steps over the file on disk with {@link hashSourceSteps}, so the
 * writer and the verifier cannot disagree on what a binding covers.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ByteSource } from '../binary/byte-source.ts';
import { feederFor } from '../binary/range-feeder.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import { InvalidArgumentError, said } from '../errors.ts';

/** Hash `prefix` (if any), then output bytes `[start, end)`. */
export interface HashStep {
  readonly start: number;
  readonly end: number;
  readonly prefix?: Uint8Array;
}

/**
 * Check that `steps` are in order, non-overlapping and inside `[0, size)`.
 * @throws {InvalidArgumentError} otherwise.
 */
export function checkSteps(steps: readonly HashStep[], size: number): void {
  let at = 0;
  for (const s of steps) {
    if (!Number.isSafeInteger(s.start) || !Number.isSafeInteger(s.end) || s.start < at || s.end < s.start || s.end > size) {
      throw InvalidArgumentError.expected(`ordered hash steps inside ${size} bytes`, 'steps', `[${s.start}, ${s.end})`);
    }
    at = s.end;
  }
}

/** Whether `[start, end)` overlaps any hashed step range. */
export function overlapsSteps(steps: readonly HashStep[], start: number, end: number): boolean {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < steps.length && steps[i]!.start < end; i++) {
    if (steps[i]!.end > steps[i]!.start && steps[i]!.end > start) return true;
  }
  return false;
}

/**
 * Runs hash steps over output bytes given in order (any chunking). Feed every output
 * byte once, in order, with {@link StepHasher.update}; then {@link StepHasher.finish}.
 */
export class StepHasher {
  private i = 0;
  private prefixed = false;
  private pos = 0;

  /** @throws {InvalidArgumentError} for steps out of order or past `size`. */
  constructor(
    private readonly hash: Hash,
    private readonly steps: readonly HashStep[],
    readonly size: number,
  ) {
    checkSteps(steps, size);
  }

  /** Hash what the steps take of `chunk`, the output bytes `[pos, pos + chunk.length)`. */
  update(chunk: Uint8Array): void {
    const cs = this.pos;
    const ce = cs + chunk.length;
    const { steps, hash } = this;
    while (this.i < steps.length) {
      const s = steps[this.i]!;
      if (s.start > ce || (s.start === ce && s.end > s.start)) break;
      if (!this.prefixed) {
        if (s.prefix) hash.update(s.prefix);
        this.prefixed = true;
      }
      const a = Math.max(s.start, cs);
      const b = Math.min(s.end, ce);
      if (b > a) hash.update(chunk.subarray(a - cs, b - cs));
      if (s.end > ce) break;
      this.i++;
      this.prefixed = false;
    }
    this.pos = ce;
  }

  /**
   * The digest, once every output byte was fed.
   * @throws {InvalidArgumentError} when fewer than `size` bytes were fed.
   */
  finish(): Uint8Array {
    if (this.pos !== this.size)
      throw new InvalidArgumentError(
        said('err.bind.hashedOutputBytes', 'hashed {pos} of {size} output bytes', { pos: this.pos, size: this.size }),
      );
    this.update(new Uint8Array(0)); // empty steps at the very end (a prefix alone)
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * Run `steps` over a source (the verify side, or a planned output as a `PartsSource`),
 * reading only the hashed ranges, in chunks: memory stays flat whatever the file size.
 * @throws {InvalidArgumentError} for steps out of order or past the end of `src`;
 * {@link IoError} on read failure.
 */
export async function hashSourceSteps(src: ByteSource, steps: readonly HashStep[], alg: HashAlgorithm = 'sha256'): Promise<Uint8Array> {
  checkSteps(steps, src.size);
  const hash = createHash(alg);
  const feeder = feederFor(src);
  try {
    for (const s of steps) {
      if (s.prefix) hash.update(s.prefix);
      if (s.end > s.start) await feeder.feed(hash, s.start, s.end);
    }
  } finally {
    await feeder.close();
  }
  return new Uint8Array(hash.digest());
}
