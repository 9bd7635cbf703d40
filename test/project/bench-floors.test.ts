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
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Measure;
}

describe('bench floors', () => {
  it('reencode-serial decodes then encodes the bench JPEG', async () => {
    const file = gen('images', 'bench-1024.jpg');
    const m = await measure('reencode-serial', file, 2);
    expect(m.iterations).toBe(2);
    expect(m.bytes).toBe(statSync(file).size);
    expect(m.seconds).toBeGreaterThan(0);
    expect(m.cpuSeconds).toBeGreaterThan(0);
  }, 60_000);

  it('hash-and-copy runs both passes to the end and reports the file size', async () => {
    const file = gen('images', 'bench-1024.jpg');
    const m = await measure('hash-and-copy', file, 3);
    expect(m.iterations).toBe(3);
    expect(m.bytes).toBe(statSync(file).size);
    expect(m.seconds).toBeGreaterThan(0);
  }, 60_000);

  it('an unknown op fails instead of printing a figure', async () => {
    await expect(measure('no-such-op', gen('images', 'bench-1024.jpg'), 1)).rejects.toThrow(/unknown op/);
  }, 60_000);
});
