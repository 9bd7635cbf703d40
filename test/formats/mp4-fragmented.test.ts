/**
 * Fragmented MP4 in one file (`moov` + `moof`/`mdat` pairs + `mfra`): stamped as c2pa-rs
 * signs it (C2PA box after `ftyp`, flat `c2pa.hash.bmff.v3`), with absolute `tfhd` base
 * data offsets and `tfra` moof offsets patched. Ours → SDK and SDK → ours, Trusted with
 * equal codes; ffmpeg decodes every output to the end; ffprobe shows the label.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/binary/file-source.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { mp4Handler } from '../../src/formats/mp4.ts';
import { makeGb45438Label, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { embedAndWrite } from '../../src/service/embed.ts';
import { verify } from '../../src/service/verify.ts';
import { CREATED_ACTIONS, sdkRead, sdkSign } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';
import { ffmpegDecodeErrors, ffprobeTags, type SdkPki, sdkPki, tempDir, topLevel } from './bmff-helpers.ts';

const SEEDS = ['frag.mp4', 'frag-abs.mp4'];
let pki: SdkPki;
let dir: string;
beforeAll(async () => {
  pki = await sdkPki();
  dir = await tempDir('fmp4');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Results = { success: readonly { code: string }[]; informational: readonly { code: string }[]; failure: readonly { code: string }[] };
function codes(r: Results | undefined): Record<string, string[]> {
  const pick = (l: readonly { code: string }[] | undefined) => [...new Set((l ?? []).map((s) => s.code))].sort();
  return { success: pick(r?.success), informational: pick(r?.informational), failure: pick(r?.failure) };
}

/** Every `tfhd` base data offset minus its `moof`'s offset, and every `tfra` moof offset. */
function fragmentOffsets(d: Buffer): { relative: number[]; tfra: number[]; moofs: number[] } {
  const boxes = topLevel(d);
  const relative: number[] = [];
  const moofs = boxes.filter(([t]) => t === 'moof').map(([, o]) => o);
  for (const [type, off, size] of boxes) {
    if (type !== 'moof') continue;
    for (let i = d.indexOf('tfhd', off); i > 0 && i < off + size; i = d.indexOf('tfhd', i + 4)) {
      if (d.readUIntBE(i + 5, 3) & 1) relative.push(Number(d.readBigUInt64BE(i + 12)) - off);
    }
  }
  const tfra: number[] = [];
  const mfra = boxes.find(([t]) => t === 'mfra');
  if (mfra) {
    for (let i = d.indexOf('tfra', mfra[1]); i > 0; i = d.indexOf('tfra', i + 4)) {
      const v1 = d[i + 4] === 1;
      const sizes = d[i + 15]!;
      const n = d.readUInt32BE(i + 16);
      const entry = (v1 ? 16 : 8) + ((sizes >> 4) & 3) + ((sizes >> 2) & 3) + (sizes & 3) + 3;
      for (let k = 0; k < n; k++) {
        const at = i + 20 + k * entry + (v1 ? 8 : 4);
        tfra.push(v1 ? Number(d.readBigUInt64BE(at)) : d.readUInt32BE(at));
      }
    }
  }
  return { relative, tfra, moofs };
}

describe.each(SEEDS)('%s', (seed) => {
  const label = makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: `fmp4-${seed}` });

  it('ours → SDK: Trusted for both with equal codes; offsets patched; decodes; ffprobe shows AIGC', async () => {
    const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    const src = await FileSource.open(gen('fmp4', seed));
    const out = path.join(dir, `ours-${seed}`);
    try {
      await embedAndWrite(
        {
          src,
          handler: mp4Handler,
          signer,
          assertions: [CREATED_ACTIONS] as never,
          labels: { gb45438: label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA },
        },
        out,
      );
    } finally {
      await src.close();
    }
    const sdk = await sdkRead(out, { anchorsPem: pki.rootPem });
    expect(sdk?.validation_state).toBe('Trusted');
    const ours = await verify(out, { trust: { anchorsPem: pki.rootPem } });
    expect(ours.validation_state).toBe('Trusted');
    expect(codes(ours.validation_results?.activeManifest)).toEqual(codes(sdk?.validation_results?.activeManifest));
    expect(codes(ours.validation_results?.activeManifest).success).toContain('assertion.bmffHash.match');

    const before = fragmentOffsets(await readFile(gen('fmp4', seed)));
    const after = fragmentOffsets(await readFile(out));
    expect(after.relative).toEqual(before.relative);
    expect(after.tfra.every((o) => after.moofs.includes(o))).toBe(true);
    expect(after.tfra.length).toBe(before.tfra.length);
    expect(after.tfra.length).toBeGreaterThan(0);
    if (seed === 'frag-abs.mp4') expect(before.relative.length).toBeGreaterThan(0);
    expect(await ffmpegDecodeErrors(out)).toBe('');
    expect((await ffprobeTags(out)).AIGC).toBe(serializeGb45438(label));
  });

  it('SDK → ours: an SDK-signed fragmented file is Trusted for us with the SDK codes', async () => {
    const signed = path.join(dir, `sdk-${seed}`);
    await sdkSign(gen('fmp4', seed), signed, { chainPem: pki.chainPem, keyPem: pki.keyPem, alg: 'es256', format: 'video/mp4' });
    const sdk = await sdkRead(signed, { anchorsPem: pki.rootPem });
    expect(sdk?.validation_state).toBe('Trusted');
    const ours = await verify(signed, { trust: { anchorsPem: pki.rootPem } });
    expect(ours.c2pa_validation_state).toBe('Trusted');
    expect(codes(ours.validation_results?.activeManifest)).toEqual(codes(sdk?.validation_results?.activeManifest));
  });
});
