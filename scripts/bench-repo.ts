/**
 * Manifest-repository figures for `npm run bench`: lookup latency in a repository of N records, by
 * watermark id and by perceptual hash (a query within distance 4 of a stored hash), beside the latency
 * of a bare indexed read on the same database that finds nothing (the ceiling).
 *
 * The N index rows are generated straight into the repository's SQLite index (its own schema, insert
 * statement and row encoding, `INSERT_SQL` / `indexRow`): one prepared statement in one transaction, so a
 * million rows take seconds. Their log entries are not written (the lookups never read the log, and the
 * log's append throughput is its own bench figure), so this repository is for timing lookups only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { indexRow, INSERT_SQL, loadSqlite, ManifestRepository } from '../src/repository/repository.ts';

const WM_ALG = 'org.aigc-provenance.watermark.image.1';

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

/** Write `size` random records into the index of the repository in `dir` (one transaction); returns 1,000 probes. */
function generateIndex(dir: string, size: number): { id: string; phash: bigint }[] {
  const Database = loadSqlite();
  const db = new Database(path.join(dir, 'index.sqlite'));
  const probes: { id: string; phash: bigint }[] = [];
  const every = Math.max(1, Math.floor(size / 1000));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144'); // 256 MiB: six indexes over random keys stay in memory while they grow
    db.defaultSafeIntegers(true);
    const ins = db.prepare(INSERT_SQL);
    const time = new Date(1_800_000_000_000).toISOString();
    db.transaction(() => {
      for (let i = 0; i < size; i++) {
        const r = randomBytes(88);
        const id = r.toString('hex', 0, 8);
        const phash = r.readBigUInt64BE(8);
        if (i % every === 0) probes.push({ id, phash });
        const record = {
          watermarkAlg: WM_ALG,
          watermarkId: id,
          manifestId: `urn:c2pa:${crypto.randomUUID()}`,
          storeSha256: r.toString('hex', 16, 48),
          assetHash: r.toString('hex', 48, 80),
          mediaType: 'image/jpeg',
          time,
        };
        ins.run(...indexRow(record, phash, i));
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return probes;
}

/** Build a repository index of `size` records and time lookups; milliseconds (and rows/s for the build). */
export async function benchRepoLookup(
  size: number,
): Promise<{ byBindingMs: number; byPhashMs: number; ceilingMs: number; buildPerSec: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigc-bench-repo-'));
  try {
    await (await ManifestRepository.open(dir, { origin: 'bench.example/repo' })).close(); // the folder, schema and log
    const t0 = performance.now();
    const probes = generateIndex(dir, size);
    const buildPerSec = size / ((performance.now() - t0) / 1000);
    const repo = await ManifestRepository.open(dir);
    try {
      if (repo.count() !== size) throw new RangeError(`the index holds ${repo.count()} rows, expected ${size}`);
      const flip = (h: bigint) => h ^ 0b1000_0000_0100_0000_0010_0000_0001n;
      const byBindingMs =
        medianUs(probes.length, (i) => {
          if (repo.byBinding(WM_ALG, probes[i]!.id).length !== 1) throw new RangeError('watermark probe not found');
        }) / 1000;
      const byPhashMs =
        medianUs(probes.length, (i) => {
          if (repo.byPhash(flip(probes[i]!.phash), 6).length < 1) throw new RangeError('phash probe not found');
        }) / 1000;
      const ceilingMs = medianUs(probes.length, (i) => repo.byManifest(`urn:c2pa:none-${i}`)) / 1000;
      return { byBindingMs, byPhashMs, ceilingMs, buildPerSec };
    } finally {
      await repo.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-repo.ts')) {
  const size = Number(process.argv[2] ?? 1_000_000);
  const r = await benchRepoLookup(size);
  process.stdout.write(`${JSON.stringify({ bench: `repo_lookup_${size}`, ...r })}\n`);
}
