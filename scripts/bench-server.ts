/**
 * Service figures for `npm run bench`, from the built CLI (`dist/cli/aigc.js`, what `npm install`
 * users run; `npm run build` first, else the sources through tsx):
 * - HTTP verify of the stamped 1024² JPEG over loopback with autocannon (4 connections) against
 *   `aigc serve` (its own process, embedded runner, default settings: verify threads from the core
 *   count), beside the library's verify rate in one process (the ceiling), after a warm-up of the
 *   service (8,000 requests, 3,000 with --quick). The two are measured in alternating rounds and
 *   each figure is the median; then p50/p99 latency with autocannon pacing
 *   the load at 60 % of the library's rate. Every request carries a distinct `at`, so each is a new
 *   job (no result reuse).
 * - Queue throughput: verify jobs added to BullMQ on a real Redis, run by 1 or 2 `aigc worker`
 *   processes (concurrency 1 each), in alternating rounds (1, 2, 2, 1, …); each figure is the median.
 *   Each worker first runs a warm-up batch; the measured jobs are added while the queue is paused,
 *   timed from resume() to the last one's finishedOn. Environment: JOBS, WARM (per worker), ROUNDS.
 *   Each job's upload is written into the spool as the service writes uploads (a copy made with
 *   `copyFile` took 0.2 ms more to unlink on this machine's ext4). The same rounds run the floor:
 *   bare BullMQ workers that only verify (scripts/queue-floor-worker.ts), the ceiling of the rate
 *   lines and the floor of the scaling. The scaling figure's ceiling is the machine's own: the
 *   library's verify in two processes at once vs one ({@link hardwareScaling}), with no Redis and
 *   no queue.
 * The load average is printed to stderr before and after: the machine is shared, and the figures
 * mean little when it is loaded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { verify } from '../src/service/verify.ts';
import { buildConfig } from '../src/server/config.ts';
import { jobIdOf, type JobSpec } from '../src/server/job-spec.ts';
import { jobOptions, redisConnection } from '../src/server/queue-runner.ts';
import { ensureSpool } from '../src/server/spool.ts';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { freePort, rawConfig, startRedis, tempDir, waitForPort } from '../test/server/helpers.ts';
import { GENERATED_DIR } from './make-fixtures.ts';

type Line = (bench: string, unit: string, ours: number | null, sdk: number | null, ceiling?: number | null) => void;

const BUILT = path.resolve('dist/cli/aigc.js');
const CLI = existsSync(BUILT) ? BUILT : path.resolve('cli/aigc.js');

/** The machine's load average, for the record. */
export function noteLoad(when: string): void {
  const [a, b, c] = os.loadavg().map((x) => x.toFixed(2));
  process.stderr.write(
    `bench: load average ${when}: ${a} ${b} ${c}${CLI === BUILT ? '' : ' (no dist/cli/aigc.js: the service runs from the sources; npm run build first)'}\n`,
  );
}

/** The median of `xs`. */
const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Start `node <args>` and wait for its `ready` line on stdout. */
function startProcess(args: string[], ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited early (${code}): ${buf.slice(-500)}`)));
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
  const rounds = quick ? 2 : 3;
  noteLoad('before the HTTP figures');
  const dir = await tempDir('aigc-bench-http-');
  const port = await freePort();
  const configFile = path.join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(rawConfig(path.join(dir, 'spool'), { port, logLevel: 'warn', limits: { maxInFlight: 256 } })));
  // Logs at warn (no per-request lines); readiness is the port opening.
  const server = spawn(process.execPath, [CLI, 'serve', '--config', configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, 60_000);
  try {
    const body = await readFile(stamped);
    const url = `http://127.0.0.1:${port}`;
    // Warm-up: the served process keeps compiling (JIT) for its first several thousand requests; the
    // figure is a running service's rate. (The library's rounds warm its own process alike.)
    await cannon(url, body, 120, { connections: 4, amount: quick ? 3000 : 8000 });
    const libs: number[] = [];
    const https: number[] = [];
    for (let r = 0; r < rounds; r++) {
      libs.push(await libraryRate(stamped, seconds));
      const max = await cannon(url, body, seconds, { connections: 4 });
      if (max.non2xx) process.stderr.write(`bench: http verify had ${max.non2xx} non-2xx answers\n`);
      https.push(max.requests.average);
    }
    const lib = median(libs);
    process.stderr.write(
      `bench: http verify rounds: library ${libs.map(Math.round).join(', ')}/s; http ${https.map(Math.round).join(', ')} req/s\n`,
    );
    line('http_verify_jpeg_1024', 'req/s', median(https), null, lib);
    const paced = await cannon(url, body, seconds, { connections: 8, overallRate: Math.max(1, Math.floor(lib * 0.6)) });
    line('http_verify_jpeg_1024_p50_at_60pct', 'ms', paced.latency.p50, null);
    line('http_verify_jpeg_1024_p99_at_60pct', 'ms', paced.latency.p99, null, 50);
    noteLoad('after the HTTP figures');
  } finally {
    await stopProcess(server);
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU milliseconds used so far by process `pid` (all its threads; Linux /proc), or NaN. */
function processCpuMs(pid: number | undefined): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

/** Which workers a queue round runs: `aigc worker`, or the bare BullMQ worker of queue-floor-worker.ts. */
type WorkerKind = 'aigc' | 'floor';

/** What one queue round measured: jobs/s and CPU ms per job of the workers, Redis and this process. */
interface QueueRound {
  readonly rate: number;
  readonly cpu: { workers: number; redis: number; bench: number };
}

/**
 * Jobs per second through the queue with `workers` worker processes. The jobs are added while the
 * queue is paused (so adding them competes with no worker) and the clock runs from `resume()` to
 * the last job's `finishedOn`, as Redis' clients record it; the completion poll is slow (100 ms)
 * and does not set the time. CPU time per job of the workers, Redis and this process is measured
 * over the same window.
 */
async function queueRate(stamped: string, workers: number, jobs: number, warm: number, kind: WorkerKind = 'aigc'): Promise<QueueRound> {
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
    const bytes = await readFile(stamped);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const settings = { url: redis.url, name: 'bench', attempts: 3, resultTtlSeconds: 600 };
    let made = 0;
    // One base time for every batch: job i judges at base - i s, so no job of a later batch can
    // have the id of an earlier one (an identical job would be joined, and never counted twice).
    const base = Date.now();
    /** Add `count` new jobs (each its own upload and `at`, so none joins another). */
    const add = async (count: number): Promise<void> => {
      const specs: JobSpec[] = [];
      for (let i = made; i < made + count; i++) {
        const options = { at: new Date(base - i * 1000).toISOString() };
        const input = `${sha256}-bench${i}`;
        await writeFile(path.join(dirs.in, input), bytes);
        specs.push({ id: jobIdOf('verify', sha256, options), op: 'verify', input, sha256, options });
      }
      made += count;
      await queue.addBulk(specs.map((s) => ({ name: s.op, data: s, opts: jobOptions(settings, s.id) })));
    };
    const drained = async (): Promise<void> => {
      const deadline = Date.now() + 600_000;
      for (;;) {
        const c = await queue.getJobCounts('completed', 'failed');
        if ((c.completed ?? 0) + (c.failed ?? 0) >= made) return;
        if (Date.now() > deadline) throw new Error(`queue bench: ${made} jobs added, ${c.completed} completed after 10 minutes`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const [args, ready] =
      kind === 'aigc'
        ? [[CLI, 'worker', '--config', configFile], 'aigc worker ready']
        : [
            ['--import', 'tsx', 'scripts/queue-floor-worker.ts', redis.url, 'bench', dirs.in, config.trust.anchors[0]!],
            'floor worker ready',
          ];
    for (let i = 0; i < workers; i++) procs.push(await startProcess(args, ready));
    // Warm-up: each worker runs `warm` jobs first, so the figure is a running worker's rate, not
    // mostly its JIT compiling (per process: two workers would pay it twice).
    await add(warm * workers);
    await drained();
    await queue.pause();
    await add(jobs);
    const redisPid = Number(/process_id:(\d+)/.exec(await connection.info('server'))?.[1]);
    const cpu0 = { workers: procs.map((p) => processCpuMs(p.pid)), redis: processCpuMs(redisPid), bench: process.cpuUsage() };
    const t0 = Date.now();
    await queue.resume();
    await drained();
    const workerMs = procs.reduce((a, p, i) => a + processCpuMs(p.pid) - cpu0.workers[i]!, 0);
    const redisMs = processCpuMs(redisPid) - cpu0.redis;
    const bench = process.cpuUsage(cpu0.bench);
    let last = 0;
    for (const state of ['completed', 'failed'] as const)
      for (let at = 0; at < made; at += 500)
        for (const j of await queue.getJobs([state], at, at + 499)) last = Math.max(last, j?.finishedOn ?? 0);
    return {
      rate: jobs / ((last - t0) / 1000),
      cpu: { workers: workerMs / jobs, redis: redisMs / jobs, bench: (bench.user + bench.system) / 1000 / jobs },
    };
  } finally {
    for (const p of procs) await stopProcess(p);
    await queue.close();
    connection.disconnect();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Library verifications per second in `processes` fresh processes at once (`bench-worker.ts ours-verify`), summed. */
async function processesRate(file: string, processes: number, iterations: number): Promise<number> {
  const one = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-worker.ts', 'ours-verify', file, String(iterations)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => {
        if (code !== 0) reject(new Error(`bench-worker exited with ${code}`));
        else {
          const r = JSON.parse(out) as { seconds: number; iterations: number };
          resolve(r.iterations / r.seconds);
        }
      });
    });
  const rates = await Promise.all(Array.from({ length: processes }, one));
  return rates.reduce((a, b) => a + b, 0);
}

/**
 * The hardware's own scaling from one busy process to two on this machine: the library's
 * verify of the same file in one process, then in two at once, nothing else running (no Redis,
 * no queue). The queue's 2-vs-1 figure cannot exceed it; Redis and the bench share the same cores.
 */
export async function hardwareScaling(stamped: string, rounds: number, iterations: number): Promise<number> {
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const one = await processesRate(stamped, 1, iterations);
    const two = await processesRate(stamped, 2, iterations);
    ratios.push(two / one);
  }
  process.stderr.write(`bench: library verify, 2 processes vs 1: ${ratios.map((x) => x.toFixed(2)).join(', ')}\n`);
  return median(ratios);
}

/** Queue throughput figures. */
export async function benchQueue(stamped: string, line: Line, quick: boolean): Promise<void> {
  const jobs = Number(process.env.JOBS ?? (quick ? 400 : 1000));
  const rounds = Number(process.env.ROUNDS ?? (quick ? 3 : 5));
  const warm = Number(process.env.WARM ?? (quick ? 1000 : 2000));
  noteLoad('before the queue figures');
  const rates: Record<WorkerKind, { 1: number[]; 2: number[] }> = { aigc: { 1: [], 2: [] }, floor: { 1: [], 2: [] } };
  const cpus: string[] = [];
  // Alternating order (1 2, 2 1, 1 2, …) so a change of load affects both alike; `aigc worker` and
  // the bare BullMQ floor worker in the same rounds.
  for (let r = 0; r < rounds; r++) {
    for (const kind of ['aigc', 'floor'] as const)
      for (const workers of r % 2 ? ([2, 1] as const) : ([1, 2] as const)) {
        const round = await queueRate(stamped, workers, jobs, warm, kind);
        rates[kind][workers].push(round.rate);
        const c = round.cpu;
        cpus.push(`${kind} ${workers}w ${c.workers.toFixed(2)}/${c.redis.toFixed(2)}/${c.bench.toFixed(2)}`);
      }
  }
  const show = (k: WorkerKind): string => {
    const ratios = rates[k][2].map((two, i) => (two / rates[k][1][i]!).toFixed(2));
    const [ones, twos] = [rates[k][1], rates[k][2]].map((xs) => xs.map(Math.round).join(', '));
    return `bench: queue rounds, ${k} worker: 1 worker ${ones}; 2 workers ${twos} jobs/s; 2 vs 1 per round ${ratios.join(', ')}\n`;
  };
  process.stderr.write(`${show('aigc')}${show('floor')}bench: queue CPU ms per job (workers/redis/bench): ${cpus.join('; ')}\n`);
  noteLoad('after the queue figures');
  const one = median(rates.aigc[1]);
  const two = median(rates.aigc[2]);
  line('queue_verify_jpeg_1024_1_worker', 'jobs/s', one, null, median(rates.floor[1]));
  line('queue_verify_jpeg_1024_2_workers', 'jobs/s', two, null, median(rates.floor[2]));
  const hardware = await hardwareScaling(stamped, quick ? 2 : 3, quick ? 1000 : 2000);
  line('queue_scaling_2_vs_1_worker', 'x', two / one, null, hardware);
  line('queue_scaling_2_vs_1_worker_floor', 'x', median(rates.floor[2]) / median(rates.floor[1]), null, hardware);
}
