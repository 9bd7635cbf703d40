/**
 * Video overlay, measured on extracted frames: the opening label at 0.5 s and 1.9 s and the
 * corner mark (both ≥ 5 % of the shortest side), the mark alone near the end, duration and audio
 * preserved, corrupt input and missing ffmpeg refused, input untouched.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalToolError, InvalidArgumentError, MalformedInputError, UnsupportedFormatError } from '../../src/errors.ts';
import { renderVideoLabel, renderVideoLabelBytes, type VideoLabelInfo } from '../../src/labels/explicit/index.ts';
import { clearToolCache } from '../../src/media/ffmpeg.ts';
import { gen } from '../helpers.ts';
import { diffBox, glyphColumns, measureLabel } from './measure.ts';
import { audioPacketsMd5, crop, ffprobe, frameAt } from './media.ts';

const W = 320,
  H = 240,
  MIN = 240;
const clip = gen('explicit', 'clip.mp4');
const sha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');
let dir: string, out: string, info: VideoLabelInfo, inputHash: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'explicit-video-'));
  out = path.join(dir, 'out.mp4');
  inputHash = await sha(clip);
  ({ info } = await renderVideoLabel(clip, out));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Opening label lives in the frame's upper 3/4 (centred); the corner mark in the bottom-right. */
const OPEN = { x: 0, y: 0, w: W, h: Math.round(H * 0.75) };
const MARK = { x: W / 2, y: Math.round(H * 0.75), w: W / 2, h: H - Math.round(H * 0.75) };
const region = (t: number, r: typeof OPEN) =>
  [crop(frameAt(clip, t, W, H), r.x, r.y, r.w, r.h), crop(frameAt(out, t, W, H), r.x, r.y, r.w, r.h)] as const;

describe('renderVideoLabel', () => {
  it.each([0.5, 1.9])('shows the opening label and the corner mark at %s s, both ≥ 5 percent of the shortest side', (t) => {
    const [i1, o1] = region(t, OPEN);
    const open = measureLabel(i1, o1);
    expect(open).not.toBeNull();
    expect(open!.text.h).toBeGreaterThanOrEqual(0.05 * MIN);
    expect(Math.abs(open!.plate.x + open!.plate.w / 2 - W / 2)).toBeLessThanOrEqual(6); // centred
    expect(glyphColumns(open!)).toHaveLength(4);
    expect(open!.contrast).toBeGreaterThanOrEqual(4.5);
    const [i2, o2] = region(t, MARK);
    const mark = measureLabel(i2, o2);
    expect(mark).not.toBeNull();
    expect(mark!.text.h).toBeGreaterThanOrEqual(0.05 * MIN);
    expect(mark!.plate.x + mark!.plate.w).toBeGreaterThan(W / 2 - 20); // hugs the right edge of the region
  });

  it('near the end only the corner mark remains', () => {
    const t = 2.9;
    const [i1, o1] = region(t, OPEN);
    const d = diffBox(i1, o1); // re-encoding noise only, nothing label-sized
    expect(d === null || d.w * d.h < 100).toBe(true);
    const [i2, o2] = region(t, MARK);
    const mark = measureLabel(i2, o2);
    expect(mark).not.toBeNull();
    expect(mark!.text.h).toBeGreaterThanOrEqual(0.05 * MIN);
    expect(glyphColumns(mark!)).toHaveLength(4);
  });

  it('keeps duration (within one frame) and the audio stream bit for bit', () => {
    const a = ffprobe(clip),
      b = ffprobe(out);
    const frame = 1 / 25;
    expect(Math.abs(Number(a.format.duration) - Number(b.format.duration))).toBeLessThanOrEqual(frame);
    const vid = (p: typeof a) => p.streams.find((s) => s.codec_type === 'video')!;
    expect(Math.abs(Number(vid(a).duration) - Number(vid(b).duration))).toBeLessThanOrEqual(frame);
    expect(Math.abs(Number(vid(a).nb_frames) - Number(vid(b).nb_frames))).toBeLessThanOrEqual(1);
    expect(vid(b).codec_name).toBe('h264');
    expect([vid(b).width, vid(b).height]).toEqual([W, H]);
    expect(audioPacketsMd5(out)).toBe(audioPacketsMd5(clip));
  });

  it('reports what it drew and never touches the input', async () => {
    expect(info).toMatchObject({ kind: 'video-overlay', text: 'AI生成', position: 'bottom-right', durationMs: 2500, persistentMark: true });
    expect(info.relativeHeight).toBeGreaterThanOrEqual(0.05);
    expect(await sha(clip)).toBe(inputHash);
  });

  it('works on bytes too', async () => {
    const { bytes, info: i } = await renderVideoLabelBytes(await readFile(clip), 'mp4', { position: 'top-left', openingSeconds: 2 });
    expect(i.durationMs).toBe(2000);
    expect(Buffer.from(bytes.subarray(4, 8)).toString()).toBe('ftyp');
  });
});

describe('renderVideoLabel — refusals', () => {
  it.each(['truncated.mp4', 'garbage.mp4'])('refuses the corrupt %s with MalformedInputError, no output', async (f) => {
    const o = path.join(dir, `bad-${f}`);
    const input = gen('explicit', f);
    const before = await sha(input);
    await expect(renderVideoLabel(input, o)).rejects.toBeInstanceOf(MalformedInputError);
    expect(existsSync(o)).toBe(false);
    expect(await sha(input)).toBe(before);
  });

  it('refuses bad options, unknown containers, audio-only input and output = input', async () => {
    await expect(renderVideoLabel(clip, path.join(dir, 'x.mp4'), { openingSeconds: 1.5 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderVideoLabel(clip, path.join(dir, 'x.mp4'), { text: 'Generated' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderVideoLabel(clip, path.join(dir, 'x.mpg'))).rejects.toBeInstanceOf(UnsupportedFormatError);
    await expect(renderVideoLabel(gen('explicit', 'programme.m4a'), path.join(dir, 'x.mp4'))).rejects.toBeInstanceOf(
      UnsupportedFormatError,
    );
    await expect(renderVideoLabel(clip, clip)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await sha(clip)).toBe(inputHash);
  });

  it('reports a missing ffmpeg with how to install it', async () => {
    const saved = { ffmpeg: process.env.AIGC_FFMPEG, ffprobe: process.env.AIGC_FFPROBE };
    process.env.AIGC_FFMPEG = path.join(dir, 'no-ffmpeg');
    process.env.AIGC_FFPROBE = path.join(dir, 'no-ffprobe');
    clearToolCache();
    try {
      const err = await renderVideoLabel(clip, path.join(dir, 'm.mp4')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExternalToolError);
      expect((err as Error).message).toMatch(/apt-get install ffmpeg/);
    } finally {
      for (const [k, v] of [
        ['AIGC_FFMPEG', saved.ffmpeg],
        ['AIGC_FFPROBE', saved.ffprobe],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      clearToolCache();
    }
    expect(existsSync(path.join(dir, 'm.mp4'))).toBe(false);
  });
});
