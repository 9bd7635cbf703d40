/** Process exit codes used by the `aigc` CLI (sysexits.h where one fits). */
import { ToolkitError } from '../src/errors.ts';

export const EXIT = {
  OK: 0,
  /** verify: the manifest is invalid; other commands: generic failure. */
  INVALID: 1,
  /** verify: no manifest and no label found. */
  NOTHING_FOUND: 2,
  /** verify: valid but not trusted. */
  UNTRUSTED: 3,
  USAGE: 64,
  DATA: 65,
  NO_INPUT: 66,
  SOFTWARE: 70,
  /** Refused by policy (an invalid upload, an existing key or output); the message names the overriding flag. */
  REFUSED: 77,
} as const;

/** Map an error to an exit code. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof ToolkitError) {
    switch (err.code) {
      case 'INVALID_ARGUMENT': return EXIT.USAGE;
      case 'IO_ERROR': return EXIT.NO_INPUT;
      case 'EXTERNAL_TOOL': return EXIT.SOFTWARE;
      case 'REFUSED': return EXIT.REFUSED;
      default: return EXIT.DATA;
    }
  }
  return EXIT.SOFTWARE;
}

/** Print an error for a person: one line with the code, never a stack trace (unless AIGC_DEBUG is set). */
export function printError(err: unknown): void {
  if (err instanceof ToolkitError) {
    process.stderr.write(`aigc: error [${err.code}]: ${err.message}\n`);
    let cause = err.cause;
    while (cause instanceof Error) {
      if (!(cause instanceof ToolkitError)) process.stderr.write(`  caused by: ${cause.message}\n`);
      cause = cause.cause;
    }
  } else {
    process.stderr.write(`aigc: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  if (process.env.AIGC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
}
