/**
 * A small run of issue #18's end to end (`npm run e2e:recover` does 1,000): images stamped by the CLI
 * with `--watermark --record`, stripped, halved and re-encoded at JPEG q75, each recovered to its own
 * manifest with a valid inclusion proof; unmarked images recover nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecoverE2e } from '../../scripts/e2e-recover.ts';
import { gen } from '../helpers.ts';

describe('end to end: stamp --watermark --record, strip, recover', () => {
  it('recovers every stripped copy with a valid inclusion proof and no unmarked image', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'aigc-e2e-'));
    try {
      const r = await runRecoverE2e({ count: 5, work, pki: gen('pki'), jobs: 2 });
      expect(r.marked).toMatchObject({ recovered: 5, wrong: 0, missed: 0, rate: 100, inclusionProofsValid: 5 });
      expect(r.unmarked.falsePositives).toBe(0);
      expect(r.repository).toEqual({ records: 5, treeSize: 5 });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 120_000);
});
