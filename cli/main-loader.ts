#!/usr/bin/env node
/**
 * The built `aigc` executable (`dist/cli/aigc.js`): it runs the CLI bundle (`aigc.cjs` beside it:
 * cli/entry.ts, every command and the library as one CommonJS file) from V8's code cache that
 * `npm run build` primed (cli/code-cache.ts, cli/prime-cache.ts), so a cold `aigc verify` neither
 * parses nor compiles the verifier again. Without a fitting cache it compiles as usual.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dropPrebooted, prebootBatch } from './batch/preboot.ts';
import { CLI_BUNDLE, runCachedBundle } from './code-cache.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// A batch's worker threads boot while this thread loads the CLI (cli/batch/preboot.ts).
prebootBatch(process.argv.slice(2), pathToFileURL(path.join(here, 'worker.js')));
const bundle = runCachedBundle(path.join(here, CLI_BUNDLE));
await (bundle.exports as { start: (args: readonly string[]) => Promise<void> }).start(process.argv.slice(2));
dropPrebooted();
