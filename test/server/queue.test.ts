/**
 * The service with a BullMQ queue on a real Redis (Debian's redis-server on a free loopback
 * port): jobs run by workers, identical jobs joined, results read back, graceful worker
 * shutdown, the fault run at a small size (the full 2,000 + 200 run is
 * `npx tsx scripts/fault-test.ts`), and `aigc worker`'s log lines at two levels.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src/server/app.ts';
import { buildConfig } from '../../src/server/config.ts';
import { startWorker, type RunningWorker } from '../../src/server/worker.ts';
import { verify } from '../../src/service/verify.ts';
import { runFault } from '../../scripts/fault-run.ts';
import { gen } from '../helpers.ts';
import { post, rawConfig, startRedis, tempDir, TOKEN, type TestRedis } from './helpers.ts';
import { CLI } from '../cli/helpers.ts';

const SEED = readFileSync(gen('images', 'seed.jpg'));
const AUTH = { authorization: `Bearer ${TOKEN}` };
const trust = { anchorsPem: readFileSync(gen('pki', 'roots.pem'), 'utf8') };

describe('queue mode', () => {
  let redis: TestRedis;
  let spool: string;
  let service: Service;
  let base: string;
  let worker: RunningWorker | undefined;
  let config: ReturnType<typeof buildConfig>;

  beforeAll(async () => {
    redis = await startRedis();
    spool = await tempDir('aigc-queue-');
    config = buildConfig(rawConfig(spool, { queue: { url: redis.url, name: 'qtest' }, limits: { jobWaitMs: 1500 } }), process.cwd(), {});
    service = await createService(config, { logger: false });
    base = await service.listen();
  });

  afterAll(async () => {
    await worker?.close();
    await service?.close();
    await redis?.stop();
    await rm(spool, { recursive: true, force: true });
  });

  it('without a worker a request answers 202 with the job URL; a worker then finishes it', async () => {
    const r = await post(base, '/v1/stamp?explicit=false', SEED, AUTH);
    expect(r.status).toBe(202);
    const { id, href } = (await r.json()) as { id: string; href: string };
    expect(r.headers.get('location')).toBe(href);
    expect((await fetch(`${base}${href}`)).status).toBe(202);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/aigc_queue_depth\{state="waiting"\} 1/);
    worker = await startWorker(config);
    let job: { status?: string; output?: { sha256: string } } = {};
    for (let i = 0; i < 100 && job.status !== 'completed'; i++) {
      const g = await fetch(`${base}${href}`);
      if (g.status === 200) job = await g.json();
      else await new Promise((res) => setTimeout(res, 100));
    }
    expect(job.status).toBe('completed');
    const out = await fetch(`${base}/v1/jobs/${id}/output`, { headers: AUTH });
    const bytes = new Uint8Array(await out.arrayBuffer());
    expect(out.headers.get('x-aigc-output-sha256')).toBe(job.output!.sha256);
    expect((await verify(bytes, { trust })).validation_state).toBe('Trusted');
    // The same request again joins the finished job: the same bytes.
    const again = await post(base, '/v1/stamp?explicit=false', SEED, AUTH);
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('verify, inspect and decide through the worker answer the same reports; readyz names the runner', async () => {
    const r = await post(base, '/v1/verify', SEED);
    expect(r.status).toBe(200);
    expect((await r.json()).labels).toBeDefined();
    const d = await post(base, '/v1/decide?declared_ai=true', SEED);
    const dj = await d.json();
    expect(dj, JSON.stringify(dj)).toMatchObject({ prompt: 'possibly-ai-generated' });
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', runner: 'redis', backend: 'up' });
  });

  it('identical concurrent requests become one job with one output', async () => {
    const rs = await Promise.all(Array.from({ length: 6 }, () => post(base, '/v1/stamp?explicit=false&produce_id=same', SEED, AUTH)));
    const hashes = new Set(rs.map((r) => r.headers.get('x-aigc-output-sha256')));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(hashes.size).toBe(1);
  });

  it('a worker closing (SIGTERM) finishes the job in hand', async () => {
    const pending = post(base, '/v1/stamp?label_position=top-right', SEED, AUTH);
    await new Promise((res) => setTimeout(res, 150));
    await worker!.close();
    worker = undefined;
    const r = await pending;
    expect([200, 202]).toContain(r.status);
    if (r.status === 202) {
      // It was not taken before the close: a new worker takes it.
      worker = await startWorker(config);
      const { href } = (await r.json()) as { href: string };
      let s = 202;
      for (let i = 0; i < 100 && s === 202; i++) {
        s = (await fetch(`${base}${href}`)).status;
        if (s === 202) await new Promise((res) => setTimeout(res, 100));
      }
      expect(s).toBe(200);
    }
  });
});

it('fault run (small): 2 workers, verify and stamp jobs, a worker SIGKILLed twice, Redis restarted once', async () => {
  const r = await runFault({ verify: 300, stamp: 30 });
  expect(r.events).toHaveLength(3);
  expect(r.statuses['500'] ?? 0).toBe(0);
  expect(r.missing).toBe(0);
  expect(r.verifyStates).toEqual({ Trusted: 300 });
  expect(r.stampCorrupt).toBe(0);
  expect(r.stampMismatches).toBe(0);
  // One output folder per stamp job (plus the source the run stamps first), never two.
  expect(r.outputs).toBe(31);
  for (const b of r.stampedSamples) expect((await verify(new Uint8Array(b), { trust })).validation_state).toBe('Trusted');
}, 120_000);

it('an `aigc worker` writes a line per job at logLevel info and none at warn; its start and stop lines always', async () => {
  const redis = await startRedis();
  const spool = await tempDir('aigc-queue-log-');
  const queue = { url: redis.url, name: 'qlog' };
  const service = await createService(buildConfig(rawConfig(spool, { queue, limits: { jobWaitMs: 20_000 } }), process.cwd(), {}), {
    logger: false,
  });
  const base = await service.listen();
  try {
    for (const [level, perJob] of [
      ['info', true],
      ['warn', false],
    ] as const) {
      const file = path.join(spool, `worker-${level}.json`);
      writeFileSync(file, JSON.stringify(rawConfig(spool, { queue, logLevel: level })));
      const child = spawn(process.execPath, [CLI, 'worker', '--config', file], { env: { ...process.env, AIGC_TRUST: '' } });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
      });
      for (let i = 0; i < 200 && !out.includes('aigc worker ready'); i++) await new Promise((r) => setTimeout(r, 50));
      const r = await post(base, `/v1/verify?at=2026-06-0${perJob ? 1 : 2}T00:00:00Z`, SEED);
      expect(r.status).toBe(200);
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await closed;
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; level?: number });
      expect(lines.map((l) => l.msg)).toEqual(
        perJob ? ['aigc worker ready', 'job done', expect.any(String), 'stopped'] : ['aigc worker ready', expect.any(String), 'stopped'],
      );
      if (perJob) expect(lines[1]!.level).toBe(30);
    }
  } finally {
    await service.close();
    await redis.stop();
    await rm(spool, { recursive: true, force: true });
  }
}, 60_000);
