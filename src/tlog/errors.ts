/**
 * Transparency-log failures that mean the log's data is not what its checkpoints commit to.
 * They carry one of the stable `tlog.*` codes below, so an auditor can tell a tampered tile from
 * a truncated log or a forked checkpoint.
 */
import { nameErrorClasses, ToolkitError } from '../errors.ts';

/** Stable codes of log integrity failures. */
export type LogIntegrityCode =
  | 'tlog.truncated' // a tile or entry bundle the checkpoint needs is missing or short
  | 'tlog.tile.mismatch' // a tile's hashes do not match the entries or tiles below it
  | 'tlog.checkpoint.mismatch' // the tiles do not hash to the checkpoint's root
  | 'tlog.checkpoint.signature' // the checkpoint is not signed by the log's key
  | 'tlog.checkpoint.fork' // two checkpoints by the log's key that are not consistent
  | 'tlog.inclusion.invalid' // an inclusion proof does not lead to the checkpoint's root
  | 'tlog.consistency.invalid'; // a consistency proof does not connect two checkpoints

/** The log's stored data contradicts what it signed. */
export class LogIntegrityError extends ToolkitError {
  /** Which integrity rule failed. */
  readonly check: LogIntegrityCode;
  constructor(check: LogIntegrityCode, message: string, options?: { cause?: unknown }) {
    super('MALFORMED_INPUT', `${check}: ${message}`, options);
    this.check = check;
  }
}
nameErrorClasses({ LogIntegrityError });
