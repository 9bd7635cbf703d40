// FLAC has no natural IPTC carrier: the digital source type lives in the manifest only.
import { readFile } from 'node:fs/promises';
import { ffmpegDecodes } from './riff-kit.ts';
import { flacHandler } from '../../src/formats/flac.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.flac', 'seed-novc.flac'];

runHandlerConformance(
  flacHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('audio', name))) }))),
  { decodes: ffmpegDecodes('flac'), exclusionIsCarrierOnly: false, iptcCarriers: 0 },
);
