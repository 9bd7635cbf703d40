/**
 * The queue bench's floor worker (`scripts/queue-floor-worker.ts`): a bare BullMQ worker on a real
 * Redis runs the library's verify on each job's upload, returns the verdict the library gives the
 * same file in this process, and stops on SIGTERM. No timing is asserted: the figures are the
 * bench's to print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { redisConnection } from '../../src/server/queue-runner.ts';
import { gen, repo } from '../helpers.ts';
import { startRedis, tempDir, type TestRedis } from './helpers.ts';

let redis: TestRedis;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  dir = await tempDir('aigc-floor-');
  await mkdir(path.join(dir, 'in'));
});

afterAll(async () => {
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Start the floor worker; resolves once it takes jobs. */
function startFloor(anchors: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', repo('scripts/queue-floor-worker.ts'), redis.url, 'floor', path.join(dir, 'in'), anchors],
    { cwd: repo(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('floor worker ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`floor worker exited (${code}): ${err}`)));
  });
}

describe('queue floor worker', () => {
  it('returns the library verdict of each upload and stops on SIGTERM', async () => {
    const anchors = gen('pki', 'roots.pem');
    const good = await readFile(gen('verify', 'sdk-es256.jpg'));
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length * 0.6)]! ^= 0xff; // a flipped byte in the image data: hash mismatch
    const uploads = { good, bad, text: Buffer.from('not a media file') };
    const trust = { anchorsPem: await readFile(anchors, 'utf8') };
    const expected: Record<string, string | null> = {}; // null: no manifest to judge
    for (const [name, bytes] of Object.entries(uploads)) {
      await writeFile(path.join(dir, 'in', name), bytes);
      expected[name] = (await verify(path.join(dir, 'in', name), { trust })).validation_state ?? null;
    }
    expect(new Set(Object.values(expected)).size).toBeGreaterThan(1); // the files differ in verdict

    const connection = redisConnection(redis.url);
    const queue = new Queue('floor', { connection });
    const events = new QueueEvents('floor', { connection: redisConnection(redis.url) });
    const worker = await startFloor(anchors);
    try {
      await events.waitUntilReady();
      const jobs = await queue.addBulk(Object.keys(uploads).map((name) => ({ name: 'verify', data: { input: name, options: {} } })));
      const returned = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 30_000) as Promise<{ status: string | null }>));
      expect(Object.fromEntries(Object.keys(uploads).map((name, i) => [name, returned[i]!.status]))).toEqual(expected);
      const exit = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
      worker.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
      await queue.close();
      await events.close();
      connection.disconnect();
    }
  }, 60_000);
});
