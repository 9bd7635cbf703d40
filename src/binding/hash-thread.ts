/**
 * Hash steps of an open file on a second thread: one long-lived worker per process, made on
 * first use, holding the event loop only while a job runs. It reads the file by positioned
 * reads on the caller's descriptor (the same open file, never the path again: a file renamed
 * or replaced meanwhile is not read by mistake) through two reused {@link HASH_CHUNK} buffers
 * (one read in flight while the other is hashed), so its memory stays flat whatever the file size. `propagate` runs the upload's content hash
 * here while the main thread writes, hashes and signs the new file: two SHA-256 passes on
 * two cores. The worker's code is plain JavaScript (no build step, no TypeScript loader).
 */
import { Worker } from 'node:worker_threads';
import { HASH_CHUNK } from '../binary/range-feeder.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import { IoError, said } from '../errors.ts';
import type { HashStep } from './hash-steps.ts';

const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
const { read } = require('node:fs');
const { createHash } = require('node:crypto');
const bufs = [Buffer.allocUnsafe(${HASH_CHUNK}), Buffer.allocUnsafe(${HASH_CHUNK})];
const readAt = (fd, buf, len, at) =>
  new Promise((resolve, reject) => read(fd, buf, 0, len, at, (err, n) => (err ? reject(err) : resolve(n))));
// One job at a time: the jobs queue here, each one reads ahead by one chunk (the next read
// in flight on the thread pool while this thread hashes the current one).
let queue = Promise.resolve();
async function run({ id, fd, steps, alg }) {
  try {
    const h = createHash(alg);
    for (const s of steps) {
      if (s.prefix) h.update(s.prefix);
      let i = 0;
      let at = s.start;
      let next = at < s.end ? readAt(fd, bufs[0], Math.min(bufs[0].length, s.end - at), at) : undefined;
      while (next) {
        const n = await next;
        if (n <= 0) { parentPort.postMessage({ id, error: 'the file ended at ' + at + ', before ' + s.end }); return; }
        const buf = bufs[i];
        at += n;
        i ^= 1;
        next = at < s.end ? readAt(fd, bufs[i], Math.min(bufs[i].length, s.end - at), at) : undefined;
        h.update(buf.subarray(0, n));
      }
    }
    parentPort.postMessage({ id, digest: new Uint8Array(h.digest()) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
}
parentPort.on('message', (job) => { queue = queue.then(() => run(job)); });
`;

interface Reply {
  id: number;
  digest?: Uint8Array;
  error?: string;
}
type Pending = { resolve: (d: Uint8Array) => void; reject: (e: IoError) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(why: string): void {
  for (const p of pending.values()) p.reject(new IoError(said('err.bind.hashingThreadFailed', 'hashing thread failed: {why}', { why })));
  pending.clear();
  worker = undefined;
}

function hashWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_CODE, { eval: true });
  w.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (m.digest) p.resolve(m.digest);
    else p.reject(new IoError(said('err.bind.cannotHashFile', 'cannot hash the file: {v1}', { v1: m.error ?? 'no digest' })));
  });
  w.on('error', (err) => failAll(err.message));
  w.on('exit', (code) => {
    if (worker === w) failAll(`it exited (${code})`);
  });
  w.unref();
  worker = w;
  return w;
}

/**
 * The digest of `steps` over the open file `fd`, computed on the hashing thread. The caller
 * keeps `fd` open until the promise settles.
 * @throws {IoError} (rejects) when the file is shorter than the steps or cannot be read, or the thread fails.
 */
export function hashStepsOffThread(fd: number, steps: readonly HashStep[], alg: HashAlgorithm): Promise<Uint8Array> {
  let w: Worker;
  try {
    w = hashWorker();
  } catch (err) {
    return Promise.reject(
      new IoError(
        said('err.bind.cannotStartHashingThread', 'cannot start the hashing thread: {v1}', { v1: (err as Error).message }),
        undefined,
        { cause: err },
      ),
    );
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({
      id,
      fd,
      steps: steps.map((s) => (s.prefix ? { start: s.start, end: s.end, prefix: s.prefix } : { start: s.start, end: s.end })),
      alg,
    });
  });
}
