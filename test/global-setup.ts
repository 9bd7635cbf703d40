/** Vitest global setup: build generated fixtures once before any test file runs. */
import { makeFixtures } from '../scripts/make-fixtures.ts';

export default async function setup(): Promise<void> {
  await makeFixtures(process.env.AIGC_FORCE_FIXTURES === '1');
}
