/**
 * `propagate --transcode` on audio and video: ffmpeg reads the upload by path (never loaded
 * whole) and the re-encoded file is embedded from disk. The platform manifest names the
 * upload's own format for the ingredient and the output's for the report.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propagate } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';
import { CODES, signerFor, tempDir, trust } from '../chain/helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let producer: Signer;
let platform: Signer;

beforeAll(async () => {
  tmp = await tempDir('transcode');
  [producer, platform] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
});
afterAll(async () => {
  await tmp.cleanup();
});

describe.each([
  ['video/seed.mov', 'video/quicktime', 'video/mp4'],
  ['audio/seed.mp3', 'audio/mpeg', 'audio/mpeg'],
])('%s transcoded by the platform', (rel, uploadMime, outputMime) => {
  for (const mode of ['path', 'bytes'] as const) {
    it(`from ${mode}: Trusted in both tools, c2pa.transcoded, the ingredient keeps the upload's format`, async () => {
      const name = rel.replace('/', '_');
      const stamped = tmp.file(`stamped-${name}`);
      await stamp(gen(rel), { signer: producer, producer: CODES.producer, explicitLabel: false, output: stamped, force: true });
      const out = tmp.file(`pub-${mode}-${name}`);
      const input = mode === 'path' ? stamped : new Uint8Array(await readFile(stamped));
      await propagate(input, { signer: platform, propagator: CODES.platformA, trust: trust(), transcode: { quality: 60 }, output: out });
      const ours = await verify(out, { trust: trust() });
      expect(ours.validation_state).toBe('Trusted');
      expect(ours.format.mime).toBe(outputMime);
      const sdk = await sdkRead(out, { anchorsPem: trust().anchorsPem });
      expect(sdk?.validation_state).toBe('Trusted');
      const active = sdk!.manifests[sdk!.active_manifest!]!;
      expect((active.ingredients as { format?: string; relationship?: string }[]).map((i) => [i.relationship, i.format])).toEqual([
        ['parentOf', uploadMime],
      ]);
      expect(JSON.stringify(active.assertions)).toContain('c2pa.transcoded');
    });
  }
});
