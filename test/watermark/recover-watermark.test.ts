/**
 * Issue #18 × #17: a file stamped with --watermark is recorded in the manifest repository; a copy
 * stripped of its metadata, shrunk and re-encoded finds its manifest by the watermark identifier.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { stamp } from '../../src/service/stamp.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { recordFile } from '../../src/repository/add-file.ts';
import { recover } from '../../src/repository/recover.ts';
import { watermarkDetector } from '../../src/repository/detector.ts';
import { WATERMARK_ALGS } from '../../src/watermark/soft-binding.ts';
import { gen, repo as repoPath } from '../helpers.ts';

let dir: string;
let repo: ManifestRepository;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-wm-repo-'));
  repo = await ManifestRepository.open(path.join(dir, 'repo'), { origin: 'repo.example/wm' });
});
afterAll(async () => {
  await repo?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('recovery by watermark', () => {
  it('finds the manifest of a stripped copy through the watermark identifier', async () => {
    const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    const out = path.join(dir, 'marked.png');
    const r = await stamp(repoPath('fixtures/external/photos/astronaut.png'), {
      signer,
      producer: '001191000000EXAMPLE01P10000',
      explicitLabel: false,
      output: out,
      watermark: true,
    });
    await recordFile(repo, out);
    const copy = await sharp(out).resize({ width: 300 }).jpeg({ quality: 75 }).toBuffer();
    const detect = (await watermarkDetector())!;
    const found = await recover(new Uint8Array(copy), { repo, detect });
    expect(found.via).toBe('watermark');
    expect(found.watermark).toMatchObject({ found: true, alg: WATERMARK_ALGS.image, id: r.watermark!.id });
    expect(found.record?.manifestId).toBe(r.manifestLabel);
    expect(await detect(new Uint8Array(16))).toBeNull();
  }, 60_000);
});
