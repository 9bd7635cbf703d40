/**
 * The language of this CLI run: `--lang zh|en` (taken out of the arguments by `main` before a
 * command parses them, so every command accepts it) or else the environment (LC_ALL, LC_MESSAGES,
 * LANG). Batch workers get it through their `BatchConfig`.
 */
import { isMessageKey, langFromEnv, parseLang, t, type Lang } from '../src/i18n/lang.ts';

let chosen: Lang | undefined;

/** The language of human-facing output in this run. */
export function cliLang(): Lang {
  return chosen ?? langFromEnv();
}

/** Set (or, with undefined, reset to the environment's) the run's language. */
export function setCliLang(lang: Lang | undefined): void {
  chosen = lang;
}

/**
 * Take `--lang X` / `--lang=X` out of `argv` (up to a `--` terminator); the last one wins.
 * @throws {InvalidArgumentError} when its value is missing or not zh / en.
 */
export function takeLang(argv: readonly string[]): { argv: string[]; lang: Lang | undefined } {
  const out: string[] = [];
  let lang: Lang | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a === '--lang') {
      lang = parseLang(argv[i + 1] ?? '');
      i++;
    } else if (a.startsWith('--lang=')) lang = parseLang(a.slice('--lang='.length));
    else out.push(a);
  }
  return { argv: out, lang };
}

/** A batch verdict (Trusted, LabelOnly, Stamped, …) in `lang`; English: the verdict itself. */
export function verdictWord(verdict: string, lang: Lang = cliLang()): string {
  const key = ['Trusted', 'Valid', 'Invalid'].includes(verdict) ? `state.${verdict}` : `verdict.${verdict}`;
  return lang !== 'en' && isMessageKey(key) ? t(lang, key) : verdict;
}
