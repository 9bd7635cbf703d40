import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { webpHandler } from '../../src/formats/webp.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed-vp8.webp', 'seed-vp8l.webp', 'seed-vp8x.webp', 'seed-trailing.webp'];

runHandlerConformance(
  webpHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('webp', name))) }))),
  { decodes: async (bytes) => void (await sharp(bytes, { failOn: 'warning' }).raw().toBuffer()), exclusionIsCarrierOnly: false },
);
