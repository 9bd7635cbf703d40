import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { gifHandler } from '../../src/formats/gif.ts';
import { gen, repo } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed-still.gif', 'seed-anim.gif', 'seed-87a.gif', 'seed-xmp.gif'];

runHandlerConformance(
  gifHandler,
  async () => [
    ...(await Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('gif-avi', name))) })))),
    { name: 'sample1.gif', bytes: new Uint8Array(await readFile(repo('fixtures/external/c2pa-rs/unsigned/sample1.gif'))) },
  ],
  {
    decodes: async (bytes) => {
      const meta = await sharp(bytes, { animated: true, failOn: 'warning' }).metadata();
      if (meta.format !== 'gif') throw new Error(`decoded as ${meta.format}`);
      await sharp(bytes, { animated: true, failOn: 'warning' }).raw().toBuffer();
    },
    fuzzRuns: 80,
  },
);
