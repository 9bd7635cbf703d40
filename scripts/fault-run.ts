/**
 * The queue fault run: a real Redis, the service in this process with `--queue`, two
 * `aigc worker` processes; N verify and M stamp requests over loopback while one worker is
 * SIGKILLed (and replaced) twice and Redis is restarted once. It returns what happened so
 * the test (small size) and `scripts/fault-test.ts` (full size) can check that every job
 * completed exactly once in effect and that the service never answered 500.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildConfig } from '../src/server/config.ts';
import { createService } from '../src/server/app.ts';
import { rawConfig, startRedis, tempDir, TOKEN } from '../test/server/helpers.ts';
import { gen, repo } from '../test/helpers.ts';

/** Sizes and pacing of a run. */
export interface FaultRunOptions {
  verify: number;
  stamp: number;
  clients?: number;
  log?: (msg: string) => void;
}

/** What a run observed. */
export interface FaultRunResult {
  statuses: Record<string, number>;
  /** Requests that never got a final answer. */
  missing: number;
  verifyStates: Record<string, number>;
  /** Stamp job ids whose bytes differed between answers (must be 0). */
  stampMismatches: number;
  /** Stamp answers whose bytes did not match their own announced SHA-256 (must be 0). */
  stampCorrupt: number;
  /** Folders in the spool's out/ (must equal the stamp count). */
  outputs: number;
  /** A few stamped answers, for the caller to verify. */
  stampedSamples: Buffer[];
  events: string[];
  seconds: number;
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function spawnWorker(configFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [repo('cli/aigc.js'), 'worker', '--config', configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      if (buf.includes('aigc worker ready')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

const stop = (child: ChildProcess, signal: NodeJS.Signals): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill(signal);
  });

/** Run the fault scenario. */
export async function runFault(opts: FaultRunOptions): Promise<FaultRunResult> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const redis = await startRedis();
  const dir = await tempDir('aigc-fault-');
  const spool = path.join(dir, 'spool');
  const raw = rawConfig(spool, {
    queue: { url: redis.url, name: 'fault', attempts: 10, stalledIntervalMs: 1000, lockDurationMs: 3000 },
    limits: { maxInFlight: 256, jobWaitMs: 120_000, concurrency: 2 },
  });
  const configFile = path.join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(raw));
  const service = await createService(buildConfig(raw, dir, {}), { logger: false });
  const base = await service.listen();
  const workers: ChildProcess[] = [await spawnWorker(configFile), await spawnWorker(configFile)];
  const events: string[] = [];
  const seed = readFileSync(gen('images', 'seed.jpg'));
  const stampedRes = await fetch(`${base}/v1/stamp?explicit=false&produce_id=fault-source`, {
    method: 'POST',
    body: seed,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const stamped = Buffer.from(await stampedRes.arrayBuffer());
  const statuses: Record<string, number> = {};
  const verifyStates: Record<string, number> = {};
  const stampBytes = new Map<string, string>();
  let stampMismatches = 0;
  let stampCorrupt = 0;
  let missing = 0;
  const samples: Buffer[] = [];
  const total = opts.verify + opts.stamp;
  let done = 0;
  const at0 = Date.now();
  type Req = { kind: 'verify' | 'stamp'; i: number };
  const queue: Req[] = [];
  const every = Math.max(1, Math.floor(total / Math.max(1, opts.stamp)));
  for (let i = 0, s = 0, v = 0; i < total; i++) {
    const stampHere = s < opts.stamp && (i % every === 0 || v >= opts.verify);
    queue.push(stampHere ? { kind: 'stamp', i: s++ } : { kind: 'verify', i: v++ });
  }

  async function one(req: Req): Promise<void> {
    const url =
      req.kind === 'verify'
        ? `${base}/v1/verify?at=${encodeURIComponent(new Date(at0 - req.i * 1000).toISOString())}`
        : `${base}/v1/stamp?explicit=false&produce_id=fault-${req.i}`;
    for (let attempt = 0; attempt < 50; attempt++) {
      let r: Response;
      try {
        r = await fetch(url, {
          method: 'POST',
          body: req.kind === 'verify' ? stamped : seed,
          headers: req.kind === 'stamp' ? { authorization: `Bearer ${TOKEN}` } : {},
        });
      } catch {
        statuses.network = (statuses.network ?? 0) + 1;
        await new Promise((res) => setTimeout(res, 200));
        continue;
      }
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 503 || r.status === 202) {
        await r.arrayBuffer();
        await new Promise((res) => setTimeout(res, 500));
        continue;
      }
      if (r.status !== 200) return;
      if (req.kind === 'verify') {
        const report = (await r.json()) as { validation_state: string | null };
        verifyStates[String(report.validation_state)] = (verifyStates[String(report.validation_state)] ?? 0) + 1;
      } else {
        const bytes = Buffer.from(await r.arrayBuffer());
        const h = sha(bytes);
        if (h !== r.headers.get('x-aigc-output-sha256')) stampCorrupt++;
        const id = r.headers.get('x-aigc-job')!;
        const prev = stampBytes.get(id);
        if (prev && prev !== h) stampMismatches++;
        stampBytes.set(id, h);
        if (samples.length < 3) samples.push(bytes);
      }
      return;
    }
    missing++;
  }

  // Chaos at fixed points of the run; requests past a point wait until its event is over,
  // so each event happens with requests in flight, whatever the machine's speed.
  const gates: { at: number; run: () => Promise<void>; done?: Promise<void> }[] = [
    {
      at: 0.2,
      run: async () => {
        events.push(`SIGKILL worker pid ${workers[0]!.pid} at ${done}/${total}`);
        await stop(workers[0]!, 'SIGKILL');
        workers[0] = await spawnWorker(configFile);
      },
    },
    {
      at: 0.45,
      run: async () => {
        events.push(`restart Redis at ${done}/${total}`);
        await redis.restart();
      },
    },
    {
      at: 0.7,
      run: async () => {
        events.push(`SIGKILL worker pid ${workers[0]!.pid} at ${done}/${total}`);
        await stop(workers[0]!, 'SIGKILL');
        workers[0] = await spawnWorker(configFile);
      },
    },
  ];
  const gate = async (index: number): Promise<void> => {
    for (const g of gates) {
      if (index < g.at * total) return;
      g.done ??= (async () => {
        while (done < g.at * total - (opts.clients ?? 16) / 2) await new Promise((res) => setTimeout(res, 5));
        await g.run();
      })();
      await g.done;
    }
  };
  const ticker = setInterval(() => log(`progress ${done}/${total} ${JSON.stringify(statuses)} ${events.at(-1) ?? ''}`), 5000);
  const clients = opts.clients ?? 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < queue.length) {
        const index = next++;
        await gate(index);
        await one(queue[index]!);
        done++;
      }
    }),
  );
  clearInterval(ticker);
  log(events.join('; '));
  // Every stamp again: each must come back with the bytes of its first answer.
  const again = [...stampBytes.keys()].length;
  for (let i = 0; i < opts.stamp; i += Math.max(1, Math.floor(opts.stamp / 20))) {
    const req = queue.filter((q) => q.kind === 'stamp')[i]!;
    await one(req);
  }
  log(`re-requested ${again} stamp jobs' sample`);
  const outputs = (await readdir(path.join(spool, 'out'))).length;
  for (const w of workers) await stop(w, 'SIGTERM');
  await service.close();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
  return {
    statuses,
    missing,
    verifyStates,
    stampMismatches,
    stampCorrupt,
    outputs,
    stampedSamples: samples,
    events,
    seconds: (Date.now() - started) / 1000,
  };
}
