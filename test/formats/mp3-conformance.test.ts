import { readFile } from 'node:fs/promises';
import { ffmpegDecodes } from './riff-kit.ts';
import { mp3Handler } from '../../src/formats/mp3.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.mp3', 'seed-id3.mp3', 'seed-id3v23.mp3', 'minimax-like.mp3'];

runHandlerConformance(
  mp3Handler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('audio', name))) }))),
  { decodes: ffmpegDecodes('mp3'), exclusionIsCarrierOnly: false },
);
