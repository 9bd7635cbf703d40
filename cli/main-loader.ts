#!/usr/bin/env node
/**
 * The built `aigc` executable (`dist/cli/aigc.js`): it runs the CLI bundle (`aigc.cjs` beside it:
 * cli/entry.ts, every command and the library as one CommonJS file) from V8's code cache that
 * `npm run build` primed (cli/code-cache.ts, cli/prime-cache.ts), so a cold `aigc verify` neither
 * parses nor compiles the verifier again. Without a fitting cache it compiles as usual.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_BUNDLE, runCachedBundle } from './code-cache.ts';

const bundle = runCachedBundle(path.join(path.dirname(fileURLToPath(import.meta.url)), CLI_BUNDLE));
await (bundle.exports as { start: (args: readonly string[]) => Promise<void> }).start(process.argv.slice(2));
