/** Small helpers over `node:util` parseArgs with the toolkit's one-line usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidArgumentError, type Said } from '../src/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A value-taking option followed by a negative number (`--days -5`) is joined (`--days=-5`), so the option's own check names it. */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--')
      ? a.slice(2)
      : a.length === 2 && a[0] === '-'
        ? Object.keys(options).find((k) => options[k]!.short === a[1])
        : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a.startsWith('--') ? a : `--${name}`}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/**
 * A usage error whose first line is `message` (said through the catalogue, so it prints in the
 * user's language) followed by the command's usage text.
 */
export function usageError(message: Said, usage?: string, cause?: unknown): InvalidArgumentError {
  return new InvalidArgumentError(usage ? `${message.text}\n\n${usage}` : message.text, {
    detail: { key: message.key, params: message.params },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Node's parseArgs messages, reworded into one line naming the option (with its catalogue key for translation). */
function reword(err: unknown): InvalidArgumentError {
  const e = err as { code?: string; message?: string };
  const msg = e.message ?? String(err);
  const opt = /'(-[^' ]+)/.exec(msg)?.[1];
  const make = (text: string, key: string, params: Record<string, string>) => new InvalidArgumentError(text, { detail: { key, params } });
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return make(`unknown option ${opt ?? msg}`, 'err.unknownOption', { option: opt ?? msg });
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing|ambiguous/.test(msg)
        ? make(`option ${opt ?? ''} needs a value`, 'err.needsValue', { option: opt ?? '' })
        : make(`option ${opt ?? ''} takes no value`, 'err.takesNoValue', { option: opt ?? '' });
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /'([^']+)'/.exec(msg)?.[1] ?? '';
      return make(`unexpected argument ${arg}`, 'err.unexpectedArgument', { arg });
    }
    default:
      return new InvalidArgumentError(msg.split('\n', 1)[0]!);
  }
}

/**
 * Parse `argv` strictly.
 * @throws {InvalidArgumentError} for an unknown option or a missing value (exit 64), naming the option.
 */
export function parse<T extends Options>(argv: string[], options: T, _usage?: string) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (err) {
    throw reword(err); // Node's own wording is replaced, not repeated
  }
}

/**
 * Require an option's value.
 * @throws {InvalidArgumentError} when it is missing or empty.
 */
export function required(value: string | undefined, flag: string, _usage?: string): string {
  if (value === undefined || value === '')
    throw new InvalidArgumentError(`missing required option ${flag}`, { detail: { key: 'err.missingOption', params: { option: flag } } });
  return value;
}

/**
 * A whole number option within [min, max].
 * @throws {InvalidArgumentError} otherwise, naming the option.
 */
export function integer(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    throw InvalidArgumentError.expected(`a whole number from ${min} to ${max}`, flag, value);
  return n;
}
