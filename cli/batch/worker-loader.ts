/**
 * The built batch worker (`dist/cli/worker.js`, the script each worker thread starts): it runs the
 * worker bundle (`worker.cjs` beside it: cli/batch/worker.ts and the library as one CommonJS file)
 * through `vm.Script` with V8's code cache for it (`worker-HASH.cache`, written by `npm run build`; HASH: the
 * first 16 hex digits of the bundle's SHA-256, since V8 itself checks only the source's length), so a
 * worker thread neither parses nor compiles the verifier's code again: it starts from the
 * bytecode the build's priming run left (Node 20 has no compile cache for ES modules). A cache that
 * does not fit (another Node or V8 version, other V8 flags, a changed bundle) is rejected by V8 and
 * the bundle is compiled as without one: same behaviour, a slower start.
 *
 * `workerData.control` (a MessagePort, optional) serves the build and the tests: the loader posts
 * `{ cache: 'accepted' | 'rejected' | 'missing' }` on it, and on `{ prime: true }` writes the code
 * cache of everything compiled so far (temp file + rename) and answers `{ primed: bytes }`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { workerData, type MessagePort } from 'node:worker_threads';
import { tuneForBatch } from './v8-tuning.ts';

/** The bundle's file name, beside this script. */
export const WORKER_BUNDLE = 'worker.cjs';
/** Its code cache's file name, beside it, for the bundle's source text. */
export function workerCacheName(source: string): string {
  return `worker-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.cache`;
}

/** The bundle's source as a script: the CommonJS module wrapper around it (build and run must agree byte for byte). */
export function wrapBundle(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

tuneForBatch(); // before the cache is checked: it was made under the batch's V8 flags
const dir = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(dir, WORKER_BUNDLE);
const source = readFileSync(file, 'utf8');
const cacheFile = path.join(dir, workerCacheName(source));
let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // built without one (or removed), or for another bundle: compile as usual
}
const script = new vm.Script(wrapBundle(source), {
  filename: file,
  ...(cachedData ? { cachedData } : {}),
  // `import()` of an external package (sharp, for the watermark check) from the bundle: Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const control = (workerData as { control?: MessagePort } | undefined)?.control;
if (control) {
  control.postMessage({ cache: !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted' });
  control.on('message', (m: { prime?: boolean }) => {
    if (m.prime !== true) return;
    const data = script.createCachedData();
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, cacheFile);
    control.postMessage({ primed: data.length });
  });
  control.unref();
}
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dir);
