/**
 * The verify threads of `aigc serve` (limits.threads): the read jobs run on them and answer
 * exactly what the service answers with every job on its main thread; a thread that dies is
 * replaced and its job runs again; closing the service finishes the jobs in flight, then stops
 * every thread.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, watch } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedRunner } from '../../src/server/embedded-runner.ts';
import { JobPool } from '../../src/server/job-pool.ts';
import { isJobId, jobIdOf, parseJobOptions, type JobSpec } from '../../src/server/job-spec.ts';
import { attemptRead } from '../../src/server/read-job.ts';
import { ensureSpool } from '../../src/server/spool.ts';
import type { Service } from '../../src/server/app.ts';
import { gen } from '../helpers.ts';
import { post, rawConfig, startService, tempDir, testConfig, TOKEN, freePort, waitForPort } from './helpers.ts';
import { CLI } from '../cli/helpers.ts';

const AUTH = { authorization: `Bearer ${TOKEN}` };
const trust = { anchorsPem: readFileSync(gen('pki', 'roots.pem'), 'utf8') };
const AT = '2026-06-01T00:00:00.000Z';

/** Inputs: trusted, tampered, truncated, unsigned, not media at all. */
const FILES: Record<string, Buffer> = {
  'sdk-es256.jpg': readFileSync(gen('verify', 'sdk-es256.jpg')),
  'sdk-es256.png': readFileSync(gen('verify', 'sdk-es256.png')),
  'sdk-es256.wav': readFileSync(gen('verify', 'sdk-es256.wav')),
  'tamper-data.jpg': readFileSync(gen('verify', 'tamper-data.jpg')),
  'truncated.jpg': readFileSync(gen('verify', 'truncated.jpg')),
  'seed.jpg': readFileSync(gen('images', 'seed.jpg')),
  junk: Buffer.from('not a media file at all, just text'),
};

const services: { service: Service; base: string; spool: string }[] = [];

async function start(threads: number, memoryUploadBytes?: number): Promise<{ service: Service; base: string; spool: string }> {
  const spool = await tempDir('aigc-threads-');
  const limits = { threads, ...(memoryUploadBytes === undefined ? {} : { memoryUploadBytes }) };
  const s = { ...(await startService(testConfig(spool, { limits }))), spool };
  services.push(s);
  return s;
}

const poolOf = (service: Service): JobPool | undefined => (service.state.runner as EmbeddedRunner).pool;

afterAll(async () => {
  for (const s of services) {
    await s.service.close();
    await rm(s.spool, { recursive: true, force: true });
  }
});

describe('verify threads', () => {
  let threaded: { service: Service; base: string; spool: string };
  let inline: { service: Service; base: string; spool: string };

  beforeAll(async () => {
    // Threads with small uploads in memory (the default) against the HTTP thread reading every upload from the spool.
    threaded = await start(2);
    inline = await start(0, 0);
    await poolOf(threaded.service)!.whenReady();
  });

  it('are started from limits.threads (none with 0), and counted in /metrics', async () => {
    expect(poolOf(threaded.service)!.size).toBe(2);
    expect(poolOf(threaded.service)!.ready).toBe(true);
    expect(poolOf(inline.service)).toBeUndefined();
    const metrics = await (await fetch(`${threaded.base}/metrics`)).text();
    expect(metrics).toMatch(/^aigc_verify_threads 2$/m);
    expect(metrics).toMatch(/^aigc_verify_thread_restarts 0$/m);
    expect(await (await fetch(`${inline.base}/metrics`)).text()).not.toMatch(/aigc_verify_threads/);
  });

  it('answer verify, inspect and decide byte for byte as the main thread does', async () => {
    const pool = poolOf(threaded.service)!;
    const before = pool.completed;
    let requests = 0;
    for (const [name, bytes] of Object.entries(FILES)) {
      for (const route of [`/v1/verify?at=${AT}`, `/v1/inspect?at=${AT}`, `/v1/decide?at=${AT}&declared_ai=true`]) {
        const [a, b] = await Promise.all([post(threaded.base, route, bytes), post(inline.base, route, bytes)]);
        const [ta, tb] = [await a.text(), await b.text()];
        expect(a.status, `${name} ${route}`).toBe(b.status);
        expect(a.headers.get('content-type'), `${name} ${route}`).toBe(b.headers.get('content-type'));
        // Job ids: the spooled upload's from its SHA-256, the one kept in memory from its content key.
        const op = route.slice(4, route.indexOf('?')) as 'verify' | 'inspect' | 'decide';
        const options = parseJobOptions(op, Object.fromEntries(new URL(route, 'http://x').searchParams));
        expect(b.headers.get('x-aigc-job')).toBe(jobIdOf(op, createHash('sha256').update(bytes).digest('hex'), options));
        expect(isJobId(a.headers.get('x-aigc-job')!)).toBe(true);
        expect(a.headers.get('x-aigc-job')).not.toBe(b.headers.get('x-aigc-job'));
        expect(ta, `${name} ${route}`).toBe(tb);
        requests++;
      }
    }
    // Every one of those ran on a thread (none was already answered: distinct inputs and options),
    // and the threads removed the consumed uploads.
    expect(pool.completed - before).toBe(requests);
    expect(await readdir(path.join(threaded.spool, 'in'))).toEqual([]);
    // The verdicts the threads gave (counted without parsing their answers) are the main thread's.
    const verdicts = async (base: string): Promise<string[]> =>
      (await (await fetch(`${base}/metrics`)).text())
        .split('\n')
        .filter((l) => l.startsWith('aigc_verdicts_total{'))
        .sort();
    const counted = await verdicts(threaded.base);
    expect(counted.length).toBeGreaterThan(5);
    expect(counted).toEqual(await verdicts(inline.base));
    const trusted = await post(threaded.base, `/v1/verify?at=${AT}`, FILES['sdk-es256.jpg']!);
    expect((await trusted.json()).validation_state).toBe('Trusted');
    const junk = await post(threaded.base, `/v1/verify?at=${AT}`, FILES.junk!);
    expect(junk.status).toBe(200);
  });

  it('keep small read uploads in memory (the spool never sees them); with memoryUploadBytes 0 they are spooled', async () => {
    const events = { threaded: [] as string[], inline: [] as string[] };
    const watchers = (['threaded', 'inline'] as const).flatMap((k) =>
      ['tmp', 'in'].map((d) => watch(path.join((k === 'threaded' ? threaded : inline).spool, d), (_e, f) => events[k].push(`${d}/${f}`))),
    );
    try {
      for (const s of [threaded, inline]) {
        const r = await post(s.base, '/v1/verify?at=2026-06-03T00:00:00.000Z', FILES['sdk-es256.png']!);
        expect((await r.json()).validation_state).toBe('Trusted');
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      for (const w of watchers) w.close();
    }
    expect(events.threaded).toEqual([]);
    // The same upload kept in memory again joins the same job (its content key is this process's).
    const again = await post(threaded.base, '/v1/verify?at=2026-06-03T00:00:00.000Z', FILES['sdk-es256.png']!);
    const first = await post(threaded.base, '/v1/verify?at=2026-06-03T00:00:00.000Z', FILES['sdk-es256.png']!);
    expect(again.headers.get('x-aigc-job')).toBe(first.headers.get('x-aigc-job'));
    expect(await again.text()).toBe(await first.text());
    expect(events.inline.some((e) => e.startsWith('tmp/up-'))).toBe(true);
    expect(events.inline.some((e) => e.startsWith('in/'))).toBe(true);
    expect(await readdir(path.join(inline.spool, 'in'))).toEqual([]);
  });

  it('give the same stored result to GET /v1/jobs/:id and take signing jobs on the main thread', async () => {
    const r = await post(threaded.base, `/v1/verify?at=2026-06-02T00:00:00.000Z`, FILES['sdk-es256.png']!);
    const id = r.headers.get('x-aigc-job')!;
    const job = await (await fetch(`${threaded.base}/v1/jobs/${id}`)).json();
    expect(job).toMatchObject({ id, op: 'verify', status: 'completed' });
    expect(job.result).toEqual(await r.json());
    const pool = poolOf(threaded.service)!;
    const before = pool.completed;
    const s = await post(threaded.base, '/v1/stamp?explicit=false', FILES['seed.jpg']!, AUTH);
    expect(s.status).toBe(200);
    expect(pool.completed).toBe(before);
  });
});

describe('a thread that dies', () => {
  let dir: string;
  let spec: (at: string) => Promise<JobSpec>;
  let inDir: string;

  beforeAll(async () => {
    dir = await tempDir('aigc-pool-');
    inDir = (await ensureSpool(dir)).in;
    let n = 0;
    spec = async (at) => {
      const input = `in-${++n}`;
      await copyFile(gen('verify', 'sdk-es256.jpg'), path.join(inDir, input));
      const options = { at };
      return { id: jobIdOf('verify', 'a'.repeat(64), options), op: 'verify', input, sha256: 'a'.repeat(64), options };
    };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is replaced, and the job it held runs again on the new thread', async () => {
    const pool = new JobPool(1, { inDir, trust });
    try {
      await pool.whenReady();
      const first = pool.threads()[0]!;
      const job = await spec(AT);
      const expected = await attemptRead(job, inDir, trust); // the same job on this thread
      const running = pool.run(job);
      await first.terminate(); // the thread dies with the job in hand
      const result = await running;
      expect(result.status).toBe('completed');
      expect(JSON.stringify(result.result)).toBe(JSON.stringify(expected.result));
      expect(await readdir(inDir)).toEqual([]); // the upload, kept for the second run, is gone after it
      expect(pool.size).toBe(1);
      expect(pool.threads()[0]).not.toBe(first);
      expect(pool.restarts).toBe(1);
      // The new thread keeps serving.
      const again = await pool.run(await spec('2026-06-03T00:00:00.000Z'));
      expect((again.result as { validation_state: string }).validation_state).toBe('Trusted');
    } finally {
      await pool.close();
    }
  });

  it('runs a job whose upload is in memory again after its thread died (the shared bytes are still there)', async () => {
    const pool = new JobPool(1, { inDir, trust });
    try {
      await pool.whenReady();
      const file = readFileSync(gen('verify', 'sdk-es256.jpg'));
      const bytes = new Uint8Array(new SharedArrayBuffer(file.length));
      bytes.set(file);
      const options = { at: AT };
      const job: JobSpec = { id: jobIdOf('verify', 'gmac:00', options), op: 'verify', input: '', sha256: 'gmac:00', options, bytes };
      const expected = await attemptRead(job, inDir, trust);
      const running = pool.run(job);
      await pool.threads()[0]!.terminate();
      const result = await running;
      expect(result.status).toBe('completed');
      expect(JSON.stringify(result.result)).toBe(JSON.stringify(expected.result));
      expect(pool.restarts).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('closing the pool stops every thread; later jobs are refused with a typed error', async () => {
    const pool = new JobPool(2, { inDir, trust });
    await pool.whenReady();
    const threads = pool.threads();
    const exits = threads.map((t) => new Promise<number>((resolve) => t.once('exit', resolve)));
    await pool.close();
    expect((await Promise.all(exits)).length).toBe(2);
    expect(pool.size).toBe(0);
    await expect(pool.run(await spec(AT))).rejects.toMatchObject({ code: 'EXTERNAL_TOOL' });
  });
});

describe('shutting the service down', () => {
  it('finishes the jobs in flight on the threads, then stops them', async () => {
    const { service, base } = await start(2);
    const pool = poolOf(service)!;
    await pool.whenReady();
    const threads = pool.threads();
    const exits = threads.map((t) => new Promise<void>((resolve) => t.once('exit', () => resolve())));
    const answers = [0, 1, 2, 3].map((i) => post(base, `/v1/verify?at=2026-06-0${i + 4}T00:00:00.000Z`, FILES['sdk-es256.jpg']!));
    // Wait until the requests are in (uploaded and running), then close.
    for (let i = 0; i < 200 && service.state.inFlight < 4 && pool.completed === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const closing = service.close();
    const statuses = await Promise.all(answers.map(async (a) => (await a).status));
    await closing;
    await Promise.all(exits);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(pool.size).toBe(0);
    services.splice(
      services.findIndex((s) => s.service === service),
      1,
    );
  });
});

describe('the built CLI', () => {
  it('aigc serve runs verify jobs on the bundled thread (job-thread.js beside the bundle)', async () => {
    const dir = await tempDir('aigc-threads-cli-');
    const port = await freePort();
    const config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify(rawConfig(path.join(dir, 'spool'), { port, limits: { threads: 1 } })));
    const server = spawn(process.execPath, [CLI, 'serve', '--config', config], { stdio: 'ignore' });
    const metric = async (name: string): Promise<number> =>
      Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())?.[1] ?? NaN);
    try {
      await waitForPort(port, 30_000);
      const base = `http://127.0.0.1:${port}`;
      expect((await post(base, `/v1/verify?at=${AT}`, FILES['sdk-es256.jpg']!)).status).toBe(200); // starts the thread
      for (let i = 0; i < 300 && (await metric('aigc_verify_threads')) < 1; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await metric('aigc_verify_threads')).toBe(1);
      const r = await post(base, '/v1/verify?at=2026-06-09T00:00:00.000Z', FILES['sdk-es256.jpg']!);
      expect((await r.json()).validation_state).toBe('Trusted');
      expect(await metric('aigc_verify_thread_jobs')).toBe(1);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
