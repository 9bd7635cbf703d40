/**
 * Service figures for `npm run bench`:
 * - HTTP verify of the stamped 1024² JPEG over loopback with autocannon against `aigc serve`
 *   (its own process, embedded runner), beside the library's verify rate in one process (the
 *   ceiling); then p50/p99 latency with autocannon pacing the load at 60 % of that rate.
 *   Every request carries a distinct `at`, so each is a new job (no result reuse).
 * - Queue throughput: verify jobs added to BullMQ on a real Redis, run by 1 then 2
 *   `aigc worker` processes (concurrency 1 each).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { verify } from '../src/service/verify.ts';
import { buildConfig } from '../src/server/config.ts';
import { jobIdOf, type JobSpec } from '../src/server/job-spec.ts';
import { jobOptions, redisConnection } from '../src/server/queue-runner.ts';
import { ensureSpool } from '../src/server/spool.ts';
import { freePort, rawConfig, startRedis, tempDir, waitForPort } from '../test/server/helpers.ts';
import { GENERATED_DIR } from './make-fixtures.ts';

type Line = (bench: string, unit: string, ours: number | null, sdk: number | null, ceiling?: number | null) => void;

const CLI = path.resolve('cli/aigc.js');

function startProcess(args: string[], ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      if (buf.includes(ready)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited early (${code}): ${buf.slice(-500)}`)));
  });
}

const stopProcess = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Verifications per second of the library in this process over `seconds`. */
async function libraryRate(file: string, seconds: number): Promise<number> {
  const trust = { anchorsPem: await readFile(path.join(GENERATED_DIR, 'pki/roots.pem'), 'utf8') };
  for (let i = 0; i < 20; i++) await verify(file, { trust });
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await verify(file, { trust, at: new Date(Date.now() - n) });
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function cannon(url: string, body: Buffer, seconds: number, extra: Record<string, unknown>): Promise<autocannon.Result> {
  let n = 0;
  const t0 = Date.now();
  return autocannon({
    url,
    method: 'POST',
    duration: seconds,
    body,
    headers: { 'content-type': 'application/octet-stream' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/verify?at=${new Date(t0 - ++n).toISOString()}` }) }],
    ...extra,
  } as unknown as autocannon.Options);
}

/** HTTP verify figures. */
export async function benchHttpVerify(stamped: string, line: Line, quick: boolean): Promise<void> {
  const seconds = quick ? 5 : 10;
  const dir = await tempDir('aigc-bench-http-');
  const port = await freePort();
  const configFile = path.join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(rawConfig(path.join(dir, 'spool'), { port, logLevel: 'warn', limits: { maxInFlight: 256 } })));
  const lib = await libraryRate(stamped, seconds);
  // Logs at warn (no per-request lines); readiness is the port opening.
  const server = spawn(process.execPath, [CLI, 'serve', '--config', configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, 60_000);
  try {
    const body = await readFile(stamped);
    const url = `http://127.0.0.1:${port}`;
    await cannon(url, body, 2, { connections: 4 });
    const max = await cannon(url, body, seconds, { connections: 4 });
    if (max.non2xx) process.stderr.write(`bench: http verify had ${max.non2xx} non-2xx answers\n`);
    line('http_verify_jpeg_1024', 'req/s', max.requests.average, null, lib);
    const paced = await cannon(url, body, seconds, { connections: 8, overallRate: Math.max(1, Math.floor(lib * 0.6)) });
    line('http_verify_jpeg_1024_p50_at_60pct', 'ms', paced.latency.p50, null);
    line('http_verify_jpeg_1024_p99_at_60pct', 'ms', paced.latency.p99, null, 50);
  } finally {
    await stopProcess(server);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Jobs per second through the queue with `workers` worker processes. */
async function queueRate(stamped: string, workers: number, jobs: number): Promise<number> {
  const redis = await startRedis();
  const dir = await tempDir('aigc-bench-queue-');
  const raw = rawConfig(path.join(dir, 'spool'), { queue: { url: redis.url, name: 'bench' }, limits: { concurrency: 1 } });
  const config = buildConfig(raw, dir, {});
  const configFile = path.join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(raw));
  const dirs = await ensureSpool(config.spool);
  const connection = redisConnection(redis.url);
  const queue = new Queue('bench', { connection });
  const procs: ChildProcess[] = [];
  try {
    const sha256 = createHash('sha256')
      .update(await readFile(stamped))
      .digest('hex');
    const specs: JobSpec[] = [];
    for (let i = 0; i < jobs; i++) {
      const options = { at: new Date(Date.now() - i * 1000).toISOString() };
      const input = `${sha256}-bench${i}`;
      await copyFile(stamped, path.join(dirs.in, input));
      specs.push({ id: jobIdOf('verify', sha256, options), op: 'verify', input, sha256, options });
    }
    for (let i = 0; i < workers; i++) procs.push(await startProcess(['worker', '--config', configFile], 'aigc worker ready'));
    const settings = { url: redis.url, name: 'bench', attempts: 3, resultTtlSeconds: 600 };
    const t0 = performance.now();
    await queue.addBulk(specs.map((s) => ({ name: s.op, data: s, opts: jobOptions(settings, s.id) })));
    for (;;) {
      const c = await queue.getJobCounts('completed', 'failed');
      if ((c.completed ?? 0) + (c.failed ?? 0) >= jobs) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return jobs / ((performance.now() - t0) / 1000);
  } finally {
    for (const p of procs) await stopProcess(p);
    await queue.close();
    connection.disconnect();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Queue throughput figures. */
export async function benchQueue(stamped: string, line: Line, quick: boolean): Promise<void> {
  const jobs = quick ? 400 : 1000;
  const one = await queueRate(stamped, 1, jobs);
  const two = await queueRate(stamped, 2, jobs);
  line('queue_verify_jpeg_1024_1_worker', 'jobs/s', one, null);
  line('queue_verify_jpeg_1024_2_workers', 'jobs/s', two, null, one * 2);
  line('queue_scaling_2_vs_1_worker', 'x', two / one, null, 2);
}
