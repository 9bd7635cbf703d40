/** ffmpeg/ffprobe discovery, running and error classification. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalToolError, IoError, MalformedInputError } from '../../src/errors.ts';
import { classifyToolFailure, clearToolCache, hasEncoder, locateTool, probe, probeDurationMs, runTool } from '../../src/media/ffmpeg.ts';
import { gen } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'explicit-ffmpeg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  clearToolCache();
});

describe('locateTool', () => {
  it('finds ffmpeg and ffprobe on PATH', () => {
    expect(path.basename(locateTool('ffmpeg'))).toBe('ffmpeg');
    expect(path.basename(locateTool('ffprobe'))).toBe('ffprobe');
  });
  it('prefers AIGC_FFMPEG / AIGC_FFPROBE', async () => {
    const fake = path.join(dir, 'my-ffmpeg');
    await writeFile(fake, '#!/bin/sh\nexit 0\n');
    await chmod(fake, 0o755);
    expect(locateTool('ffmpeg', { PATH: '', AIGC_FFMPEG: fake })).toBe(fake);
  });
  it('explains how to install when missing', () => {
    expect(() => locateTool('ffmpeg', { PATH: dir })).toThrow(ExternalToolError);
    expect(() => locateTool('ffprobe', { PATH: dir })).toThrow(/apt-get install ffmpeg/);
    expect(() => locateTool('ffmpeg', { PATH: process.env.PATH, AIGC_FFMPEG: path.join(dir, 'nope') })).toThrow(
      /AIGC_FFMPEG=.*not an executable/,
    );
  });
});

describe('runTool / probe', () => {
  it('probes a clip', async () => {
    const p = await probe(gen('explicit', 'clip.mp4'));
    expect(p.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(probeDurationMs(p)).toBeCloseTo(3000, -2);
    expect(await hasEncoder('aac')).toBe(true);
    expect(await hasEncoder('no-such-encoder')).toBe(false);
  });
  it('maps failures to typed errors', async () => {
    await expect(probe(gen('explicit', 'garbage.mp4'))).rejects.toBeInstanceOf(MalformedInputError);
    await expect(probe(path.join(dir, 'missing.mp4'))).rejects.toBeInstanceOf(IoError);
    await expect(runTool('ffmpeg', ['-no-such-option'])).rejects.toBeInstanceOf(ExternalToolError);
    expect(classifyToolFailure('ffmpeg', 'exit code 1', '[mov,mp4 @ 0x1234] moov atom not found\n', 'x.mp4').message).toBe(
      'media: ffmpeg cannot read x.mp4: moov atom not found',
    );
  });
  it('feeds stdin and returns stdout', async () => {
    const pcm = Buffer.alloc(800 * 2);
    const { stdout } = await runTool('ffmpeg', [
      '-v',
      'error',
      '-f',
      's16le',
      '-ar',
      '8000',
      '-ac',
      '1',
      '-i',
      'pipe:0',
      '-f',
      'u8',
      '-acodec',
      'pcm_u8',
      '-',
    ]);
    expect(stdout.length).toBe(0); // no stdin given → empty stream
    const r = await runTool(
      'ffmpeg',
      ['-v', 'error', '-f', 's16le', '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-f', 'u8', '-acodec', 'pcm_u8', '-'],
      { stdin: pcm },
    );
    expect(r.stdout.length).toBe(800);
    expect(r.stdout.every((b) => b === 128)).toBe(true);
  });
});
