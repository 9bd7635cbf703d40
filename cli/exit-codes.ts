/**
 * The `aigc` CLI's one set of exit codes (sysexits.h where one fits) and its one error line.
 * The table {@link EXIT_TABLE} is printed in `aigc --help`, copied in the README and checked by
 * test/cli/exit-codes.test.ts.
 */
import { ToolkitError } from '../src/errors.ts';
import { formatErrorLine } from '../src/i18n/error-line.ts';
import type { Lang } from '../src/i18n/lang.ts';
import { cliLang } from './lang.ts';

export const EXIT = {
  OK: 0,
  /** verify/inspect: the manifest or label is invalid (or the file damaged); a batch: some file missed the `--require` bar or failed. */
  INVALID: 1,
  /** verify/inspect: no manifest and no label found (or a format we do not read). */
  NOTHING_FOUND: 2,
  /** verify/inspect: valid but not trusted, or a GB 45438 label without any manifest. */
  UNTRUSTED: 3,
  USAGE: 64,
  DATA: 65,
  NO_INPUT: 66,
  SOFTWARE: 70,
  /** An output cannot be created (sysexits EX_CANTCREAT). */
  CANT_CREATE: 73,
  /** Refused by policy (an invalid upload, an existing key or output); the message names the overriding flag. */
  REFUSED: 77,
} as const;

/** Every exit code with the commands that use it and its meaning (README table; test-checked). */
export const EXIT_TABLE: readonly { code: number; commands: string; meaning: string }[] = [
  { code: EXIT.OK, commands: 'all', meaning: 'success; verify/inspect: Trusted; a batch: every file met the --require bar' },
  {
    code: EXIT.INVALID,
    commands: 'verify, inspect, pki verify; any batch',
    meaning: 'Invalid (or a damaged file); a batch: at least one file missed the bar or failed',
  },
  {
    code: EXIT.NOTHING_FOUND,
    commands: 'verify, inspect',
    meaning: 'no manifest and no label (also: a format we do not read, an empty file)',
  },
  {
    code: EXIT.UNTRUSTED,
    commands: 'verify, inspect, pki verify',
    meaning: 'Valid but not trusted; also a GB 45438 label without any manifest',
  },
  {
    code: EXIT.USAGE,
    commands: 'all',
    meaning: 'usage error: unknown option, missing or bad value, unreadable --trust/--allowed/--crl/$AIGC_TRUST file',
  },
  {
    code: EXIT.DATA,
    commands: 'stamp, propagate, pki, inspect --certs/--extract',
    meaning: 'bad input data: malformed media, corrupt PEM, wrong passphrase, unsupported format to stamp, no manifest to extract',
  },
  { code: EXIT.NO_INPUT, commands: 'all', meaning: 'an input file cannot be read (missing, not a regular file, no permission)' },
  { code: EXIT.SOFTWARE, commands: 'stamp, propagate', meaning: 'an external tool (ffmpeg) failed, or an internal error' },
  {
    code: EXIT.CANT_CREATE,
    commands: 'stamp, propagate, pki',
    meaning: 'an output cannot be created (missing folder, no permission, disk full)',
  },
  {
    code: EXIT.REFUSED,
    commands: 'stamp, propagate, decide, pki',
    meaning:
      'refused by policy: an invalid upload, a certificate of the wrong role, an existing key or output (the message names the overriding flag)',
  },
];

/**
 * Map an error to an exit code: usage 64, unreadable input 66, output not creatable 73,
 * external tool 70, any other typed error 65, anything untyped 70.
 */
export function exitCodeFor(err: unknown): number {
  if (err instanceof ToolkitError) {
    switch (err.code) {
      case 'INVALID_ARGUMENT':
        return EXIT.USAGE;
      case 'IO_ERROR':
        return /^cannot (create|write|rename|make)\b/.test(err.message) ? EXIT.CANT_CREATE : EXIT.NO_INPUT;
      case 'EXTERNAL_TOOL':
        return EXIT.SOFTWARE;
      case 'REFUSED':
        return EXIT.REFUSED;
      default:
        return EXIT.DATA;
    }
  }
  return EXIT.SOFTWARE;
}

/**
 * The one error line: `aigc: error [CODE]: message (cause: …)` — a cause that is not a
 * {@link ToolkitError} and not already in the message goes inside the same line — in the run's
 * language (`--lang`, else the environment; see src/i18n/error-line.ts).
 */
export function errorLine(err: unknown, command?: string, lang: Lang = cliLang()): string {
  return formatErrorLine(err, lang, command);
}

/** Print {@link errorLine} on standard error (the stack too when AIGC_DEBUG is set). */
export function printError(err: unknown, command?: string): void {
  process.stderr.write(`${errorLine(err, command)}\n`);
  if (process.env.AIGC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
}
