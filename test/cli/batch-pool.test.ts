/**
 * The batch's worker pool (cli/batch/pool.ts), from the sources: a worker gives exactly what the
 * same task gives in this thread; `launch` returns before the workers are ready and `close` then
 * ends them; `boot` starts them before their configuration (files given meanwhile wait), and a
 * booted pool closed by a usage error ends quietly; and a batch with `--jobs 2` (this thread plus
 * one worker) gives the same lines as `--jobs 1`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../cli/batch/pool.ts';
import { createTask } from '../../cli/batch/verify-task.ts';
import type { BatchConfig, TaskResult } from '../../cli/batch/types.ts';
import { resolveTrust } from '../../src/verify/engine/trust-options.ts';
import { gen } from '../helpers.ts';
import { aigc } from './helpers.ts';

const ROOTS = gen('pki', 'roots.pem');
const files = readdirSync(gen('verify'))
  .filter((f) => /\.(jpe?g|png)$/.test(f))
  .sort()
  .slice(0, 12)
  .map((f) => gen('verify', f));
const config: BatchConfig = {
  command: 'verify',
  mode: 'jsonl',
  options: { trust: { anchorsPem: readFileSync(ROOTS, 'utf8') } },
  lang: 'en',
};

describe('worker pool', () => {
  it('a worker gives the same results as the task in this thread', async () => {
    resolveTrust((config.options as { trust: object }).trust);
    const local = await createTask(config);
    const pool = await WorkerPool.start(1, config);
    try {
      expect(pool.idlest).toBe(0);
      const fromWorker = await Promise.all(files.map((f, seq) => pool.run({ seq, path: f })));
      const here: TaskResult[] = [];
      for (const [seq, f] of files.entries()) here.push(await local({ seq, path: f }));
      expect(fromWorker).toEqual(here);
      expect(new Set(here.map((r) => r.verdict)).size).toBeGreaterThan(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('launch returns before the workers are ready; close ends them while they load', async () => {
    const pool = WorkerPool.launch(2, config);
    expect(pool.idlest).toBeUndefined();
    await pool.close();
    const again = WorkerPool.launch(1, config);
    await again.ready;
    expect(again.idlest).toBe(0);
    await again.close();
  }, 60_000);

  it('boot starts workers before the configuration: files given meanwhile wait for it, then run', async () => {
    const local = await createTask(config);
    const pool = WorkerPool.boot(1, { command: 'verify', lang: 'en' });
    try {
      const early = files.slice(0, 3).map((f, seq) => pool.run({ seq, path: f }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pool.idlest).toBeUndefined(); // no configuration, no task: not ready
      pool.configure(config);
      await pool.ready;
      const results = await Promise.all(early);
      for (const [seq, r] of results.entries()) expect(r).toEqual(await local({ seq, path: files[seq]! }));
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a booted pool closed before its configuration (a usage error) ends quietly', async () => {
    const pool = WorkerPool.boot(2, { command: 'verify' });
    await pool.close();
    const bad = WorkerPool.boot(1, { command: 'no-such-command' });
    bad.configure({ ...config, command: 'no-such-command' });
    await expect(bad.ready).rejects.toThrow();
    await bad.close();
  }, 60_000);
});

describe('a batch on this thread and a worker', () => {
  it('a usage error after the workers were started ends with one line and 64', async () => {
    const r = await aigc(['verify', gen('verify'), '--jsonl', '--jobs', '2', '--trust', gen('pki', 'no-such-roots.pem')]);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--trust file/);
  }, 60_000);

  it('--jobs 2 prints the same lines as --jobs 1 (--ordered)', async () => {
    const args = ['verify', ...files, '--jsonl', '--ordered', '--fields', 'validation_state,validation_status', '--trust', ROOTS];
    const one = await aigc([...args, '--jobs', '1']);
    const two = await aigc([...args, '--jobs', '2']);
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    expect(
      one.stdout
        .trim()
        .split('\n')
        .map((l) => path.basename((JSON.parse(l) as { path: string }).path)),
    ).toEqual(files.map((f) => path.basename(f)));
  }, 60_000);
});
