/** Small helpers over `node:util` parseArgs with the toolkit's usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidArgumentError } from '../src/errors.ts';

/**
 * Parse `argv` strictly; unknown options become an {@link InvalidArgumentError} (exit 64).
 */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}\n\n${usage}`, { cause: err });
  }
}

/** Require an option's value. */
export function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new InvalidArgumentError(`missing required option ${flag}\n\n${usage}`);
  return value;
}
