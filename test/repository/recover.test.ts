/**
 * Manifest repository and recovery (issue #18): stamped images are recorded; copies stripped of all
 * metadata, halved and re-encoded at JPEG q75 find their manifest again by perceptual hash, proven by
 * the transparency log; unrelated images find nothing; a transplanted watermark and a rewritten index
 * row are caught; the soft-binding resolution API answers in the specification's shapes.
 */
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { stamp } from '../../src/service/stamp.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { recordFile } from '../../src/repository/add-file.ts';
import { recover } from '../../src/repository/recover.ts';
import { hammingDistance, phashOfImage } from '../../src/repository/phash.ts';
import { PHASH_ALG, resolutionApi } from '../../src/repository/resolution-api.ts';
import { gen } from '../helpers.ts';
import { picture, platformCopy } from '../../scripts/support/pictures.ts';

const CODE = '001191000000EXAMPLE01P10000';
const COUNT = 24;
let dir: string;
let repo: ManifestRepository;
const stamped: { file: string; manifestId: string }[] = [];

/** What a platform does: strip metadata, halve, re-encode at JPEG q75. */
const platform = (file: string) => platformCopy(file);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-repo-'));
  repo = await ManifestRepository.open(path.join(dir, 'repo'), { origin: 'repo.example/test' });
  const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  for (let i = 0; i < COUNT; i++) {
    const input = path.join(dir, `in-${i}.jpg`);
    await writeFile(input, await picture(i + 1));
    const out = path.join(dir, `out-${i}.jpg`);
    const r = await stamp(input, { signer, producer: CODE, explicitLabel: false, output: out });
    await recordFile(repo, out);
    stamped.push({ file: out, manifestId: r.manifestLabel! });
  }
}, 120_000);
afterAll(async () => {
  await repo?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('perceptual hash', () => {
  it('moves few bits under the platform transform and about half between different pictures', async () => {
    const a = await phashOfImage(await picture(1));
    const b = await phashOfImage(await platform(stamped[0]!.file));
    const c = await phashOfImage(await picture(2));
    expect(hammingDistance(a, b)).toBeLessThanOrEqual(6);
    expect(hammingDistance(a, c)).toBeGreaterThan(12);
  });
});

describe('recover', () => {
  it('finds the manifest of every stripped, halved, re-encoded copy, proven by the log', async () => {
    for (const s of stamped) {
      const r = await recover(await platform(s.file), { repo });
      expect(r.found, JSON.stringify(r.status)).toBe(true);
      expect(r.record?.manifestId).toBe(s.manifestId);
      expect(r.via).toBe('perceptual-hash');
      expect(r.log?.included).toBe(true);
      expect(r.label).toMatchObject({ ContentProducer: CODE });
    }
  });

  it('finds nothing for unrelated pictures', async () => {
    for (let i = 0; i < COUNT; i++) {
      const r = await recover(await picture(1000 + i), { repo });
      expect(r.found).toBe(false);
      expect(r.status.map((x) => x.code)).toEqual(['recover.notFound']);
    }
  });

  it('a watermark transplanted onto other content is caught by the perceptual hash', async () => {
    const victim = repo.byManifest(stamped[3]!.manifestId)[0]!;
    await repo.add(
      { ...victim, watermarkAlg: 'test.wm', watermarkId: '00112233aabbccdd', manifestId: `${victim.manifestId}-wm` },
      repo.manifestStore(victim.storeSha256),
      victim.phash,
    );
    const detect = async () => ({ found: true, alg: 'test.wm', id: '00112233aabbccdd' });
    const onOther = await recover(await picture(4242), { repo, detect });
    expect(onOther.found).toBe(false);
    expect(onOther.status.map((x) => x.code)).toContain('recover.watermark.transplanted');
    const onRight = await recover(await platform(stamped[3]!.file), { repo, detect });
    expect(onRight).toMatchObject({ found: true, via: 'watermark' });
  });

  it('an index row rewritten after the fact no longer matches its log entry', async () => {
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (
      f: string,
    ) => { prepare(s: string): { run(...a: unknown[]): unknown }; close(): void };
    const db = new Database(path.join(dir, 'repo', 'index.sqlite'));
    db.prepare('UPDATE records SET asset_hash = ? WHERE manifest_id = ?').run('00'.repeat(32), stamped[5]!.manifestId);
    db.close();
    const r = await recover(await platform(stamped[5]!.file), { repo });
    expect(r.found).toBe(false);
    expect(r.status.map((x) => x.code)).toContain('recover.log.mismatch');
  });
});

describe('soft-binding resolution API', () => {
  it('answers supportedAlgorithms, byBinding, byContent and manifests in the specification shapes', async () => {
    const api = resolutionApi(repo, { watermarkAlgs: ['test.wm'] });
    expect(JSON.parse(api.supportedAlgorithms().body as string)).toEqual({
      watermarks: [{ alg: 'test.wm' }],
      fingerprints: [{ alg: PHASH_ALG }],
    });
    const value = Buffer.from('00112233aabbccdd', 'hex').toString('base64');
    expect(JSON.parse(api.byBinding({ alg: 'test.wm', value }).body as string)).toEqual({
      matches: [{ manifestId: `${stamped[3]!.manifestId}-wm` }],
    });
    expect(api.byBinding({ alg: 'test.wm' }).status).toBe(400);
    const byContent = await api.byContent({}, await platform(stamped[7]!.file));
    const m = JSON.parse(byContent.body as string) as { matches: { manifestId: string; similarityScore: number }[] };
    expect(m.matches[0]!.manifestId).toBe(stamped[7]!.manifestId);
    expect(m.matches[0]!.similarityScore).toBeGreaterThan(85);
    const man = api.manifest(encodeURIComponent(stamped[7]!.manifestId));
    expect(man.type).toBe('application/c2pa');
    expect(
      Buffer.from(man.body as Uint8Array)
        .subarray(4, 8)
        .toString(),
    ).toBe('jumb');
    expect(api.manifest('urn:c2pa:nope').status).toBe(404);
  });
});
