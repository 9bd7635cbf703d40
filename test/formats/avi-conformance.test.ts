import { readFile } from 'node:fs/promises';
import { aviHandler } from '../../src/formats/avi.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';
import { ffmpegDecodes } from './riff-kit.ts';

const SEEDS = ['seed.avi', 'seed-tags.avi', 'seed-nojunk.avi'];

runHandlerConformance(
  aviHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('gif-avi', name))) }))),
  { decodes: ffmpegDecodes('avi'), exclusionIsCarrierOnly: false, iptcCarriers: 0, fuzzRuns: 80 },
);
