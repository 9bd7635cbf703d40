/**
 * Transparency-log figures for `npm run bench`: batched append throughput of realistic records
 * (about 250 bytes each), beside a ceiling measured in the same run: the same records leaf-hashed
 * and appended to one plain file per batch (no tiles, no signed checkpoint).
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { TransparencyLog } from '../src/tlog/log.ts';
import { encodeLogRecord } from '../src/tlog/entry.ts';
import { leafHash } from '../src/tlog/merkle.ts';
import { encodeBundle } from '../src/tlog/tiles.ts';

function records(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    encodeLogRecord({
      watermarkAlg: 'cn.aigc-provenance.wm.1',
      watermarkId: randomBytes(8).toString('hex'),
      manifestId: `urn:c2pa:${crypto.randomUUID()}`,
      storeSha256: randomBytes(32).toString('hex'),
      assetHash: randomBytes(32).toString('hex'),
      mediaType: 'image/jpeg',
      time: new Date(1_800_000_000_000 + i).toISOString(),
    }),
  );
}

/** Append `n` records in batches of 256; entries/s for the log and for the ceiling. */
export async function benchTlogAppend(n = 20_000): Promise<{ ours: number; ceiling: number }> {
  const entries = records(n);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigc-bench-tlog-'));
  try {
    const log = await TransparencyLog.create(path.join(dir, 'log'), 'bench.example/log', { batchSize: 256, batchMs: 1000 });
    let t = performance.now();
    await Promise.all(entries.map((e) => log.append(e)));
    const ours = n / ((performance.now() - t) / 1000);
    await log.close();
    const plain = path.join(dir, 'plain.bin');
    t = performance.now();
    for (let i = 0; i < n; i += 256) {
      const batch = entries.slice(i, i + 256);
      for (const e of batch) leafHash(e);
      appendFileSync(plain, encodeBundle(batch));
    }
    const ceiling = n / ((performance.now() - t) / 1000);
    return { ours, ceiling };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
