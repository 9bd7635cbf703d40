#!/usr/bin/env node
/**
 * The `aigc` executable (bundled to dist/cli/aigc.js by scripts/build.mjs; cli/aigc.js runs it
 * from the sources through tsx). Output survives a closed pipe (`aigc verify DIR --jsonl | head`):
 * EPIPE on standard output ends the process quietly with the exit code reached so far.
 */
import { main } from './main.ts';

function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED')
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);

process.exitCode = await main(process.argv.slice(2));
