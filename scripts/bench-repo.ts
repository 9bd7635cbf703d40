/**
 * Manifest-repository figures for `npm run bench`: lookup latency in a repository of N records
 * (generated here: random watermark ids and perceptual hashes, each with its transparency-log entry),
 * by watermark id and by perceptual hash (a query within distance 4 of a stored hash), beside the
 * latency of a bare SQLite primary-key read on the same database (the ceiling).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ManifestRepository } from '../src/repository/repository.ts';

const rand64 = () => randomBytes(8).readBigUInt64BE();

/** Median microseconds of `fn` over `n` calls. */
function medianUs(n: number, fn: (i: number) => void): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn(i);
    t.push((performance.now() - s) * 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(n / 2)]!;
}

/** Build a repository of `size` records and time lookups; milliseconds. */
export async function benchRepoLookup(size: number): Promise<{ byBindingMs: number; byPhashMs: number; ceilingMs: number; buildPerSec: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigc-bench-repo-'));
  try {
    const repo = await ManifestRepository.open(dir, { origin: 'bench.example/repo', batchMs: 1000 });
    const probes: { id: string; phash: bigint }[] = [];
    const t0 = performance.now();
    for (let start = 0; start < size; start += 10_000) {
      const items = Array.from({ length: Math.min(10_000, size - start) }, (_, k) => {
        const id = randomBytes(8).toString('hex');
        const phash = rand64();
        if ((start + k) % Math.max(1, Math.floor(size / 1000)) === 0) probes.push({ id, phash });
        return {
          record: { watermarkAlg: 'cn.aigc-provenance.wm.1', watermarkId: id, manifestId: `urn:c2pa:${crypto.randomUUID()}`, storeSha256: randomBytes(32).toString('hex'),
            assetHash: randomBytes(32).toString('hex'), mediaType: 'image/jpeg', time: new Date().toISOString() },
          phash,
        };
      });
      await repo.addMany(items);
    }
    const buildPerSec = size / ((performance.now() - t0) / 1000);
    const flip = (h: bigint) => h ^ 0b1000_0000_0100_0000_0010_0000_0001n;
    const byBindingMs = medianUs(probes.length, (i) => repo.byBinding('cn.aigc-provenance.wm.1', probes[i]!.id)) / 1000;
    const byPhashMs = medianUs(probes.length, (i) => repo.byPhash(flip(probes[i]!.phash), 6)) / 1000;
    const ceilingMs = medianUs(probes.length, (i) => repo.byManifest(`urn:c2pa:none-${i}`)) / 1000;
    await repo.close();
    return { byBindingMs, byPhashMs, ceilingMs, buildPerSec };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
