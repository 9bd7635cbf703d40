/**
 * The floor of `aigc worker` for the queue figures of `npm run bench` (bench-server.ts): a bare
 * BullMQ worker, concurrency 1, whose processor runs the library's `verify` on the job's upload
 * and returns its status, and nothing else: no result store, no spool clean-up, no log line, no
 * retry bookkeeping. It gets the same V8 flag as `aigc worker` and runs the built library
 * (`dist/src/`) when there is one, as the real workers run the built CLI.
 *   node --import tsx scripts/queue-floor-worker.ts <redis-url> <queue-name> <spool-in-folder> <anchors.pem>
 * Prints `floor worker ready` once it takes jobs; stops on SIGTERM after the job in hand.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';

type Verify = (input: string, options: { trust: { anchorsPem: string }; at?: Date }) => Promise<{ validation_state: string | null }>;

const BUILT = path.resolve('dist/src');

/** The library module at `rel` (under src/ or dist/src/), built when there is a build. */
async function library<T>(rel: string): Promise<T> {
  const built = path.join(BUILT, `${rel}.js`);
  return (await import(existsSync(built) ? pathToFileURL(built).href : `../src/${rel}.ts`)) as T;
}

async function main(): Promise<void> {
  const [url, name, inDir, anchors] = process.argv.slice(2);
  if (!url || !name || !inDir || !anchors) throw new Error('usage: queue-floor-worker <redis-url> <queue> <in-folder> <anchors.pem>');
  const { tuneWorkerProcess } = await library<{ tuneWorkerProcess: () => void }>('server/heap-tuning');
  tuneWorkerProcess();
  const { verify } = await library<{ verify: Verify }>('service/verify');
  const trust = { anchorsPem: await readFile(anchors, 'utf8') };
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const worker = new Worker(
    name,
    async (job: Job<{ input: string; options: { at?: string } }>) => {
      const at = job.data.options.at;
      const report = await verify(path.join(inDir, job.data.input), { trust, ...(at ? { at: new Date(at) } : {}) });
      return { status: report.validation_state };
    },
    { connection, concurrency: 1 },
  );
  await worker.waitUntilReady();
  process.stdout.write('floor worker ready\n');
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await worker.close();
  connection.disconnect();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
