import { readFile } from 'node:fs/promises';
import { ffmpegDecodes } from './riff-kit.ts';
import { oggHandler } from '../../src/formats/ogg.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.ogg', 'seed-tags.ogg', 'seed.opus', 'seed-tags.opus', 'seed-two.ogg'];

runHandlerConformance(
  oggHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('label-only', name))) }))),
  { decodes: ffmpegDecodes('ogg'), iptcCarriers: 0 },
);
