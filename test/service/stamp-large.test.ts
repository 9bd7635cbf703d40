/**
 * The streamed one-pass path (outputs above SMALL_OUTPUT_BYTES) on a data-hash format:
 * stamp, in-place stamp and propagate a 20 MB WAV from path to path; every output is
 * Trusted in ours and in the reference SDK, and the input is left untouched.
 */
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_OUTPUT_BYTES } from '../../src/binary/atomic-write.ts';
import { stamp } from '../../src/service/stamp.ts';
import { propagate } from '../../src/service/propagate.ts';
import { verify } from '../../src/service/verify.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';
import { CODES, signerFor, tempDir, trust } from '../chain/helpers.ts';

const BIG_WAV = gen('audio', 'bench-20mb.wav');
const codes = (list: readonly { code: string }[] | undefined): string[] => (list ?? []).map((e) => e.code);
const sha = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let producer: Signer;
let platform: Signer;

beforeAll(async () => {
  tmp = await tempDir('stamp-large');
  [producer, platform] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
});
afterAll(async () => {
  await tmp.cleanup();
});

async function expectTrusted(file: string): Promise<void> {
  const ours = await verify(file, { trust: trust() });
  expect(ours.validation_state).toBe('Trusted');
  expect(codes(ours.validation_results?.activeManifest.failure)).toEqual([]);
  expect(codes(ours.validation_results?.activeManifest.success)).toContain('assertion.dataHash.match');
  const sdk = await sdkRead(file, { anchorsPem: trust().anchorsPem });
  expect(sdk?.validation_state).toBe('Trusted');
  expect(codes(sdk?.validation_results?.activeManifest?.failure)).toEqual([]);
  expect(codes(sdk?.validation_results?.activeManifest?.success)).toContain('assertion.dataHash.match');
}

describe('a 20 MB WAV through the streamed path', () => {
  it('is large enough to take it', async () => {
    expect((await stat(BIG_WAV)).size).toBeGreaterThan(SMALL_OUTPUT_BYTES);
  });

  it('stamp: Trusted in both tools; the input is unchanged; no temp file is left', async () => {
    const before = await sha(BIG_WAV);
    const out = tmp.file('stamped.wav');
    await stamp(BIG_WAV, { signer: producer, producer: CODES.producer, explicitLabel: false, output: out });
    await expectTrusted(out);
    expect(await sha(BIG_WAV)).toBe(before);
    expect((await readdir(tmp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('stamp --in-place replaces the file with a Trusted one', async () => {
    const file = tmp.file('in-place.wav');
    await copyFile(BIG_WAV, file);
    await stamp(file, { signer: producer, producer: CODES.producer, explicitLabel: false, output: file, inPlace: true });
    await expectTrusted(file);
  });

  it('propagate: the platform manifest is Trusted in both tools and links to the producer', async () => {
    const out = tmp.file('platform.wav');
    const r = await propagate(tmp.file('stamped.wav'), { signer: platform, propagator: CODES.platformA, trust: trust(), output: out });
    expect(r.decision.prompt).toBe('ai-generated');
    await expectTrusted(out);
    const report = await verify(out, { trust: trust() });
    expect(report.chain.map((s) => s.role)).toEqual(['creation', 'propagation']);
  });
});
