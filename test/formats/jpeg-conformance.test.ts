import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { jpegHandler } from '../../src/formats/jpeg.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.jpg', 'seed-noapp0.jpg', 'with-exif.jpg', 'doubao-like.jpg', 'picwish-like.jpg', 'wrong-uri.jpg'];

runHandlerConformance(
  jpegHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('images', name))) }))),
  { decodes: async (bytes) => void (await sharp(bytes, { failOn: 'warning' }).raw().toBuffer()) },
);
