/**
 * The shared handler conformance suite on the MP4/MOV/M4A seeds.
 *
 * BMFF is hashed with `c2pa.hash.bmff.v3` (box exclusions), so the real handler returns
 * no byte-range exclusions. The suite's exclusion checks are still meaningful for the
 * C2PA `uuid` box, so this test wraps the handler and reports that box (found by parsing
 * the planned output) as the exclusion: two fills must differ only inside it.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll } from 'vitest';
import path from 'node:path';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { mp4Handler } from '../../src/formats/mp4.ts';
import { boxEnd, listBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { isC2paBox } from '../../src/formats/bmff/bmff-c2pa-box.ts';
import { PartsSource } from '../../src/binary/parts-source.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import { runHandlerConformance } from './conformance.ts';
import { ffmpegDecodeErrors, fx, tempDir } from './bmff-helpers.ts';
import { gen } from '../helpers.ts';

const withBoxExclusion: FormatHandler = {
  ...mp4Handler,
  async planEmbed(src, n, labels) {
    const plan = await mp4Handler.planEmbed(src, n, labels);
    const out = new PartsSource(src, plan.parts);
    const box = (await listBoxes(out, 0, out.size)).boxes.find(isC2paBox);
    return { ...plan, exclusions: box ? [{ offset: box.offset, length: boxEnd(box) - box.offset }] : [] };
  },
};

let n = 0;
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});
async function decodes(bytes: Uint8Array): Promise<void> {
  dir ??= await tempDir('mp4-conf');
  const f = path.join(dir, `d${n++}.mp4`);
  await writeFile(f, bytes);
  const errors = await ffmpegDecodeErrors(f);
  await rm(f, { force: true });
  if (errors) throw new Error(`ffmpeg: ${errors}`);
  // the output is still a well-formed box sequence
  await listBoxes(new BufferSource(bytes), 0, bytes.length);
}

const seeds = (names: string[]) => async () =>
  Promise.all(names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(fx(name))) })));

// video files: one GB 45438 carrier (the mdta key, new or updated in place)
runHandlerConformance(withBoxExclusion, seeds(['seed.mp4', 'seed-faststart.mp4', 'seed.mov', 'with-aigc.mp4', 'phone-keys.mov']), {
  decodes,
  exclusionIsCarrierOnly: false,
  fuzzRuns: 60,
});
// audio-only / iTunes-style lists: the mdta key plus a `----` AIGC freeform item
runHandlerConformance(withBoxExclusion, seeds(['seed.m4a', 'phone-mdir.mov']), {
  decodes,
  exclusionIsCarrierOnly: false,
  labelCarriers: 2,
  fuzzRuns: 40,
});
// fragmented MP4 in one file (moof/mdat pairs, mfra; relative and absolute tfhd offsets)
runHandlerConformance(
  withBoxExclusion,
  async () =>
    Promise.all(['frag.mp4', 'frag-abs.mp4'].map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('fmp4', name))) }))),
  {
    decodes,
    exclusionIsCarrierOnly: false,
    fuzzRuns: 40,
  },
);
