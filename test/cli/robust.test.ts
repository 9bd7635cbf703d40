/**
 * Robust in bulk: peak RSS flat from 100 to 10,000 files, `| head -1` quiet on every command,
 * a stamp killed with SIGKILL leaves only recognisable temp files that the next run removes,
 * a FIFO refused without blocking (library and CLI).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ES256_PRODUCER_FLAGS, gen } from '../helpers.ts';
import { aigc, CLI, jsonl, type Run } from './helpers.ts';
import { TEMP_NAME } from '../../src/binary/temp-files.ts';
import { verify } from '../../src/service/verify.ts';

const STAMP = [...ES256_PRODUCER_FLAGS, '--no-explicit'];
const RSS_PROBE = [
  '--import',
  `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))`,
];
let tmp: string;

function folderOf(n: number): string {
  const d = path.join(tmp, `n${n}`);
  mkdirSync(d);
  for (let i = 0; i < n; i++) linkSync(gen('images', 'seed.jpg'), path.join(d, `f${i}.jpg`));
  return d;
}
const maxRss = (r: Run): number => Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aigc-robust-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('bounded memory', () => {
  it('peak RSS stays flat from 100 to 10,000 files (streamed list, bounded in-flight results)', async () => {
    const small = folderOf(100);
    const big = folderOf(10_000);
    const a = await aigc(['verify', small, '--jsonl', '-j', '2', '--require', 'labelled'], { node: RSS_PROBE });
    const b = await aigc(['verify', big, '--jsonl', '-j', '2', '--require', 'labelled'], { node: RSS_PROBE });
    expect(a.code).toBe(1); // unlabelled files miss the bar
    expect(jsonl(a.stdout)).toHaveLength(100);
    const lines = jsonl(b.stdout);
    expect(lines).toHaveLength(10_000);
    expect(lines.every((l) => l.verdict === 'None')).toBe(true);
    expect(maxRss(a)).toBeGreaterThan(20);
    expect(maxRss(b), `100 files: ${maxRss(a)} MB, 10,000 files: ${maxRss(b)} MB`).toBeLessThan(maxRss(a) * 1.25 + 16);
  }, 240_000);
});

describe('a closed pipe (| head -1) ends every command quietly', () => {
  it.each([
    ['verify DIR --jsonl', () => ['verify', path.join(tmp, 'n10000'), '--jsonl', '-j', '2']],
    ['inspect DIR', () => ['inspect', path.join(tmp, 'n10000'), '-j', '1']],
    ['verify FILE', () => ['verify', gen('verify', 'chain-2.jpg')]],
    ['inspect FILE --json', () => ['inspect', gen('verify', 'chain-2.jpg'), '--json']],
    ['pki show', () => ['pki', 'show', gen('pki', 'roots.pem')]],
    ['completion bash', () => ['completion', 'bash']],
    ['--help', () => ['--help']],
    ['stamp --help', () => ['stamp', '--help']],
    ['propagate --help', () => ['propagate', '--help']],
  ])(
    '%s',
    async (_name, args) => {
      const r = await aigc(args(), { head: 1 });
      expect(r.stderr).toBe('');
      const [first, status] = r.stdout.trimEnd().split('\n');
      expect(first!.length).toBeGreaterThan(0);
      expect(status).toMatch(/^status=(0|2|3)$/); // the command's own exit code, never a crash
    },
    120_000,
  );
});

describe('temp files after kill -9', () => {
  it('a killed stamp leaves only .NAME.aigc-PID-HEX.tmp, which the next run into the folder removes', async () => {
    const out = path.join(tmp, 'out');
    mkdirSync(out);
    const keep = `.mine.jpg.aigc-${process.pid}-aaaaaaaaaaaa.tmp`; // a running process's temp file stays
    writeFileSync(path.join(out, keep), '');
    // Kill the stamp as soon as its temp file appears (retried if the stamp won the race and finished).
    let killedPid: number | undefined;
    for (let attempt = 0; attempt < 5 && killedPid === undefined; attempt++) {
      rmSync(path.join(out, 'big.wav'), { force: true });
      const child = spawn(process.execPath, [CLI, 'stamp', gen('audio', 'bench-20mb.wav'), '-o', path.join(out, 'big.wav'), ...STAMP], {
        stdio: 'ignore',
      });
      let seen = false;
      const watcher = watch(out, (_e, name) => {
        if (!seen && name && TEMP_NAME.test(name) && name !== keep) {
          seen = true;
          child.kill('SIGKILL');
        }
      });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, sig) => resolve(sig)));
      watcher.close();
      if (signal === 'SIGKILL' && !existsSync(path.join(out, 'big.wav'))) killedPid = child.pid;
    }
    expect(killedPid).toBeDefined();
    const left = readdirSync(out).filter((n) => n !== keep);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(new RegExp(`^\\.big\\.wav\\.aigc-${killedPid}-[0-9a-f]{12}\\.tmp$`));
    const r = await aigc(['stamp', gen('verify', 'sdk-es256.jpg'), '-o', path.join(out, 'small.jpg'), ...STAMP]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^stamped .* -> .*small\.jpg \(image\/jpeg\); manifest urn:c2pa:[^;]+; ProduceID \w+; no explicit label(; earlier manifest: [^\n]*)?\n$/,
    );
    expect(readdirSync(out).sort()).toEqual([keep, 'small.jpg']);
  }, 120_000);
});

describe('FIFO', () => {
  it('the library refuses a named pipe before opening it (no blocking)', async () => {
    const fifo = path.join(tmp, 'lib.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await verify(fifo);
    expect(r.error).toMatchObject({ code: 'IO_ERROR' });
    expect(r.error!.message).toContain('not a regular file (a named pipe)');
    expect(existsSync(fifo)).toBe(true);
  });

  it('the CLI reports it as unreadable (66) with one error line', async () => {
    const fifo = path.join(tmp, 'cli.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await aigc(['verify', fifo]);
    expect(r.code).toBe(66);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^aigc: error \[IO_ERROR\]: cannot read .*cli\.fifo: not a regular file \(a named pipe\)\n$/);
  });
});
