/**
 * `c2pa.hash.bmff.v3` Merkle block trees over `mdat` (`fixedBlockSize`), SDK → ours: the
 * reference SDK signs a plain MP4 with `core.merkle_tree_chunk_size_in_kb` (with proofs in
 * Merkle `uuid` boxes, or with the leaves stored in the assertion), and both tools give the
 * same verdict and code sets; a byte changed inside a block, or in a proof, is a mismatch in both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Builder, LocalSigner } from '@contentauth/c2pa-node';
import { verify } from '../../src/service/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { listBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { repo } from '../helpers.ts';
import { CREATED_ACTIONS, sdkRead, type ManifestStore } from '../sdk.ts';
import { makeKit, type Kit } from '../tsa/pki-kit.ts';

let kit: Kit;
beforeAll(async () => {
  kit = await makeKit('block-tree');
});
afterAll(async () => {
  await kit?.cleanup();
});

/** Sign the seed MP4 with the SDK, Merkle blocks of `kb` KiB and at most `maxProofs` proof hashes. */
function sdkSignBlocks(out: string, kb: number, maxProofs: number, input = repo('fixtures', 'generated', 'video', 'seed.mp4')): void {
  const manifest = {
    claim_generator_info: [{ name: 'aigc-provenance-tests', version: '1' }],
    title: 'blocks',
    format: 'video/mp4',
    assertions: [CREATED_ACTIONS],
  };
  const settings = {
    builder: { thumbnail: { enabled: false } },
    core: { merkle_tree_chunk_size_in_kb: kb, merkle_tree_max_proofs: maxProofs },
  };
  const b = Builder.withJson(manifest as never, settings as never);
  b.sign(
    LocalSigner.newSigner(readFileSync(kit.signer.chainPath), readFileSync(kit.signer.keyPath), 'es256'),
    { path: input },
    { path: out },
  );
}

type Sets = { state: string | null | undefined; success: string[]; failure: string[] };
const uniq = (l: readonly { code: string }[] | undefined) => [...new Set((l ?? []).map((e) => e.code))].sort();
const sdkSets = (s: ManifestStore | null): Sets => ({
  state: s?.validation_state,
  success: uniq(s?.validation_results?.activeManifest?.success),
  failure: uniq(s?.validation_results?.activeManifest?.failure),
});
const ourSets = (r: VerifyReport): Sets => ({
  state: r.c2pa_validation_state,
  success: uniq(r.validation_results?.activeManifest?.success),
  failure: uniq(r.validation_results?.activeManifest?.failure),
});

async function both(file: string): Promise<{ sdk: Sets; ours: Sets; report: VerifyReport }> {
  const sdk = sdkSets(await sdkRead(file, { anchorsPem: kit.rootPem }));
  const report = await verify(file, { trust: { anchorsPem: kit.rootPem, defaultTrust: false } });
  return { sdk, ours: ourSets(report), report };
}

async function boxesOf(file: string) {
  const bytes = readFileSync(file);
  return (await listBoxes(new BufferSource(bytes), 0, bytes.length, 1)).boxes;
}

describe('v3 block trees over mdat, signed by the SDK', () => {
  it.each([
    [1, 5],
    [2, 0],
  ])('%i KiB blocks, at most %i proof hashes: both tools Trusted with assertion.bmffHash.match', async (kb, maxProofs) => {
    const file = kit.file(`blocks-${kb}-${maxProofs}.mp4`);
    sdkSignBlocks(file, kb, maxProofs);
    const { sdk, ours } = await both(file);
    expect(sdk.state).toBe('Trusted');
    expect(sdk.success).toContain('assertion.bmffHash.match');
    expect(ours).toEqual(sdk);
    const merkleBoxes = (await boxesOf(file)).filter((b) => b.type === 'uuid').length - 1;
    expect(merkleBoxes > 0).toBe(maxProofs > 0);
  });

  it('a byte changed inside an mdat block, or in a proof, is assertion.bmffHash.mismatch in both tools', async () => {
    const file = kit.file('blocks-tamper.mp4');
    sdkSignBlocks(file, 1, 5);
    const bytes = readFileSync(file);
    const boxes = await boxesOf(file);
    const mdat = boxes.find((b) => b.type === 'mdat')!;
    const inBlock = Uint8Array.from(bytes);
    inBlock[mdat.offset + 16 + 1024 * 10 + 7]! ^= 0x01; // block 10
    writeFileSync(kit.file('tamper-block.mp4'), inBlock);
    const proofBox = boxes.filter((b) => b.type === 'uuid')[3]!;
    const inProof = Uint8Array.from(bytes);
    inProof[proofBox.offset + proofBox.size - 10]! ^= 0x01; // inside the last proof hash
    writeFileSync(kit.file('tamper-proof.mp4'), inProof);
    for (const name of ['tamper-block.mp4', 'tamper-proof.mp4']) {
      const { sdk, ours, report } = await both(kit.file(name));
      expect(sdk.failure).toContain('assertion.bmffHash.mismatch');
      expect(ours).toEqual(sdk);
      if (name === 'tamper-block.mp4') {
        const e = report.validation_results!.activeManifest!.failure.find((x) => x.code === 'assertion.bmffHash.mismatch');
        expect(e?.explanation).toMatch(/mdat block 10 of map 0/);
      }
    }
  });
});

describe('block ranges (variableBlockSizes, fixedBlockSize)', () => {
  const mdat = { type: 'mdat', offset: 100, size: 8 + 8 + 50, headerSize: 8, largeSize: false, toEnd: false } as never;
  const map = (o: object) => ({ uniqueId: 0, localId: 0, count: 3, hashes: [], ...o });
  it('cuts the mdat bytes from box offset 16 to its end', async () => {
    const { blockRanges } = await import('../../src/binding/bmff-block-leaves.ts');
    expect(blockRanges(map({ variableBlockSizes: [10, 30, 10] }), mdat)).toEqual([
      [116, 126],
      [126, 156],
      [156, 166],
    ]);
    expect(blockRanges(map({ fixedBlockSize: 20 }), mdat)).toEqual([
      [116, 136],
      [136, 156],
      [156, 166],
    ]);
    expect(blockRanges(map({ variableBlockSizes: [10, 30, 11] }), mdat)).toMatch(/cover 51 bytes of mdat data, not 50/);
    expect(blockRanges(map({ variableBlockSizes: [50] }), mdat)).toMatch(/1 block sizes for 3 leaves/);
    expect(blockRanges(map({ fixedBlockSize: 10 }), mdat)).toMatch(/Incorrect number of Merkle leaves: 3 in map 0, 5 blocks/);
    expect(blockRanges(map({ fixedBlockSize: 0 }), mdat)).toMatch(/fixedBlockSize 0/);
  });
});
