/**
 * Batch mode through real `aigc` processes: a folder mixing good, tampered, unlabelled, corrupt
 * and unreadable files, a FIFO, a folder and a symlink loop; every line and the exit status;
 * standard input, include/exclude, --require, --ordered, human lines and the summary.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, opendirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gen } from '../helpers.ts';
import { aigc, jsonl, type Run } from './helpers.ts';

const ROOTS = gen('pki', 'roots.pem');
let dir: string;
const asRoot = process.getuid?.() === 0;

/** Expected verdict of each entry of the mixed folder (paths relative to it). */
const EXPECTED: Record<string, string> = {
  'good.jpg': 'Trusted',
  'good.png': 'Trusted',
  'tampered.jpg': 'Invalid',
  'unlabelled.jpg': 'None',
  'label-only.jpg': 'LabelOnly',
  'corrupt.jpg': 'Invalid',
  'empty.jpg': 'Unsupported',
  'not-media.txt': 'Unsupported',
  // root reads a mode-000 file anyway: then it is simply an empty file
  'unreadable.jpg': asRoot ? 'Unsupported' : 'Unreadable',
  'pipe.jpg': 'Unreadable',
  'loop.jpg': 'Unreadable',
  'dangling.jpg': 'Unreadable',
};

const runs: Record<string, Run> = {};

/** Entry names in the order the directory stream gives them. */
function listing(d: string): string[] {
  const h = opendirSync(d);
  const out: string[] = [];
  for (let e = h.readSync(); e; e = h.readSync()) out.push(e.name);
  h.closeSync();
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aigc-batch-'));
  const v = (f: string) => gen('verify', f);
  copyFileSync(v('sdk-es256.jpg'), path.join(dir, 'good.jpg'));
  copyFileSync(v('sdk-ed25519.png'), path.join(dir, 'good.png'));
  copyFileSync(v('tamper-data.jpg'), path.join(dir, 'tampered.jpg'));
  copyFileSync(gen('images', 'seed.jpg'), path.join(dir, 'unlabelled.jpg'));
  copyFileSync(gen('images', 'doubao-like.jpg'), path.join(dir, 'label-only.jpg'));
  copyFileSync(v('truncated.jpg'), path.join(dir, 'corrupt.jpg'));
  writeFileSync(path.join(dir, 'empty.jpg'), '');
  writeFileSync(path.join(dir, 'not-media.txt'), 'hello\n');
  writeFileSync(path.join(dir, 'unreadable.jpg'), '');
  chmodSync(path.join(dir, 'unreadable.jpg'), 0o000);
  execFileSync('mkfifo', [path.join(dir, 'pipe.jpg')]);
  symlinkSync('loop.jpg', path.join(dir, 'loop.jpg'));
  symlinkSync('nowhere.jpg', path.join(dir, 'dangling.jpg'));
  symlinkSync('.', path.join(dir, 'self')); // a link to a folder: never followed
  mkdirSync(path.join(dir, 'sub'));
  copyFileSync(v('chain-2.jpg'), path.join(dir, 'sub', 'nested.jpg'));
  copyFileSync(v('tamper-claim.jpg'), path.join(dir, 'sub', 'skip-me.jpg'));

  const cases: Record<string, [string[], { input?: string }?]> = {
    flat: [['verify', dir, '--jsonl', '--ordered', '--trust', ROOTS, '-j', '2']],
    recursive: [['verify', dir, '-r', '--jsonl', '--fields', 'validation_state,format.id', '--trust', ROOTS, '--exclude', 'skip-*']],
    human: [['verify', dir, '--trust', ROOTS, '-j', '1']],
    stdin: [
      ['verify', '-', '--jsonl', '--trust', ROOTS, '--require', 'valid', '-j', '1'],
      { input: `${path.join(dir, 'good.jpg')}\n${path.join(dir, 'sub', 'nested.jpg')}\n` },
    ],
    requireLabelled: [
      ['verify', path.join(dir, 'good.jpg'), path.join(dir, 'label-only.jpg'), '--trust', ROOTS, '--require', 'labelled', '-j', '1'],
    ],
    requireTrusted: [
      ['verify', path.join(dir, 'good.jpg'), path.join(dir, 'label-only.jpg'), '--trust', ROOTS, '--require', 'trusted', '-j', '1'],
    ],
    include: [['inspect', dir, '-r', '--include', '*.png', '--jsonl', '--fields', 'active_manifest', '--trust', ROOTS, '-j', '1']],
    emptyDir: [['verify', path.join(dir, 'sub'), '--include', '*.webp']],
  };
  const names = Object.keys(cases);
  const results = await Promise.all(names.map((n) => aigc(cases[n]![0], cases[n]![1] ?? {})));
  names.forEach((n, i) => {
    runs[n] = results[i]!;
  });
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('aigc verify DIR --jsonl on a mixed folder', () => {
  it('gives one line per file with its path, verdict and report, in input order, and exits 1', () => {
    const r = runs.flat!;
    expect(r.code, r.stderr).toBe(1);
    const lines = jsonl(r.stdout);
    const got = Object.fromEntries(lines.map((l) => [path.relative(dir, l.path as string), l.verdict]));
    expect(got).toEqual(EXPECTED); // no line for the sub-folder (no -r) nor the link to a folder
    // --ordered with two workers: the folder's own listing order (opendir order, which readdir would sort)
    expect(lines.map((l) => path.basename(l.path as string))).toEqual(listing(dir).filter((n) => n in EXPECTED));
    for (const l of lines) expect(l.report).toMatchObject({ labels: expect.any(Object) });
    const pipe = lines.find((l) => (l.path as string).endsWith('pipe.jpg'))!;
    expect((pipe.report as { error: { message: string } }).error.message).toContain('not a regular file (a named pipe)');
    const loop = lines.find((l) => (l.path as string).endsWith('loop.jpg'))!;
    expect((loop.report as { error: { message: string } }).error.message).toContain('ELOOP');
    expect(r.stderr).toBe(''); // not a terminal: no progress bar, no summary
  });

  it('-r walks sub-folders (exclude applies), --fields picks report fields', () => {
    const lines = jsonl(runs.recursive!.stdout);
    const byName = Object.fromEntries(lines.map((l) => [path.relative(dir, l.path as string), l]));
    expect(Object.keys(byName).sort()).toEqual([...Object.keys(EXPECTED), path.join('sub', 'nested.jpg')].sort());
    expect(byName[path.join('sub', 'nested.jpg')]).toEqual({
      path: path.join(dir, 'sub', 'nested.jpg'),
      verdict: 'Trusted',
      validation_state: 'Trusted',
      'format.id': 'jpeg',
    });
    expect(byName['empty.jpg']).toEqual({
      path: path.join(dir, 'empty.jpg'),
      verdict: 'Unsupported',
      validation_state: null,
      'format.id': null,
    });
  });

  it('human output: one line per file, unreadable files on standard error, then the summary table', () => {
    const r = runs.human!;
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const fileLines = lines.filter((l) => l.startsWith(dir));
    expect(fileLines).toHaveLength(Object.values(EXPECTED).filter((v) => v !== 'Unreadable').length);
    expect(r.stdout).toContain(`${path.join(dir, 'tampered.jpg')}: Invalid — `);
    expect(r.stdout).toMatch(/summary:\n(.|\n)*Trusted +2\n(.|\n)*total +12 +in [\d.]+ s \(\d+ files\/s\)/);
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(Object.values(EXPECTED).filter((v) => v === 'Unreadable').length);
    for (const l of errLines) expect(l).toMatch(/^aigc: error \[IO_ERROR\]: /);
  });

  it('reads paths from standard input (-) and meets --require valid', () => {
    expect(runs.stdin!.code, runs.stdin!.stderr).toBe(0);
    expect(jsonl(runs.stdin!.stdout).map((l) => l.verdict)).toEqual(['Trusted', 'Trusted']);
  });

  it('--require sets the bar for exit 0', () => {
    expect(runs.requireLabelled!.code).toBe(0);
    expect(runs.requireTrusted!.code).toBe(1);
  });

  it('inspect takes the same batch options; --include filters walked files', () => {
    const lines = jsonl(runs.include!.stdout);
    expect(lines.map((l) => path.basename(l.path as string))).toEqual(['good.png']);
    expect(lines[0]!.active_manifest).toMatch(/^urn:c2pa:/);
  });

  it('no file found is exit 66 with one error line', () => {
    expect(runs.emptyDir!.code).toBe(66);
    expect(runs.emptyDir!.stderr).toMatch(/^aigc: error \[IO_ERROR\]: no input files found in .*\n$/);
  });
});
