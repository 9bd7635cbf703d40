/**
 * Choosing the language of human-facing text and looking messages up in the one catalogue
 * (`catalogue.ts`): `zh` or `en`, from an explicit option, else from `LC_ALL` / `LC_MESSAGES` /
 * `LANG` (a `zh…` locale gives Chinese), else English. Codes and JSON keys are never translated.
 */
import { InvalidArgumentError } from '../errors.ts';
import { EN, ZH, type MessageKey } from './catalogue.ts';

/** Supported languages. */
export type Lang = 'zh' | 'en';
/** Every supported language. */
export const LANGS: readonly Lang[] = ['zh', 'en'];

const CATALOGUES: Record<Lang, Readonly<Record<MessageKey, string>>> = { en: EN, zh: ZH };

/**
 * Parse a `--lang` value (`zh`, `en`, or a locale such as `zh_CN.UTF-8`).
 * @throws {InvalidArgumentError} for anything but zh or en.
 */
export function parseLang(value: string, flag = '--lang'): Lang {
  const v = value.toLowerCase();
  if (v === 'zh' || v.startsWith('zh-') || v.startsWith('zh_')) return 'zh';
  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  throw InvalidArgumentError.expected('zh | en', flag, value);
}

/**
 * The language the environment asks for, with POSIX precedence: the first of `LC_ALL`,
 * `LC_MESSAGES`, `LANG` that is set and not empty decides; `zh…` gives Chinese, anything else English.
 */
export function langFromEnv(env: Record<string, string | undefined> = process.env): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(v) ? 'zh' : 'en';
}

/** Whether `key` is a message of the catalogue. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(EN, key);
}

/** Look a message up and fill its `{placeholders}` (a missing parameter stays as `{name}`). */
export function t(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A translator bound to one language (which it names as `lang`). */
export type Translate = ((key: MessageKey, params?: Readonly<Record<string, string | number>>) => string) & { readonly lang?: Lang };

/** Bind {@link t} to a language. */
export function translator(lang: Lang): Translate {
  return Object.assign((key: MessageKey, params?: Readonly<Record<string, string | number>>) => t(lang, key, params), { lang });
}

export type { MessageKey };
