/**
 * The bench's floor measurements (`scripts/bench-worker.ts`): `reencode-serial` (the labelled
 * stamp's decode and encode in series) and `hash-and-copy` (a SHA-256 pass on the hashing thread
 * beside a copy-and-hash of the file) run to completion on real files and report what `bench.ts`
 * reads. No timing is asserted: the figures are the bench's to print.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gen, repo } from '../helpers.ts';

const run = promisify(execFile);

interface Measure {
  seconds: number;
  cpuSeconds: number;
  iterations: number;
  bytes: number;
  maxRssMB: number;
}

async function measure(op: string, file: string, iterations: number): Promise<Measure> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', repo('scripts/bench-worker.ts'), op, file, String(iterations)], {
    cwd: repo(),
    env: { ...process.env, BENCH_WARM_UP_MS: '0' }, // one untimed run: the test checks the op, not its speed
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Measure;
}

describe('bench floors', () => {
  it.each([
    ['reencode-serial', 2],
    ['hash-and-copy', 3],
  ])(
    '%s runs to the end on the bench JPEG and reports its size',
    async (op, iterations) => {
      const file = gen('images', 'bench-1024.jpg');
      const m = await measure(op, file, iterations);
      expect(m.iterations).toBe(iterations);
      expect(m.bytes).toBe(statSync(file).size);
      expect(m.seconds).toBeGreaterThan(0);
      expect(m.cpuSeconds).toBeGreaterThan(0);
    },
    60_000,
  );

  it('an unknown op fails instead of printing a figure', async () => {
    await expect(measure('no-such-op', gen('images', 'bench-1024.jpg'), 1)).rejects.toThrow(/unknown op/);
  }, 60_000);
});
