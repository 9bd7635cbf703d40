/**
 * CPU time per HTTP verify request of `aigc serve` (the built CLI), per thread of the served
 * process (from /proc), and of the load generator (autocannon, this process), for A/B comparisons
 * on a shared machine: CPU time per request is much less skewed by other load than requests/s.
 * Variants are environment settings of the served process, measured in alternating rounds:
 *   npx tsx scripts/server-cpu.ts FILE [REQUESTS] [ROUNDS] [VARIANT ...]
 *   VARIANT: space-separated NAME=VALUE pairs, e.g. 'AIGC_THREADS=0' '' ('' = defaults); CLI=PATH runs
 *   another build (`node scripts/build.mjs --cli-only --out .cache/cli-old` from another commit).
 * Linux only (reads /proc/PID/task/TID/stat).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, rawConfig, tempDir, waitForPort } from '../test/server/helpers.ts';

const CLI = path.resolve('dist/cli/aigc.js');
const CLK_TCK = 100;

/** CPU milliseconds so far of each thread of `pid`, by `tid:name`. */
function threadCpu(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const s = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      m.set(t, (Number(f[11]) + Number(f[12])) * (1000 / CLK_TCK));
    } catch {
      // the thread ended meanwhile
    }
  }
  return m;
}

function cannon(body: Buffer, port: number, amount: number): Promise<autocannon.Result> {
  let n = 0;
  const t0 = Date.now();
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    method: 'POST',
    amount,
    connections: 4,
    body,
    headers: { 'content-type': 'application/octet-stream' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/verify?at=${new Date(t0 - ++n).toISOString()}` }) }],
  } as unknown as autocannon.Options);
}

const [file, amountArg, roundsArg, ...variantArgs] = process.argv.slice(2);
if (!file) throw new TypeError('usage: server-cpu.ts FILE [REQUESTS] [ROUNDS] [VARIANT ...]');
const amount = Number(amountArg ?? 3000);
const rounds = Number(roundsArg ?? 3);
const variants = variantArgs.length ? variantArgs : [''];
const body = await readFile(file);
const servers: { name: string; proc: ChildProcess; port: number; dir: string }[] = [];
try {
  for (const v of variants) {
    const dir = await tempDir('aigc-cpu-');
    const port = await freePort();
    const cfg = path.join(dir, 'config.json');
    await writeFile(cfg, JSON.stringify(rawConfig(path.join(dir, 'spool'), { port, logLevel: 'warn', limits: { maxInFlight: 256 } })));
    const env = {
      ...process.env,
      ...Object.fromEntries(
        v
          .split(' ')
          .filter(Boolean)
          .map((kv) => kv.split('=', 2) as [string, string]),
      ),
    };
    const proc = spawn(process.execPath, [env.CLI ?? CLI, 'serve', '--config', cfg], { stdio: ['ignore', 'ignore', 'inherit'], env });
    servers.push({ name: v || 'defaults', proc, port, dir });
    await waitForPort(port, 60_000);
    // Warm-up: the JIT keeps compiling for the first ten thousand requests or so.
    await cannon(body, port, 6000);
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 ? servers.slice().reverse() : servers) {
      const pid = s.proc.pid!;
      const before = threadCpu(pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await cannon(body, s.port, amount);
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const after = threadCpu(pid);
      let total = 0;
      let main = 0;
      const others: number[] = [];
      for (const [tid, ms] of after) {
        const d = ms - (before.get(tid) ?? 0);
        total += d;
        if (tid === String(pid)) main = d;
        else if (d / amount > 0.3) others.push(d / amount);
      }
      process.stdout.write(
        `${JSON.stringify({
          variant: s.name,
          reqPerSec: Math.round(amount / (wall / 1000)),
          p99: res.latency.p99,
          non2xx: res.non2xx,
          serverCpuMsPerReq: +(total / amount).toFixed(3),
          mainThread: +(main / amount).toFixed(3),
          busyThreads: others.map((x) => +x.toFixed(3)),
          autocannonCpuMsPerReq: +((c.user + c.system) / 1000 / amount).toFixed(3),
          load: os.loadavg()[0]!.toFixed(2),
        })}\n`,
      );
    }
  }
} finally {
  for (const s of servers) {
    s.proc.kill('SIGTERM');
    await new Promise((r) => s.proc.once('exit', r));
    await rm(s.dir, { recursive: true, force: true });
  }
}
