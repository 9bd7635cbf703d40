/**
 * CLI figures for `npm run bench`, each as whole processes of the built CLI (dist/cli/aigc.js,
 * rebuilt first) beside its reference measured in the same run:
 * - `cli_cold_version` / `cli_cold_verify_jpeg` (ms): `aigc --version` and `aigc verify` on a small
 *   JPEG, median wall time of interleaved runs; ceiling: bare `node -e 0`.
 * - `batch_verify_jpeg_1024_x1000` (files/s): one `aigc verify DIR --jsonl` over 1,000 stamped
 *   1024² JPEGs, start-up included; ceiling: the library verifying the same files in one process
 *   (scripts/bench-worker.ts ours-verify-dir), warm. The JSON Lines go to a file, as
 *   `aigc verify DIR --jsonl > report.jsonl` would (not to a pipe that this process would read on
 *   the same cores while the run is timed), and every line is read and checked after the run:
 *   one record per file, each `Trusted`.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Wall time of one process in ms (standard output discarded, or written to `stdoutFile`). */
function timeProcess(args: string[], stdoutFile?: string): Promise<number> {
  const out = stdoutFile === undefined ? 'ignore' : openSync(stdoutFile, 'w');
  return new Promise<number>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', out, 'pipe'], env: { ...process.env, AIGC_TRUST: '' } });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${err}`));
      else resolve(ms);
    });
  }).finally(() => {
    if (typeof out === 'number') closeSync(out);
  });
}

/** Check the batch's JSON Lines (after the timed run): one `Trusted` record per file of `names`. */
function checkLines(file: string, names: readonly string[]): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.pop() !== '') throw new Error('batch output does not end with a newline');
  const seen = new Set<string>();
  for (const line of lines) {
    const rec = JSON.parse(line) as { path: string; verdict: string; report?: { validation_state?: string } };
    if (rec.verdict !== 'Trusted' || rec.report?.validation_state !== 'Trusted') throw new Error(`batch: ${rec.path} is ${rec.verdict}`);
    seen.add(path.basename(rec.path));
  }
  if (lines.length !== names.length || names.some((n) => !seen.has(n)))
    throw new Error(`batch printed ${lines.length} records for ${names.length} files (${seen.size} distinct)`);
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Run the CLI figures; `line` prints one JSON figure. */
export async function benchCli(
  line: (bench: string, unit: string, ours: number | null, sdk: number | null, ceiling?: number | null) => void,
  opts: { cache: string; stampedJpeg: string; smallJpeg: string; roots: string; quick: boolean },
): Promise<void> {
  await run(process.execPath, ['scripts/build.mjs', '--cli-only', '--quiet']);
  const aigc = path.resolve('dist/cli/aigc.js');
  const rounds = opts.quick ? 7 : 15;
  const bare: number[] = [];
  const version: number[] = [];
  const verify: number[] = [];
  for (let i = 0; i < rounds; i++) {
    bare.push(await timeProcess(['-e', '0']));
    version.push(await timeProcess([aigc, '--version']));
    verify.push(await timeProcess([aigc, 'verify', opts.smallJpeg, '--trust', opts.roots]));
  }
  line('cli_cold_version', 'ms', median(version), null, median(bare));
  line('cli_cold_verify_jpeg', 'ms', median(verify), null, median(bare));

  const dir = path.join(opts.cache, 'batch-1000-jpeg-1024');
  await mkdir(dir, { recursive: true });
  const have = new Set(await readdir(dir));
  const names: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const name = `f${String(i).padStart(4, '0')}.jpg`;
    names.push(name);
    if (!have.has(name)) await copyFile(opts.stampedJpeg, path.join(dir, name));
  }
  const jsonl = path.join(opts.cache, 'batch-1000.jsonl');
  const cliRates: number[] = [];
  const libRates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench-worker.ts', 'ours-verify-dir', dir, '1'], {
      maxBuffer: 1 << 20,
    });
    libRates.push(1000 / (JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number }).seconds);
    cliRates.push(1000 / ((await timeProcess([aigc, 'verify', dir, '--jsonl', '--trust', opts.roots], jsonl)) / 1000));
    checkLines(jsonl, names);
  }
  rmSync(jsonl, { force: true });
  line('batch_verify_jpeg_1024_x1000', 'files/s', median(cliRates), null, median(libRates));
}
