/**
 * The batch's file list, streamed: paths named on the command line, folders walked one
 * directory entry at a time (`-r` to recurse; include/exclude globs), and `-` for newline-separated
 * paths on standard input. Nothing is collected: memory holds one open directory per level.
 * Symbolic links to files are followed; links to folders are not (no loops); a broken or looping
 * link is yielded so its error is reported like any unreadable file.
 */
import { said } from '../../src/errors.ts';
import type { Dir } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { LimitExceededError } from '../../src/errors.ts';

/** Deepest folder nesting walked with `-r`. */
export const MAX_WALK_DEPTH = 64;

/** One input: its path and, for files found by walking a folder, that folder (for mirrored outputs). */
export interface InputEntry {
  readonly path: string;
  readonly root?: string;
}

/** How to list. */
export interface ListOptions {
  readonly recursive: boolean;
  /** Globs a walked file must match (any); default all. A glob without `/` matches the file name, else the path below the folder. */
  readonly include: readonly RegExp[];
  /** Globs that skip walked files and folders. */
  readonly exclude: readonly RegExp[];
  readonly stdin?: NodeJS.ReadableStream;
  /** Called for each entry skipped (a folder without -r, a link to a folder, excluded). */
  readonly onSkip?: (file: string, why: string) => void;
}

/** Compile a glob (`*`, `**`, `?`, `{a,b}`, `[...]`) to a RegExp over a name or a relative path. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) {
        re += '\\{';
        continue;
      }
      re += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('|')})`;
      i = end;
    } else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      re += `[${glob
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  // Without a '/', the glob matches a name at any depth.
  return new RegExp(`^${glob.includes('/') ? '' : '(?:.*/)?'}${re}$`, process.platform === 'win32' ? 'i' : '');
}

function matches(globs: readonly RegExp[], rel: string): boolean {
  const p = path.sep === '/' ? rel : rel.split(path.sep).join('/');
  return globs.some((g) => g.test(p));
}

async function* walk(root: string, dir: string, depth: number, o: ListOptions): AsyncGenerator<InputEntry> {
  if (depth > MAX_WALK_DEPTH)
    throw new LimitExceededError(
      'MAX_WALK_DEPTH',
      said('err.cli.walkDepth', 'folders nested deeper than {max} under {root}', { max: MAX_WALK_DEPTH, root }),
    );
  let handle: Dir;
  try {
    handle = await opendir(dir, { bufferSize: 64 });
  } catch {
    yield { path: dir, root }; // reported as unreadable by the task
    return;
  }
  for await (const d of handle) {
    const full = path.join(dir, d.name);
    const rel = path.relative(root, full);
    if (o.exclude.length && matches(o.exclude, rel)) {
      o.onSkip?.(full, 'excluded');
      continue;
    }
    let isDir = d.isDirectory();
    if (d.isSymbolicLink()) {
      try {
        isDir = (await stat(full)).isDirectory();
        if (isDir) {
          o.onSkip?.(full, 'link to a folder (not followed)');
          continue;
        }
      } catch {
        // broken or looping link: the task reports it
        if (!o.include.length || matches(o.include, rel)) yield { path: full, root };
        continue;
      }
    }
    if (isDir) {
      if (o.recursive) yield* walk(root, full, depth + 1, o);
      else o.onSkip?.(full, 'folder (use -r)');
      continue;
    }
    if (o.include.length && !matches(o.include, rel)) {
      o.onSkip?.(full, 'not included');
      continue;
    }
    yield { path: full, root };
  }
}

async function* fromArg(arg: string, o: ListOptions): AsyncGenerator<InputEntry> {
  let isDir = false;
  try {
    isDir = (await stat(arg)).isDirectory();
  } catch {
    isDir = false; // missing or unreadable: the task reports it
  }
  if (isDir) yield* walk(arg, arg, 0, o);
  else yield { path: arg };
}

/**
 * Stream the inputs named by `args` (`-` reads paths from `o.stdin`, one per line).
 * @throws {LimitExceededError} past {@link MAX_WALK_DEPTH}.
 */
export async function* listInputs(args: readonly string[], o: ListOptions): AsyncGenerator<InputEntry> {
  for (const arg of args) {
    if (arg === '-') {
      const lines = createInterface({ input: o.stdin ?? process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        const p = line.replace(/\r$/, '');
        if (p) yield* fromArg(p, o);
      }
    } else yield* fromArg(arg, o);
  }
}
