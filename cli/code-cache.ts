/**
 * Running a built CommonJS bundle (`dist/cli/aigc.cjs`, `dist/cli/worker.cjs`) through `vm.Script`
 * with V8's code cache for it, so a process or worker thread neither parses nor compiles the
 * bundle's code again: it starts from the bytecode a priming run of `npm run build` left (Node 20
 * has no compile cache for ES modules). The cache is named after the bundle's SHA-256
 * (`NAME-HASH.cache`, HASH its first 16 hex digits), since V8 itself checks only the source's
 * length, the V8 version and flags. A cache that does not fit (another Node or V8 version, other V8
 * flags, a changed bundle) is rejected by V8 and the bundle is compiled as without one: same
 * behaviour, a slower start. Nothing here throws on a missing or stale cache; a missing bundle
 * throws the file system's error (the build is incomplete).
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** The CLI bundle's file name, beside dist/cli/aigc.js (cli/main-loader.ts). */
export const CLI_BUNDLE = 'aigc.cjs';
/** The batch worker bundle's file name, beside dist/cli/worker.js (cli/batch/worker-loader.ts). */
export const WORKER_BUNDLE = 'worker.cjs';

/** What became of the code cache. */
export type CacheStatus = 'accepted' | 'rejected' | 'missing';

/** A bundle loaded by {@link runCachedBundle}. */
export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: Record<string, unknown>;
  /** Whether V8 took the cache. */
  readonly cache: CacheStatus;
  /** Write the code cache of everything compiled so far (temp file + rename); returns its size in bytes. */
  writeCache(): number;
}

/** The code cache's file name for a bundle `NAME.cjs` with this source text. */
export function cacheName(bundleFile: string, source: string): string {
  const stem = path.basename(bundleFile).replace(/\.cjs$/, '');
  return `${stem}-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.cache`;
}

/**
 * The bundle's source as a script: the CommonJS module wrapper around it (build and run must agree
 * byte for byte), with one more parameter, `__aigcImport`: the build (scripts/build.mjs) rewrites the bundle's dynamic
 * `import("pkg")` of external packages (sharp, puppeteer-core, …) to `__aigcImport("pkg")`, because
 * Node 20 loses a script's dynamic-import callback for functions V8 restores from a code cache
 * (they reject with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING); this module's own `import()` does it instead.
 */
export function wrapBundle(source: string): string {
  return `(function (exports, require, module, __filename, __dirname, __aigcImport) {${source}\n})`;
}

/** Dynamic import on behalf of a bundle, resolved from here (dist/cli/), as the bundle's own would be. */
const hostImport = (specifier: string): Promise<unknown> => import(specifier);

/**
 * Run the CommonJS bundle `file` in this context, from its code cache beside it when V8 accepts it.
 * @throws the file system's error when the bundle cannot be read; whatever the bundle's top level throws.
 */
export function runCachedBundle(file: string): LoadedBundle {
  const dir = path.dirname(file);
  const source = readFileSync(file, 'utf8');
  const cacheFile = path.join(dir, cacheName(file, source));
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // built without one (or removed), or for another bundle: compile as usual
  }
  const script = new vm.Script(wrapBundle(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dir, hostImport);
  return {
    exports: module.exports,
    cache: !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted',
    writeCache() {
      const data = script.createCachedData();
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, cacheFile);
      return data.length;
    },
  };
}
