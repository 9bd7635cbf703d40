/**
 * `inspect()`: the investigator's view — the same report as {@link verify} plus every
 * assertion's decoded content and thumbnail sizes; `formatInspectTree` renders it.
 */
import type { VerifyReport } from '../verify/report/report.ts';
import { verify, type VerifyOptions } from './verify.ts';
import type { MediaInput } from './input.ts';

export { formatInspectTree } from '../verify/render/format-tree.ts';

/** Options of {@link inspect}: those of `verify`. */
export type InspectOptions = Omit<VerifyOptions, 'detail'>;

/**
 * Inspect `input`. Never throws on bad media (see `verify`).
 * @throws {InvalidArgumentError} when `input` is neither a path nor bytes.
 * @throws {CertificateError} {@link LimitExceededError} for unusable trust options.
 */
export async function inspect(input: MediaInput, options: InspectOptions = {}): Promise<VerifyReport> {
  return verify(input, { ...options, detail: true });
}
