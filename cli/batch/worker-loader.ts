/**
 * The built batch worker (`dist/cli/worker.js`, the script each worker thread starts): it runs the
 * worker bundle (`worker.cjs` beside it: cli/batch/worker.ts and the library as one CommonJS file)
 * with V8's code cache for it (`worker-HASH.cache`, written by `npm run build`; see
 * cli/code-cache.ts), so a worker thread neither parses nor compiles the verifier's code again.
 *
 * `workerData.control` (a MessagePort, optional) serves the build and the tests: the loader posts
 * `{ cache: 'accepted' | 'rejected' | 'missing' }` on it, and on `{ prime: true }` writes the code
 * cache of everything compiled so far (temp file + rename) and answers `{ primed: bytes }`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerData, type MessagePort } from 'node:worker_threads';
import { runCachedBundle, WORKER_BUNDLE } from '../code-cache.ts';
import { tuneForBatch } from './v8-tuning.ts';

tuneForBatch(); // before the cache is checked: it was made under the batch's V8 flags
const bundle = runCachedBundle(path.join(path.dirname(fileURLToPath(import.meta.url)), WORKER_BUNDLE));
const control = (workerData as { control?: MessagePort } | undefined)?.control;
if (control) {
  control.postMessage({ cache: bundle.cache });
  control.on('message', (m: { prime?: boolean }) => {
    if (m.prime !== true) return;
    control.postMessage({ primed: bundle.writeCache() });
  });
  control.unref();
}
