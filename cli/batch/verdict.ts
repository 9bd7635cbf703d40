/**
 * The verdict of a verify/inspect report, its single-file exit code and the `--require` bar.
 * Kept apart from the task (verify-task.ts) so that the commands can use them without loading
 * the verifier: `aigc verify DIR` starts its worker threads before this thread loads it.
 */
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { kindOf } from '../../src/verify/report/status-codes.ts';
import { EXIT } from '../exit-codes.ts';
import type { RequireBar } from './types.ts';

/** Verdicts of verify/inspect, with the single-file exit code of each. */
export const VERDICT_EXIT: Readonly<Record<string, number>> = {
  Trusted: EXIT.OK,
  Valid: EXIT.UNTRUSTED,
  LabelOnly: EXIT.UNTRUSTED,
  WatermarkOnly: EXIT.UNTRUSTED,
  Invalid: EXIT.INVALID,
  None: EXIT.NOTHING_FOUND,
  Unsupported: EXIT.NOTHING_FOUND,
  Unreadable: EXIT.NO_INPUT,
};

/** The verdict of a report: Trusted, Valid, LabelOnly, WatermarkOnly (a stripped copy), Invalid, None, Unsupported or Unreadable. */
export function verdictOf(r: VerifyReport): string {
  if (r.error?.code === 'IO_ERROR') return 'Unreadable';
  if (r.validation_state === 'Trusted') return 'Trusted';
  if (r.validation_state === 'Valid') return 'Valid';
  if (r.validation_state === 'Invalid') return 'Invalid';
  if (r.error) return r.error.code === 'UNSUPPORTED_FORMAT' ? 'Unsupported' : 'Invalid';
  if (r.labels.status.some((e) => kindOf(e.code) === 'failure')) return 'Invalid';
  if (r.labels.gb45438 || r.labels.iptc) return 'LabelOnly';
  return r.watermark?.found ? 'WatermarkOnly' : 'None';
}

/** The single-file exit code of a report (0 Trusted, 1 Invalid, 2 nothing found, 3 Valid/label only, 66 unreadable). */
export function exitCodeOf(r: VerifyReport): number {
  return VERDICT_EXIT[verdictOf(r)]!;
}

/** Whether a verdict meets `--require`. */
export function meets(verdict: string, bar: RequireBar): boolean {
  if (bar === 'trusted') return verdict === 'Trusted';
  if (bar === 'valid') return verdict === 'Trusted' || verdict === 'Valid';
  return verdict === 'Trusted' || verdict === 'Valid' || verdict === 'LabelOnly' || verdict === 'WatermarkOnly';
}
