/** Test helpers that read media back with ffmpeg/ffprobe directly (independent of the library). */
import { spawnSync } from 'node:child_process';
import type { Rgb8 } from './measure.ts';

function run(bin: string, args: string[]): Buffer {
  const r = spawnSync(bin, args, { maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

/** ffprobe JSON (format + streams). */
export function ffprobe(file: string): { format: Record<string, string>; streams: Record<string, string | number>[] } {
  return JSON.parse(run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]).toString());
}

/** One video frame at `t` seconds as RGB. */
export function frameAt(file: string, t: number, width: number, height: number): Rgb8 {
  const data = run('ffmpeg', [
    '-v',
    'error',
    '-ss',
    t.toFixed(3),
    '-i',
    file,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]);
  if (data.length !== width * height * 3) throw new Error(`frame of ${data.length} bytes`);
  return { data, width, height };
}

/** Crop an RGB image. */
export function crop(img: Rgb8, x: number, y: number, w: number, h: number): Rgb8 {
  const data = Buffer.alloc(w * h * 3);
  for (let r = 0; r < h; r++) img.data.copy(data, r * w * 3, ((y + r) * img.width + x) * 3, ((y + r) * img.width + x + w) * 3);
  return { data, width: w, height: h };
}

/** Decode the first channel of the first audio stream to float samples (no downmix gain). */
export function decodeMono(file: string, sampleRate: number): Float32Array {
  const raw = run('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0:a:0',
    '-af',
    'pan=mono|c0=c0',
    '-ar',
    String(sampleRate),
    '-f',
    'f32le',
    '-acodec',
    'pcm_f32le',
    '-',
  ]);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

/** MD5 of the first audio stream's packets (stream copy). */
export function audioPacketsMd5(file: string): string {
  return run('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a:0', '-c', 'copy', '-f', 'md5', '-']).toString().trim();
}

/** EBU R128 integrated loudness of a file (ffmpeg ebur128). */
export function integratedLufs(file: string): number {
  const r = spawnSync(
    'ffmpeg',
    ['-nostats', '-hide_banner', '-i', file, '-map', '0:a:0', '-af', 'ebur128=framelog=verbose', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const s = r.stderr.slice(r.stderr.lastIndexOf('Summary:'));
  return Number(/I:\s*(-?[\d.]+)\s*LUFS/.exec(s)![1]);
}

/** Largest Goertzel power at `hz` (10 ms windows, 2 ms hop) between two times. */
export function tonePower(pcm: Float32Array, sampleRate: number, hz: number, fromMs = 0, toMs = Infinity): number {
  return Math.max(...goertzel(pcm, sampleRate, hz, fromMs, toMs).map((x) => x.p));
}

function goertzel(pcm: Float32Array, sampleRate: number, hz: number, fromMs: number, toMs: number): { t: number; p: number }[] {
  const win = Math.round(sampleRate * 0.01),
    hop = Math.round(sampleRate * 0.002);
  const k = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  const first = Math.max(0, Math.round((fromMs * sampleRate) / 1000));
  const last = Math.min(pcm.length - win, Math.round((Math.min(toMs, (pcm.length * 1000) / sampleRate) * sampleRate) / 1000));
  const powers: { t: number; p: number }[] = [];
  for (let s = first; s <= last; s += hop) {
    let s1 = 0,
      s2 = 0;
    for (let i = 0; i < win; i++) {
      const s0 = pcm[s + i] + k * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    powers.push({ t: ((s + win / 2) * 1000) / sampleRate, p: s1 * s1 + s2 * s2 - k * s1 * s2 });
  }
  return powers;
}

/** A tone's on-segments in ms: Goertzel power at `hz` over 10 ms windows every 2 ms, threshold 25 % of the peak. */
export function toneSegments(
  pcm: Float32Array,
  sampleRate: number,
  hz: number,
  fromMs = 0,
  toMs = Infinity,
): { start: number; end: number }[] {
  const powers = goertzel(pcm, sampleRate, hz, fromMs, toMs);
  const max = Math.max(...powers.map((x) => x.p));
  const segs: { start: number; end: number }[] = [];
  let cur: { start: number; end: number } | null = null;
  for (const { t, p } of powers) {
    if (p >= 0.25 * max) {
      if (!cur) cur = { start: t, end: t };
      else cur.end = t;
    } else if (cur) {
      segs.push(cur);
      cur = null;
    }
  }
  if (cur) segs.push(cur);
  return segs;
}

/** RMS of samples between two times (ms). */
export function rms(pcm: Float32Array, sampleRate: number, fromMs: number, toMs: number): number {
  const a = Math.round((fromMs * sampleRate) / 1000),
    b = Math.round((toMs * sampleRate) / 1000);
  let s = 0;
  for (let i = a; i < b; i++) s += pcm[i] * pcm[i];
  return Math.sqrt(s / Math.max(1, b - a));
}
