import { readFile } from 'node:fs/promises';
import { ffmpegDecodes } from './riff-kit.ts';
import { mkvHandler } from '../../src/formats/mkv.ts';
import { gen } from '../helpers.ts';
import { runHandlerConformance } from './conformance.ts';

const SEEDS = ['seed.mkv', 'seed-tags.mkv', 'seed-cues.mkv', 'seed.webm'];

runHandlerConformance(
  mkvHandler,
  async () => Promise.all(SEEDS.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(gen('label-only', name))) }))),
  { decodes: ffmpegDecodes('mkv'), iptcCarriers: 0 },
);
