/**
 * CLI figures for `npm run bench`, each as whole processes of the built CLI (dist/cli/aigc.js,
 * rebuilt first) beside its reference measured in the same run:
 * - `cli_cold_version` / `cli_cold_verify_jpeg` (ms): `aigc --version` and `aigc verify` on a small
 *   JPEG, median wall time of interleaved runs; ceiling: bare `node -e 0`.
 * - `batch_verify_jpeg_1024_x1000` (files/s): one `aigc verify DIR --jsonl` over 1,000 stamped
 *   1024² JPEGs (output to /dev/null), start-up included; ceiling: the library verifying the same
 *   files in one process (scripts/bench-worker.ts ours-verify-dir), warm.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Wall time of one process in ms (output discarded). */
function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AIGC_TRUST: '' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${err}`));
      else resolve(ms);
    });
  });
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
  for (let i = 0; i < 1000; i++) {
    const name = `f${String(i).padStart(4, '0')}.jpg`;
    if (!have.has(name)) await copyFile(opts.stampedJpeg, path.join(dir, name));
  }
  const cliRates: number[] = [];
  const libRates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench-worker.ts', 'ours-verify-dir', dir, '1'], {
      maxBuffer: 1 << 20,
    });
    libRates.push(1000 / (JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number }).seconds);
    cliRates.push(1000 / ((await timeProcess([aigc, 'verify', dir, '--jsonl', '--trust', opts.roots])) / 1000));
  }
  line('batch_verify_jpeg_1024_x1000', 'files/s', median(cliRates), null, median(libRates));
}
