/**
 * Audio cue, measured on the decoded output: the Morse "AI" envelope (dot-dash-dot-dot) with
 * standard timing at the start and/or end, its level against the programme's loudness, codec
 * family/sample rate kept, voice clip prepended, bad input refused, input untouched.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalToolError, InvalidArgumentError, MalformedInputError, UnsupportedFormatError } from '../../src/errors.ts';
import { renderAudioCue, renderAudioCueBytes, type CuePlacement } from '../../src/labels/explicit/index.ts';
import { sineLoudness } from '../../src/labels/explicit/morse.ts';
import { clearToolCache } from '../../src/media/ffmpeg.ts';
import { gen } from '../helpers.ts';
import { decodeMono, ffprobe, integratedLufs, rms, tonePower, toneSegments } from './media.ts';

const fx = (f: string) => gen('explicit', f);
const sha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'explicit-audio-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Check four on-segments with Morse timing for a 100 ms unit: .- .. = 1,3,1,1 on; 1,3,1 off. */
function expectMorseAI(segs: { start: number; end: number }[], tol = 25): void {
  expect(segs).toHaveLength(4);
  const on = segs.map((s) => s.end - s.start);
  const off = segs.slice(1).map((s, i) => s.start - segs[i].end);
  for (const [i, want] of [100, 300, 100, 100].entries()) expect(Math.abs(on[i] - want)).toBeLessThanOrEqual(tol);
  for (const [i, want] of [100, 300, 100].entries()) expect(Math.abs(off[i] - want)).toBeLessThanOrEqual(tol);
}

const cases: { file: string; out: string; placement: CuePlacement; codec: string }[] = [
  { file: 'programme.mp3', out: 'a.mp3', placement: 'start', codec: 'mp3' },
  { file: 'programme.wav', out: 'b.wav', placement: 'both', codec: 'pcm_s16le' },
  { file: 'programme.flac', out: 'c.flac', placement: 'end', codec: 'flac' },
  { file: 'programme.m4a', out: 'd.m4a', placement: 'start', codec: 'aac' },
  { file: 'programme-48k-mono-s24.wav', out: 'e.wav', placement: 'start', codec: 'pcm_s24le' },
];

describe('renderAudioCue — Morse "AI"', () => {
  it.each(cases)('$file → cue at $placement', async ({ file, out, placement, codec }) => {
    const input = fx(file),
      output = path.join(dir, out);
    const before = await sha(input);
    const { info } = await renderAudioCue(input, output, { placement });
    expect(await sha(input)).toBe(before);
    const pin = ffprobe(input),
      pout = ffprobe(output);
    const ain = pin.streams.find((s) => s.codec_type === 'audio')!,
      aout = pout.streams.find((s) => s.codec_type === 'audio')!;
    expect(aout.codec_name).toBe(codec);
    expect(aout.sample_rate).toBe(ain.sample_rate);
    expect(aout.channels).toBe(ain.channels);
    if (codec === 'mp3') expect(Math.abs(Number(aout.bit_rate) - Number(ain.bit_rate))).toBeLessThanOrEqual(16000);
    if (codec === 'flac') expect(aout.bits_per_raw_sample).toBe(ain.bits_per_raw_sample);

    const sr = Number(ain.sample_rate);
    const pcm = decodeMono(output, sr);
    const totalMs = (pcm.length * 1000) / sr;
    const inMs = Number(pin.format.duration) * 1000;
    expect(Math.abs(totalMs - (inMs + info.addedMs))).toBeLessThanOrEqual(80);
    if (placement !== 'end') {
      const segs = toneSegments(pcm, sr, 880, 0, 1500);
      expectMorseAI(segs);
      expect(segs[0].start).toBeLessThanOrEqual(60); // at the very start
      // Level matched to the programme: the steady tone's loudness ≈ programme integrated loudness.
      const amp = rms(pcm, sr, segs[1].start + 50, segs[1].end - 50) * Math.SQRT2;
      const toneLufs = sineLoudness(amp, Number(ain.channels));
      expect(Math.abs(toneLufs - integratedLufs(input))).toBeLessThanOrEqual(1.5);
    } else {
      // Nothing at the start: 880 Hz there is far weaker than in the end cue.
      expect(tonePower(pcm, sr, 880, 0, 1500)).toBeLessThan(0.05 * tonePower(pcm, sr, 880, totalMs - 1600));
    }
    if (placement !== 'start') {
      const segs = toneSegments(pcm, sr, 880, totalMs - 1600);
      expectMorseAI(segs);
      expect(totalMs - segs[3].end).toBeGreaterThanOrEqual(150); // followed by the short tail
      expect(totalMs - segs[3].end).toBeLessThanOrEqual(300);
    }
    expect(info).toMatchObject({ kind: 'audio-cue', placement, cue: 'morse', unitMs: 100, durationMs: 1100, pattern: '.- ..' });
  });

  it('honours another unit length', async () => {
    const output = path.join(dir, 'unit.wav');
    await renderAudioCue(fx('programme.wav'), output, { unitMs: 60 });
    const segs = toneSegments(decodeMono(output, 44100), 44100, 880, 0, 1000);
    expect(segs).toHaveLength(4);
    expect(Math.abs(segs[1].end - segs[1].start - 180)).toBeLessThanOrEqual(20);
  });

  it('works on bytes too', async () => {
    const { bytes, info } = await renderAudioCueBytes(await readFile(fx('programme.wav')), 'wav');
    expect(info.placement).toBe('start');
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('RIFF');
  });
});

describe('renderAudioCue — voice clip', () => {
  it('prepends the voice clip, level-matched, then the programme', async () => {
    const output = path.join(dir, 'voice.mp3');
    const { info } = await renderAudioCue(fx('programme.mp3'), output, { voiceClip: fx('voice.wav') });
    expect(info).toMatchObject({ cue: 'voice', placement: 'start' });
    const pcm = decodeMono(output, 44100);
    const voice = toneSegments(pcm, 44100, 600, 0, 2000);
    expect(voice).toHaveLength(1);
    expect(voice[0].start).toBeLessThanOrEqual(60);
    expect(Math.abs(voice[0].end - voice[0].start - 600)).toBeLessThanOrEqual(30);
    expect(tonePower(pcm, 44100, 880, 0, 1500)).toBeLessThan(0.05 * tonePower(pcm, 44100, 600, 0, 1500)); // no Morse tone
    const amp = rms(pcm, 44100, 100, 500) * Math.SQRT2;
    expect(Math.abs(sineLoudness(amp, 2, 600) - integratedLufs(fx('programme.mp3')))).toBeLessThanOrEqual(1.5);
  });
});

describe('renderAudioCue — refusals', () => {
  it('refuses bad options, a mismatched output type and output = input', async () => {
    await expect(
      renderAudioCue(fx('programme.mp3'), path.join(dir, 'x.mp3'), { placement: 'middle' as CuePlacement }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderAudioCue(fx('programme.mp3'), path.join(dir, 'x.mp3'), { unitMs: 5 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderAudioCue(fx('programme.mp3'), path.join(dir, 'x.wav'))).rejects.toThrow(/\.mp3/);
    await expect(renderAudioCue(fx('programme.mp3'), fx('programme.mp3'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderAudioCue(fx('clip.mp4'), path.join(dir, 'v.mp4'))).rejects.toBeInstanceOf(UnsupportedFormatError);
  });

  it('refuses corrupt audio with MalformedInputError and leaves no output', async () => {
    const output = path.join(dir, 'bad.mp4');
    await expect(renderAudioCue(fx('garbage.mp4'), output)).rejects.toBeInstanceOf(MalformedInputError);
    expect(existsSync(output)).toBe(false);
  });

  it('reports a missing ffmpeg with how to install it', async () => {
    const saved = process.env.AIGC_FFPROBE;
    process.env.AIGC_FFPROBE = path.join(dir, 'no-such-ffprobe');
    clearToolCache();
    try {
      const err = await renderAudioCue(fx('programme.wav'), path.join(dir, 'm.wav')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExternalToolError);
      expect((err as Error).message).toMatch(/apt-get install ffmpeg/);
    } finally {
      if (saved === undefined) delete process.env.AIGC_FFPROBE;
      else process.env.AIGC_FFPROBE = saved;
      clearToolCache();
    }
    expect(existsSync(path.join(dir, 'm.wav'))).toBe(false);
  });
});
