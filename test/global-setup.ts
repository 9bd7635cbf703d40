/**
 * Vitest global setup: build generated fixtures once before any test file runs, and bundle the CLI
 * from the current sources into .cache/test-cli/ (esbuild, under a second), which the CLI tests in
 * test/cli/ run: the same code as the sources, without compiling TypeScript in every process and thread.
 */
import { execFileSync } from 'node:child_process';
import { makeFixtures } from '../scripts/make-fixtures.ts';

export default async function setup(): Promise<void> {
  await makeFixtures(process.env.AIGC_FORCE_FIXTURES === '1');
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only', '--quiet', '--out', '.cache/test-cli'], { stdio: 'inherit' });
}
