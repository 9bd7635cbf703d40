/**
 * Each command's `--help` text, from the one catalogue (`messages-usage-*.ts`): the command's
 * usage in `lang` with the shared option blocks (`{trust}`, `{batch}`, `{signer}`,
 * `{signingAids}`) filled in. The CLI's English help is this text with `lang` = `en`.
 */
import { t, type Lang, type MessageKey } from './lang.ts';

const BLOCKS = ['trust', 'batch', 'signer', 'signingAids'] as const;

/** The shared option blocks of the commands' `--help` texts in `lang`. */
export function usageBlocks(lang: Lang): Record<string, string> {
  return Object.fromEntries(BLOCKS.map((b) => [b, t(lang, `usage.block.${b}` as MessageKey)]));
}

/** The `--help` text of command `name` (catalogue key `usage.<name>`) in `lang`, English by default. */
export function usageText(name: string, lang: Lang = 'en'): string {
  return t(lang, `usage.${name}` as MessageKey, usageBlocks(lang));
}
