/**
 * `--record DIR` (issue #18): `aigc stamp` (one file, and a batch on worker threads, recorded from the
 * main thread), `aigc propagate` and the library option `stamp({ record })` record their outputs in a
 * manifest repository with the watermark id, perceptual hash and a log entry; `aigc recover` then finds
 * a stripped copy's manifest, proven by the log.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { stamp } from '../../src/service/stamp.ts';
import { picture, platformCopy } from '../../scripts/support/pictures.ts';
import { aigc, jsonl } from '../cli/helpers.ts';
import { ES256_PRODUCER_FLAGS, gen, PLATFORM_A_PROPAGATOR_FLAGS } from '../helpers.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
let dir: string;
let repoDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-record-'));
  repoDir = path.join(dir, 'repo');
  await mkdir(path.join(dir, 'in'));
  await mkdir(path.join(dir, 'out'));
  for (let i = 0; i < 3; i++) await writeFile(path.join(dir, 'in', `p${i}.jpg`), await picture(100 + i, 320, 240));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aigc stamp|propagate --record', () => {
  it('records one stamped file, a batch and a propagated file; recover finds a stripped copy', async () => {
    const one = await aigc([
      'stamp',
      path.join(dir, 'in', 'p0.jpg'),
      '-o',
      path.join(dir, 'one.jpg'),
      ...ES256_PRODUCER_FLAGS,
      '--no-explicit',
      '--watermark',
      '--json',
      '--record',
      repoDir,
    ]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const single = JSON.parse(one.stdout) as { manifest: string; watermark: { id: string }; recorded: Record<string, unknown> };
    expect(single.recorded).toMatchObject({
      repository: repoDir,
      manifestId: single.manifest,
      logIndex: 0,
      watermarkId: single.watermark.id,
    });
    expect(single.recorded.phash).toMatch(/^[0-9a-f]{16}$/);

    const batch = await aigc([
      'stamp',
      path.join(dir, 'in'),
      '-o',
      path.join(dir, 'out'),
      ...ES256_PRODUCER_FLAGS,
      '--no-explicit',
      '--watermark',
      '--jsonl',
      '--jobs',
      '2',
      '--record',
      repoDir,
    ]);
    expect(batch.code).toBe(0);
    const lines = jsonl(batch.stdout) as { path: string; manifest: string; recorded: { manifestId: string; logIndex: number } }[];
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.recorded.manifestId).toBe(l.manifest);
    expect(lines.map((l) => l.recorded.logIndex).sort()).toEqual([1, 2, 3]);

    const text = await aigc([
      'stamp',
      path.join(dir, 'in', 'p1.jpg'),
      '-o',
      path.join(dir, 'text.jpg'),
      ...ES256_PRODUCER_FLAGS,
      '--no-explicit',
      '--record',
      repoDir,
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/recorded in .*: log entry 4 of aigc-provenance\.local\/repository/);

    const prop = await aigc([
      'propagate',
      path.join(dir, 'one.jpg'),
      '-o',
      path.join(dir, 'published.jpg'),
      ...PLATFORM_A_PROPAGATOR_FLAGS,
      '--trust',
      gen('pki', 'roots.pem'),
      '--json',
      '--record',
      repoDir,
    ]);
    expect(prop.stderr).toBe('');
    expect(prop.code).toBe(0);
    const p = JSON.parse(prop.stdout) as { manifest: string; recorded: { manifestId: string; logIndex: number; watermarkId: string } };
    expect(p.recorded).toMatchObject({ manifestId: p.manifest, logIndex: 5, watermarkId: single.watermark.id });

    const stripped = path.join(dir, 'stripped.jpg');
    await writeFile(stripped, await platformCopy(path.join(dir, 'out', 'p2.jpg')));
    const rec = await aigc(['recover', stripped, '--repo', repoDir, '--json']);
    expect(rec.code).toBe(0);
    const r = JSON.parse(rec.stdout) as { found: boolean; record: { manifestId: string }; log: { included: boolean } };
    expect(r.found).toBe(true);
    expect(r.record.manifestId).toBe(lines.find((l) => l.path.endsWith('p2.jpg'))!.manifest);
    expect(r.log.included).toBe(true);
  }, 120_000);
});

describe('stamp({ record })', () => {
  it('returns the record and the repository holds the manifest store', async () => {
    const repo = await ManifestRepository.open(path.join(dir, 'lib-repo'), { origin: 'lib.example/repo' });
    try {
      const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
      const r = await stamp(await picture(200, 320, 240), { signer, producer: PRODUCER, explicitLabel: false, record: repo });
      expect(r.recorded).toMatchObject({ manifestId: r.manifestLabel, logIndex: 0, logOrigin: 'lib.example/repo' });
      expect(repo.byManifest(r.manifestLabel!)).toHaveLength(1);
      // A manifest kept in a sidecar is recorded from the sidecar.
      const out = path.join(dir, 'side.jpg');
      const side = await stamp(await picture(202, 320, 240), {
        signer,
        producer: PRODUCER,
        explicitLabel: false,
        output: out,
        sidecar: `${out}.c2pa`,
        record: repo,
      });
      expect(side.recorded).toMatchObject({ manifestId: side.manifestLabel, logIndex: 1 });
      await expect(
        stamp(await picture(201, 320, 240), { signer, producer: PRODUCER, explicitLabel: false, record: {} as ManifestRepository }),
      ).rejects.toThrow(/ManifestRepository/);
    } finally {
      await repo.close();
    }
  });
});
