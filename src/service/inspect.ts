/**
 * `inspect()`: the investigator's view — the same report as {@link verify} plus every
 * assertion's decoded content and thumbnail sizes; `formatInspectTree` renders it.
 */
import type { VerifyReport } from '../verify/report/report.ts';
import { verify, type VerifyOptions } from './verify.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { InputLike } from './input-kinds.ts';

export { formatInspectTree } from '../verify/render/format-tree.ts';

/** Options of {@link inspect}: those of `verify`. */
export type InspectOptions = Omit<VerifyOptions, 'detail'>;

/**
 * Inspect `input`. Never throws on bad media (see `verify`).
 * @throws {InvalidArgumentError} for an input of another kind, or an unknown or wrongly shaped option.
 * @throws {CertificateError} {@link LimitExceededError} for unusable trust options.
 */
export async function inspect(input: InputLike, options: InspectOptions = {}): Promise<VerifyReport> {
  if (options && typeof options === 'object' && 'detail' in options)
    throw new InvalidArgumentError('Unknown option "detail" for inspect(); expected one of: trust, at');
  return verify(input, { ...options, detail: true });
}
