/**
 * The CLI's one error line, `aigc: error [CODE]: message (cause: …)`, in the chosen language.
 * English prints the error's own message. Chinese translates at this edge, from the error's code
 * and parameters: its `detail` (a catalogue key and parameters), else what the typed error
 * carries (an `IoError`'s path and system error code), else the code's title before the English
 * message — never a guess at the message's words beyond those fixed shapes.
 */
import { IoError, LimitExceededError, MalformedInputError, ToolkitError } from '../errors.ts';
import { isMessageKey, t, type Lang, type MessageKey } from './lang.ts';

/** The first line of a message (usage texts once appended to messages are dropped). */
function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

/**
 * A parameter value in `lang`: a system error code (ENOENT, …) becomes words, so does a file's
 * kind (`what`, `where`: "certificate", "--trust file", …; `kind`: "a folder", …); the rest (paths, codes, values) stays.
 */
function param(lang: Lang, v: string | number, name = ''): string | number {
  if (typeof v !== 'string') return v;
  const key = `errno.${v}`;
  if (isMessageKey(key)) return t(lang, 'errno.with', { text: t(lang, key), code: v });
  if (name === 'kind') {
    const kind = `kind.${v}`;
    return isMessageKey(kind) ? t(lang, kind) : v;
  }
  if (name !== 'what' && name !== 'where') return v;
  const what = `what.${v}`;
  if (isMessageKey(what)) return t(lang, what);
  const flag = /^(--[\w-]+|\$\w+) file$/.exec(v)?.[1];
  return flag ? t(lang, 'what.flagFile', { flag }) : v;
}

function fromDetail(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>>): string {
  return t(lang, key, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, param(lang, v, k)])));
}

/** An `IoError`'s reason after `cannot read PATH: ` in `lang`, from its fixed shapes. */
function ioReason(lang: Lang, why: string): string {
  const sys = /^(E[A-Z]+)$/.exec(why)?.[1];
  if (sys) return String(param(lang, sys));
  const kind = /^not a regular file \((.+)\)$/.exec(why)?.[1];
  if (kind) return t(lang, 'err.io.notRegular', { kind: param(lang, kind, 'kind') });
  const folder = /^folder (.+) does not exist$/.exec(why)?.[1];
  if (folder) return t(lang, 'err.io.noFolder', { folder });
  return why;
}

/** The message of `err` (its first line) in `lang`. */
export function errorMessage(err: ToolkitError, lang: Lang): string {
  const text = firstLine(err.message);
  if (lang === 'en') return text;
  if (err.detail && isMessageKey(err.detail.key)) {
    // A `{message}` that is a typed cause's own message (`{where}: {message}`) is said in `lang` too.
    const cause = err.cause;
    const params =
      cause instanceof ToolkitError && err.detail.params.message === firstLine(cause.message)
        ? { ...err.detail.params, message: errorMessage(cause, lang) }
        : err.detail.params;
    const said = fromDetail(lang, err.detail.key, params);
    // The typed error's own frame around its message: the grammar and byte offset, the limit's name.
    if (err instanceof MalformedInputError) {
      const at = err.offset === undefined ? '' : t(lang, 'err.atByte', { offset: err.offset });
      return t(lang, 'err.malformed', { format: err.format, message: said, at });
    }
    if (err instanceof LimitExceededError) return t(lang, 'err.limit', { message: said, limit: err.limit });
    return said;
  }
  if (err instanceof IoError && err.path !== undefined) {
    for (const [verb, key] of [
      ['read', 'err.io.read'],
      ['open', 'err.io.read'],
      ['create', 'err.io.create'],
    ] as const) {
      const head = `cannot ${verb} ${err.path}: `;
      if (text.startsWith(head)) return t(lang, key, { path: err.path, why: ioReason(lang, text.slice(head.length)) });
    }
  }
  const title = `errcode.${err.code}`;
  return isMessageKey(title) ? t(lang, 'err.titled', { title: t(lang, title), message: text }) : text;
}

/**
 * The one error line in `lang`: a cause that is not a {@link ToolkitError} and not already in the
 * message goes inside the same line; a usage error ends with where to find help.
 */
export function formatErrorLine(err: unknown, lang: Lang, command?: string): string {
  if (!(err instanceof ToolkitError)) {
    const message = err instanceof Error ? firstLine(err.message) : String(err);
    return t(lang, 'err.line', {
      code: 'INTERNAL',
      message: lang === 'en' ? message : t(lang, 'err.titled', { title: t(lang, 'errcode.INTERNAL'), message }),
    });
  }
  const english = firstLine(err.message);
  let text = errorMessage(err, lang);
  const causes: string[] = [];
  for (let c = err.cause, depth = 0; c instanceof Error && depth < 8; c = c.cause, depth++) {
    if (c instanceof ToolkitError) continue;
    const sys = (c as NodeJS.ErrnoException).code;
    // A system error adds its code unless the message already says it; other causes their first line.
    const m =
      typeof sys === 'string' && /^E[A-Z]+$/.test(sys)
        ? english.includes(sys) || /no such file|permission denied|is a directory/.test(english)
          ? ''
          : sys
        : firstLine(c.message);
    if (m && !english.includes(m) && !causes.includes(m)) causes.push(m);
  }
  if (causes.length) text += t(lang, 'err.cause', { causes: causes.join('; ') });
  const hint = err.code === 'INVALID_ARGUMENT' ? t(lang, 'err.hint', { command: command ? `${command} ` : '' }) : '';
  return t(lang, 'err.line', { code: err.code, message: `${text}${hint}` });
}
