import { readFile } from 'node:fs/promises';
import { ffmpegDecodes } from './riff-kit.ts';
import { flvHandler } from '../../src/formats/flv.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.flv', 'seed-tags.flv', 'seed-keyframes.flv'];

runHandlerConformance(
  flvHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('label-only', name))) }))),
  { decodes: ffmpegDecodes('flv'), iptcCarriers: 0 },
);
