/**
 * The CLI's start as a function: what cli/bin.ts runs from the sources, and what the built
 * `dist/cli/aigc.js` runs from the CommonJS bundle `aigc.cjs` (cli/main-loader.ts). Output survives
 * a closed pipe (`aigc verify DIR --jsonl | head`): EPIPE on standard output ends the process
 * quietly with the exit code reached so far.
 */
import { main } from './main.ts';

function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED')
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

/** Run `aigc ARGS…` in this process: sets the exit code; never throws (errors print and set the code). */
export async function start(args: readonly string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  process.exitCode = await main([...args]);
}

/** Run `main` once per argument list with output discarded (the build's code-cache priming run). */
export async function prime(runs: readonly (readonly string[])[]): Promise<void> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const none = ((_chunk: unknown, enc?: unknown, cb?: unknown) => {
    const done = typeof enc === 'function' ? enc : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = none;
  process.stderr.write = none;
  try {
    for (const args of runs) await main([...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = 0;
  }
}
