import { readFile } from 'node:fs/promises';
import { ffmpegDecodes } from './riff-kit.ts';
import { wavHandler } from '../../src/formats/wav.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.wav', 'seed-info.wav', 'seed-odd.wav'];

runHandlerConformance(
  wavHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('audio', name))) }))),
  { decodes: ffmpegDecodes('wav'), exclusionIsCarrierOnly: false, labelCarriers: 2 },
);
