import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { pngHandler } from '../../src/formats/png.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.png', 'doubao-like.png'];

runHandlerConformance(
  pngHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('images', name))) }))),
  { decodes: async (bytes) => void (await sharp(bytes, { failOn: 'warning' }).raw().toBuffer()) },
);
