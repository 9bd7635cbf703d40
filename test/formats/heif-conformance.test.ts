/**
 * The shared handler conformance suite on HEIF/HEIC/AVIF seeds: sharp-made AVIFs (plain,
 * with alpha, with an XMP item in `mdat`) and the reference SDK's unsigned HEIF sample.
 * As for MP4, the binding is `c2pa.hash.bmff.v3`, so this test reports the C2PA `uuid`
 * box (found by parsing the planned output) as the exclusion: two fills must differ only
 * inside it. Outputs must decode with sharp (AVIF) and parse as a well-formed box list.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { PartsSource } from '../../src/binary/parts-source.ts';
import { boxEnd, listBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { isC2paBox } from '../../src/formats/bmff/bmff-c2pa-box.ts';
import { readHeifMeta } from '../../src/formats/bmff/heif-meta.ts';
import { heifHandler } from '../../src/formats/heif.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const withBoxExclusion: FormatHandler = {
  ...heifHandler,
  async planEmbed(src, n, labels) {
    const plan = await heifHandler.planEmbed(src, n, labels);
    const out = new PartsSource(src, plan.parts);
    const box = (await listBoxes(out, 0, out.size)).boxes.find(isC2paBox);
    return { ...plan, exclusions: box ? [{ offset: box.offset, length: boxEnd(box) - box.offset }] : [] };
  },
};

async function decodes(bytes: Uint8Array): Promise<void> {
  const src = new BufferSource(bytes);
  const top = await listBoxes(src, 0, bytes.length);
  await readHeifMeta(src, top.boxes.find((b) => b.type === 'meta')!);
  const brand = Buffer.from(bytes.subarray(8, 12)).toString('latin1');
  if (brand === 'avif') {
    const { info } = await sharp(bytes, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
    if (!(info.width > 0)) throw new Error('sharp decoded no pixels');
  }
}

const external = (name: string): string => path.join(import.meta.dirname, '../../fixtures/external/c2pa-rs/unsigned', name);
const seeds = (files: string[]) => async () =>
  Promise.all(files.map(async (f) => ({ name: path.basename(f), bytes: new Uint8Array(await readFile(f)) })));

runHandlerConformance(withBoxExclusion, seeds(['seed.avif', 'alpha.avif', 'with-xmp.avif'].map((n) => gen('heif', n))), {
  decodes,
  exclusionIsCarrierOnly: false,
  storeSizes: [200, 150_000],
  fuzzRuns: 80,
});
runHandlerConformance(withBoxExclusion, seeds([external('sample1.heif')]), {
  decodes,
  exclusionIsCarrierOnly: false,
  storeSizes: [300],
  fuzzRuns: 20,
});
