/**
 * Batch threads started by the built CLI's loader before the CLI loads (cli/batch/preboot.ts):
 * which command lines start them, that the batch adopts them, and that threads nobody adopts
 * neither run on nor keep the process alive.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { adoptPrebooted, batchThreadsFor, dropPrebooted, prebootBatch } from '../../cli/batch/preboot.ts';
import { aigc, jsonl } from './helpers.ts';
import { repo } from '../helpers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'aigc-preboot-'));
const file = path.join(dir, 'a.jpg');
writeFileSync(file, 'not a jpeg');
// A stand-in worker script: it stays up until terminated and says so when asked.
const script = path.join(dir, 'worker.mjs');
writeFileSync(
  script,
  "import { parentPort, workerData } from 'node:worker_threads';\nparentPort.on('message', () => parentPort.postMessage(workerData));\n",
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('which command lines start batch threads early', () => {
  const cores = os.availableParallelism();
  it.each([
    [['verify', dir], cores > 1 ? { command: 'verify', threads: cores - 1 } : undefined],
    [['inspect', '--jsonl', dir, '--jobs', '3'], { command: 'inspect', threads: 2 }],
    [['verify', '--jobs=4', dir], { command: 'verify', threads: 3 }],
    [['verify', '-j3', dir], { command: 'verify', threads: 2 }],
    [['verify', '-', '-j', '2'], { command: 'verify', threads: 1 }],
    [['verify', '-j', '2', '--', dir], { command: 'verify', threads: 1 }],
  ])('%j starts them', (args, expected) => {
    expect(batchThreadsFor(args)).toEqual(expected);
  });
  it.each([
    [['verify', file, '-j', '4']], // one file
    [['verify', dir, '--jobs', '1']],
    [['verify', dir, '-j', 'x']], // the CLI reports the bad value; no threads meanwhile
    [['inspect', file, '--extract', dir, '-j', '4']], // a folder that is an option's value
    [['verify', dir, '--help']],
    [['stamp', dir, '-j', '4']],
    [['pki', 'show', dir]],
    [[]],
  ])('%j does not', (args) => {
    expect(batchThreadsFor(args)).toBeUndefined();
  });
});

describe('adopting and dropping them', () => {
  it('hands the threads to the batch of the same command, referenced and working', async () => {
    prebootBatch(['verify', dir, '-j', '3'], pathToFileURL(script));
    expect(adoptPrebooted('inspect', 2)).toEqual([]); // another command: dropped
    prebootBatch(['verify', dir, '-j', '3'], pathToFileURL(script));
    const workers = adoptPrebooted('verify', 1);
    expect(workers).toHaveLength(1);
    expect(adoptPrebooted('verify', 1)).toEqual([]); // taken once
    const answer = await new Promise((resolve) => {
      workers[0]!.once('message', resolve);
      workers[0]!.postMessage('hello');
    });
    expect(answer).toEqual({ command: 'verify' });
    await workers[0]!.terminate();
  });

  it('drops threads nobody adopted', () => {
    prebootBatch(['verify', dir, '-j', '2'], pathToFileURL(script));
    dropPrebooted();
    expect(adoptPrebooted('verify', 1)).toEqual([]);
  });
});

describe('the built CLI', () => {
  it('runs a folder with threads it started early', async () => {
    const r = await aigc(['verify', dir, '--jsonl', '-j', '2']);
    expect(r.code).toBe(1);
    const lines = jsonl(r.stdout);
    expect(lines.map((l) => path.basename(String(l.path))).sort()).toEqual(['a.jpg', 'worker.mjs']);
  });

  it('ends at once when the threads it started are not used (one file, a folder as an option value)', async () => {
    const out = mkdtempSync(path.join(dir, 'extract-'));
    const r = await aigc(['inspect', repo('fixtures', 'generated', 'images', 'seed.jpg'), '--extract', out, '-j', '2']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(65); // the one-file answer for a file without a manifest
    expect(r.stderr).toContain('MANIFEST_NOT_FOUND');
  });
});
