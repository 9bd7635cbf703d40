/**
 * Layout parity with the reference SDK (@contentauth/c2pa-node, c2pa-rs inside): the SDK
 * signs a seed; our handler finds its store, and re-embedding that store into the original
 * seed with our planEmbed reproduces the SDK's file byte for byte (placement, JPEG-XT
 * split, caBX CRC), so the SDK's data-hash exclusion and ours agree.
 */
import { readFile } from 'node:fs/promises';
import { Builder, LocalSigner, Reader } from '@contentauth/c2pa-node';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { jpegHandler } from '../../src/formats/jpeg.ts';
import { pngHandler } from '../../src/formats/png.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { gen } from '../helpers.ts';
import { expectSameBytes } from './conformance.ts';

async function sdkSign(bytes: Buffer, mimeType: string, padding: number): Promise<Buffer> {
  const signer = LocalSigner.newSigner(
    await readFile(gen('pki', 'es256', 'chain.pem')),
    await readFile(gen('pki', 'es256', 'key.pem')),
    'es256',
  );
  const builder = Builder.withJson({
    claim_generator_info: [{ name: 'layout-test', version: '1.0.0' }],
    assertions: [
      { label: 'c2pa.actions.v2', data: { actions: [{ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA }] } },
      ...(padding ? [{ label: 'com.example.padding', data: { blob: 'x'.repeat(padding) } }] : []),
    ],
  } as never);
  const output = { buffer: null as Buffer | null };
  builder.sign(signer, { buffer: bytes, mimeType } as never, output as never);
  return output.buffer!;
}

const cases: [string, string, FormatHandler][] = [
  ['seed.jpg', 'image/jpeg', jpegHandler],
  ['seed-noapp0.jpg', 'image/jpeg', jpegHandler],
  ['seed.png', 'image/png', pngHandler],
];

describe('store layout matches the reference SDK', () => {
  for (const [name, mime, handler] of cases) {
    for (const padding of [0, 150_000]) {
      it(`${name}${padding ? ' (multi-segment store)' : ''}`, async () => {
        const seed = await readFile(gen('images', name));
        const signed = await sdkSign(seed, mime, padding);
        const store = await handler.readManifest(new BufferSource(signed));
        expect(store!.length).toBeGreaterThan(padding);
        const src = new BufferSource(seed);
        const plan = await handler.planEmbed(src, store!.length);
        const ours = await partsToBytes(src, plan.fill(store!));
        expectSameBytes(ours, signed, 'our embedding of the SDK store');
        const removed = await partsToBytes(new BufferSource(signed), (await handler.planRemove(new BufferSource(signed))).parts);
        expectSameBytes(removed, seed, 'planRemove restores the seed');
        const report = (await Reader.fromAsset({ buffer: Buffer.from(ours), mimeType: mime } as never))!.json() as {
          validation_results: { activeManifest: { success: { code: string }[]; failure: { code: string }[] } };
        };
        expect(report.validation_results.activeManifest.failure.map((f) => f.code)).toEqual(['signingCredential.untrusted']);
        expect(report.validation_results.activeManifest.success.map((f) => f.code)).toContain('assertion.dataHash.match');
      });
    }
  }
});
