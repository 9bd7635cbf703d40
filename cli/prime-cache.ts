/**
 * The build's priming run of the CLI bundle's code cache (`dist/cli/prime-cache.js`, run by
 * scripts/build.mjs in a fresh process with Node's default V8 flags, as `aigc` runs): it loads
 * `aigc.cjs` as dist/cli/aigc.js does, runs the CLI in-process with output discarded on the
 * argument lists given as JSON in argv[2] (verify, inspect, help, errors over committed fixtures),
 * then writes the code cache of everything compiled (`aigc-HASH.cache`) and prints its size.
 * With `--check` it only loads the bundle and prints whether V8 accepted the cache (the build and
 * test/cli/build.test.ts use it). Runs must not change V8's flags (a batch does: cli/batch/v8-tuning.ts),
 * or V8 would reject the cache in every normal start.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_BUNDLE, runCachedBundle } from './code-cache.ts';

const bundle = runCachedBundle(path.join(path.dirname(fileURLToPath(import.meta.url)), CLI_BUNDLE));
if (process.argv[2] === '--check') {
  process.stdout.write(`${bundle.cache}\n`);
} else {
  const runs = JSON.parse(process.argv[2] ?? '[]') as string[][];
  await (bundle.exports as { prime: (runs: readonly (readonly string[])[]) => Promise<void> }).prime(runs);
  process.stdout.write(`${bundle.writeCache()}\n`);
}
