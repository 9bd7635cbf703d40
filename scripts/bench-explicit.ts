/**
 * Benchmarks of the explicit-label renderers, called from `npm run bench` (scripts/bench.ts) or
 * run alone: `npx tsx scripts/bench-explicit.ts`. Inputs are generated into `.cache/bench/`
 * (git-ignored) and reused.
 *
 * - image: label overlay on a 1024×1024 JPEG vs a bare sharp decode + re-encode of the same image;
 * - video: overlay speed as a multiple of real time on a generated 720p, 30 s clip with audio;
 * - audio: Morse cue on a generated 3-minute MP3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { renderAudioCue, renderImageLabel, renderVideoLabel } from '../src/labels/explicit/index.ts';
import { locateTool } from '../src/media/ffmpeg.ts';

const CACHE = fileURLToPath(new URL('../.cache/bench/', import.meta.url));

function ffmpeg(args: string[]): void {
  const r = spawnSync(locateTool('ffmpeg'), ['-hide_banner', '-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench input generation failed: ${r.stderr}`);
}

function cached(name: string, make: (file: string) => void): string {
  mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, name);
  if (!existsSync(file)) make(file);
  return file;
}

async function timeMs<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Result of {@link benchImageOverlay}. */
export interface ImageBench {
  readonly overlayMs: number;
  readonly reencodeMs: number;
  readonly iterations: number;
}

/** Median time of the label overlay on a 1024² photo-like JPEG, beside a bare sharp re-encode. */
export async function benchImageOverlay(iterations = 5): Promise<ImageBench> {
  const n = 1024;
  const small = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < small.length; i++) small[i] = (i * 2654435761) >>> 24;
  const jpeg = await sharp(small, { raw: { width: 64, height: 64, channels: 3 } })
    .resize(n, n, { kernel: 'cubic' })
    .jpeg({ quality: 90 })
    .toBuffer();
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  await renderImageLabel(jpeg); // warm up
  const overlay: number[] = [],
    bare: number[] = [];
  for (let i = 0; i < iterations; i++) {
    overlay.push(await timeMs(() => renderImageLabel(jpeg)));
    bare.push(await timeMs(() => sharp(jpeg).jpeg({ quality: 90 }).toBuffer()));
  }
  return { overlayMs: med(overlay), reencodeMs: med(bare), iterations };
}

/** Result of {@link benchVideoOverlay}. */
export interface VideoBench {
  readonly clipSeconds: number;
  readonly elapsedMs: number;
  readonly realtimeMultiple: number;
  readonly encoder: string;
}

/** Overlay a generated 1280×720, 30 fps, 30 s clip with AAC audio; speed as a multiple of real time. */
export async function benchVideoOverlay(): Promise<VideoBench> {
  const clipSeconds = 30;
  const input = cached('720p-30s.mp4', (f) =>
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=30:duration=${clipSeconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:duration=${clipSeconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      f,
    ]),
  );
  const output = path.join(CACHE, 'out-720p.mp4');
  let encoder = '';
  const elapsedMs = await timeMs(async () => {
    encoder = (await renderVideoLabel(input, output)).info.encoder;
  });
  await rm(output, { force: true });
  return { clipSeconds, elapsedMs, realtimeMultiple: (clipSeconds * 1000) / elapsedMs, encoder };
}

/** Result of {@link benchAudioCue}. */
export interface AudioBench {
  readonly programmeSeconds: number;
  readonly elapsedMs: number;
}

/** Add the Morse cue at the start of a generated 3-minute 192 kbit/s stereo MP3. */
export async function benchAudioCue(): Promise<AudioBench> {
  const programmeSeconds = 180;
  const input = cached('3min.mp3', (f) =>
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=220:sample_rate=44100:duration=${programmeSeconds}`,
      '-f',
      'lavfi',
      '-i',
      `anoisesrc=color=pink:amplitude=0.05:sample_rate=44100:duration=${programmeSeconds}`,
      '-filter_complex',
      '[0:a][1:a]amix=inputs=2,aformat=channel_layouts=stereo',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '192k',
      f,
    ]),
  );
  const output = path.join(CACHE, 'out-3min.mp3');
  const elapsedMs = await timeMs(() => renderAudioCue(input, output));
  await rm(output, { force: true });
  return { programmeSeconds, elapsedMs };
}

/** Run all three and format them as report lines. */
export async function benchExplicit(): Promise<string[]> {
  const img = await benchImageOverlay();
  const vid = await benchVideoOverlay();
  const aud = await benchAudioCue();
  return [
    `explicit image overlay, 1024² JPEG: ${img.overlayMs.toFixed(1)} ms (bare sharp re-encode ${img.reencodeMs.toFixed(1)} ms, median of ${img.iterations})`,
    `explicit video overlay, 720p ${vid.clipSeconds} s (${vid.encoder}): ${(vid.elapsedMs / 1000).toFixed(2)} s = ${vid.realtimeMultiple.toFixed(2)}× real time`,
    `explicit audio cue, ${aud.programmeSeconds / 60}-minute MP3: ${(aud.elapsedMs / 1000).toFixed(2)} s`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await benchExplicit()) console.log(line);
}
