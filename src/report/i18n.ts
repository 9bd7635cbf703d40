/**
 * Choosing the language of human-facing text and looking messages up: `zh` or `en`, from an explicit
 * option, else from `LC_ALL` / `LC_MESSAGES` / `LANG` (a `zh…` locale gives Chinese), else English.
 */
import { InvalidArgumentError } from '../errors.ts';
import { EN, ZH, type MessageKey } from './messages.ts';

/** Supported languages. */
export type Lang = 'zh' | 'en';
/** Every supported language. */
export const LANGS: readonly Lang[] = ['zh', 'en'];

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en: EN, zh: ZH };

/**
 * Parse a `--lang` value.
 * @throws {InvalidArgumentError} for anything but zh or en.
 */
export function parseLang(value: string, flag = '--lang'): Lang {
  const v = value.toLowerCase();
  if (v === 'zh' || v.startsWith('zh-') || v.startsWith('zh_')) return 'zh';
  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  throw InvalidArgumentError.expected('zh | en', flag, value);
}

/** The language the environment asks for (POSIX precedence: LC_ALL, LC_MESSAGES, LANG). */
export function langFromEnv(env: Record<string, string | undefined> = process.env): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(v) ? 'zh' : 'en';
}

/** Look a message up and fill its `{placeholders}`. */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A translator bound to one language. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Bind {@link t} to a language. */
export function translator(lang: Lang): Translate {
  return (key, params) => t(lang, key, params);
}
