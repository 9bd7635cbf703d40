/**
 * `npm run bench`: one JSON line per figure, `{"bench","unit","ours","sdk","ceiling"}`,
 * with the reference SDK (@contentauth/c2pa-node) measured on the same files in the
 * same run, and the hardware ceiling (a bare node:crypto SHA-256 of the file) where one
 * applies. Each measurement runs in its own process (scripts/bench-worker.ts) so peak
 * RSS is that operation's own; each throughput figure is the median of three interleaved
 * rounds, each peak RSS the highest of the three. Large inputs are cached in .cache/bench/.
 *   npm run bench [-- --quick]   (--quick skips the 500 MB and 2 GB MP4s and the explicit-label figures)
 *   npm run bench -- --only jpeg   (only the 1024² JPEG figures: stamp, verify, propagate, labelled stamp)
 *   npm run bench -- --only propagate   (only the large-file propagate figures: 50 MB MP4, 20 MB WAV, beside verify alone)
 *   npm run bench -- --only mp4 [--quick]   (only the MP4 stamp/verify figures: 50 MB, and without --quick 500 MB and 2 GB)
 *   npm run bench -- --only cli   (only the CLI figures: cold start and the 1,000-file batch, scripts/bench-cli.ts)
 *   npm run bench -- --only-server [--quick]   (only the service figures: HTTP verify, queue)
 */
import { execFile } from 'node:child_process';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeFixtures, GENERATED_DIR } from './make-fixtures.ts';
import { loadSigner } from '../src/crypto/local-signer.ts';
import { stamp } from '../src/service/stamp.ts';
import { benchAudioCue, benchVideoOverlay } from './bench-explicit.ts';
import { benchCli } from './bench-cli.ts';
import { benchTlogAppend } from './bench-tlog.ts';
import { benchRepoLookup } from './bench-repo.ts';
import { benchHttpVerify, benchQueue } from './bench-server.ts';
import { benchHostile } from './bench-hostile.ts';

const run = promisify(execFile);
const CACHE = path.resolve('.cache/bench');
const PKI = path.join(GENERATED_DIR, 'pki/es256');
const QUICK = process.argv.includes('--quick');

interface Measure {
  seconds: number;
  cpuSeconds?: number;
  iterations: number;
  bytes: number;
  maxRssMB: number;
}

async function measure(op: string, file: string, iterations: number): Promise<Measure | null> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench-worker.ts', op, file, String(iterations)], {
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Measure;
  } catch (err) {
    process.stderr.write(`bench: ${op} on ${path.basename(file)} failed: ${(err as { stderr?: string }).stderr ?? String(err)}\n`);
    return null;
  }
}

function line(bench: string, unit: string, ours: number | null, sdk: number | null, ceiling: number | null = null): void {
  const r = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  process.stdout.write(`${JSON.stringify({ bench, unit, ours: r(ours), sdk: r(sdk), ceiling: r(ceiling) })}\n`);
}

const filesPerSec = (m: Measure | null) => (m ? m.iterations / m.seconds : null);
const mbPerSec = (m: Measure | null) => (m ? (m.bytes * m.iterations) / m.seconds / 1e6 : null);

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** An MP4 of about `mb` MB: a noisy 10 s clip (incompressible), looped with -c copy. */
async function bigMp4(mb: number): Promise<string> {
  const out = path.join(CACHE, `big-${mb}mb.mp4`);
  if (await exists(out)) return out;
  const clip = path.join(CACHE, 'noise-10s.mp4');
  if (!(await exists(clip))) {
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'nullsrc=s=640x360:r=25,geq=random(1)*255:128:128',
      '-f',
      'lavfi',
      '-i',
      'sine=f=440',
      '-t',
      '10',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-qp',
      '0',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      clip,
    ]);
  }
  const clipMb = (await stat(clip)).size / 1e6;
  const loops = Math.max(0, Math.ceil(mb / clipMb) - 1);
  await run('ffmpeg', ['-v', 'error', '-y', '-stream_loop', String(loops), '-i', clip, '-c', 'copy', '-movflags', '+faststart', out]);
  return out;
}

/** A FLAC of about 20 MB: four minutes of stereo noise (incompressible), made once into the cache. */
async function benchFlac(): Promise<string> {
  const out = path.join(CACHE, 'bench-20mb.flac');
  if (await exists(out)) return out;
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'anoisesrc=d=240:c=white:r=44100:a=0.5',
    '-ac',
    '2',
    '-sample_fmt',
    's16',
    '-c:a',
    'flac',
    out,
  ]);
  return out;
}

async function stampedCopy(input: string, name: string): Promise<string> {
  const out = path.join(CACHE, name);
  if (await exists(out)) return out;
  const signer = await loadSigner({ chainPath: path.join(PKI, 'chain.pem'), keyPath: path.join(PKI, 'key.pem') });
  await stamp(input, { signer, producer: '001191000000EXAMPLE01P10000', explicitLabel: false, output: out });
  return out;
}

/** Rounds per figure: the measurements are interleaved round by round and each figure is the median. */
const ROUNDS = 3;

/** The run with the median time per iteration (null if any run failed). */
function median(runs: (Measure | null)[]): Measure | null {
  if (runs.some((r) => r === null)) return null;
  const sorted = (runs as Measure[]).slice().sort((a, b) => a.seconds / a.iterations - b.seconds / b.iterations);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function benchFile(tag: string, input: string, iterations: number, unit: 'files/s' | 'MB/s', ceiling: boolean): Promise<void> {
  const stamped = await stampedCopy(input, `stamped-${path.basename(input)}`);
  const rate = unit === 'files/s' ? filesPerSec : mbPerSec;
  // Ceilings: a stamp reads, hashes and writes the file, so its ceiling is a bare copy-and-hash
  // (copy-sha256, written to the same folder as the stamps' outputs); a verify reads and
  // hashes, so its ceiling is a bare SHA-256 of the file.
  const ops = [
    ...(ceiling
      ? [
          ['copy-sha256', input],
          ['sha256', stamped],
        ]
      : []),
    ['ours-stamp', input],
    ['sdk-stamp', input],
    ['ours-verify', stamped],
    ['sdk-verify', stamped],
  ] as const;
  const runs = new Map<string, (Measure | null)[]>(ops.map(([op]) => [op, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [op, file] of ops) runs.get(op)!.push(await measure(op, file, iterations));
  }
  const [copy, sha, oursStamp, sdkStamp, oursVerify, sdkVerify] = [
    'copy-sha256',
    'sha256',
    'ours-stamp',
    'sdk-stamp',
    'ours-verify',
    'sdk-verify',
  ].map((op) => median(runs.get(op) ?? [null]));
  line(`stamp_${tag}`, unit, rate(oursStamp), rate(sdkStamp), ceiling ? mbPerSec(copy ?? null) : null);
  line(`verify_${tag}`, unit, rate(oursVerify), rate(sdkVerify), ceiling ? mbPerSec(sha ?? null) : null);
  if (unit === 'MB/s') {
    const peak = (op: string): number | null => {
      const all = runs.get(op)!;
      return all.some((m) => m === null) ? null : Math.max(...all.map((m) => m!.maxRssMB));
    };
    line(`peak_rss_stamp_${tag}`, 'MB', peak('ours-stamp'), peak('sdk-stamp'));
    line(`peak_rss_verify_${tag}`, 'MB', peak('ours-verify'), peak('sdk-verify'));
  }
}

/** CPU milliseconds per iteration (all threads), to one decimal place; null without a figure. */
function cpuMsPerFile(m: Measure | null): number | null {
  return m?.cpuSeconds === undefined ? null : Math.round((m.cpuSeconds / m.iterations) * 1e4) / 10;
}

/**
 * `propagate_jpeg_1024` beside `verify` alone on the same file, interleaved, median of three; both
 * figures' CPU ms per file go to stderr.
 */
async function benchPropagateJpeg(): Promise<void> {
  const jpeg = await stampedCopy(path.join(GENERATED_DIR, 'images/bench-1024.jpg'), 'stamped-bench-1024.jpg');
  const prop: (Measure | null)[] = [];
  const ver: (Measure | null)[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ver.push(await measure('ours-verify', jpeg, 300));
    prop.push(await measure('ours-propagate', jpeg, 300));
  }
  process.stderr.write(
    `propagate_jpeg_1024: CPU ms per file: propagate ${cpuMsPerFile(median(prop))}, verify ${cpuMsPerFile(median(ver))}\n`,
  );
  line('propagate_jpeg_1024', 'files/s', filesPerSec(median(prop)), null, filesPerSec(median(ver)));
}

/**
 * `propagate_mp4_50mb` and `propagate_wav_20mb` beside `verify` alone on the same file,
 * interleaved, median of three; each line also gives both figures' CPU seconds per file on stderr.
 * `propagate_*_floor` is a SHA-256 pass on the hashing thread beside a copy-and-hash of the file
 * (`hash-and-copy`), beside the same `verify`.
 */
async function benchPropagateLarge(): Promise<void> {
  const files = [
    ['mp4_50mb', await stampedCopy(await bigMp4(50), 'stamped-big-50mb.mp4'), 4],
    ['wav_20mb', await stampedCopy(path.join(GENERATED_DIR, 'audio/bench-20mb.wav'), 'stamped-bench-20mb.wav'), 8],
  ] as const;
  for (const [tag, file, iterations] of files) {
    const prop: (Measure | null)[] = [];
    const ver: (Measure | null)[] = [];
    const floor: (Measure | null)[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ver.push(await measure('ours-verify', file, iterations));
      prop.push(await measure('ours-propagate', file, iterations));
      floor.push(await measure('hash-and-copy', file, iterations));
    }
    process.stderr.write(
      `propagate_${tag}: CPU ms per file: propagate ${cpuMsPerFile(median(prop))}, verify ${cpuMsPerFile(median(ver))}\n`,
    );
    line(`propagate_${tag}`, 'MB/s', mbPerSec(median(prop)), null, mbPerSec(median(ver)));
    // The floor: a propagate hashes the upload (its verify) on one thread while it writes and
    // hashes the new file on the other; that work alone, beside verify, bounds its figure.
    line(`propagate_${tag}_floor`, 'MB/s', mbPerSec(median(floor)), null, mbPerSec(median(ver)));
  }
}

/**
 * `stamp_full_jpeg_1024` (visible label + implicit label + manifest, file to file) beside a bare
 * sharp decode + re-encode of the same file with the same encoder settings, interleaved, median of three;
 * both figures' CPU ms per file go to stderr. `stamp_full_jpeg_1024_floor` is the same decode and
 * encode run in series (`reencode-serial`), beside the same ceiling.
 */
async function benchStampFull(): Promise<void> {
  const file = path.join(GENERATED_DIR, 'images/bench-1024.jpg');
  const ours: (Measure | null)[] = [];
  const bare: (Measure | null)[] = [];
  const serial: (Measure | null)[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await measure('reencode', file, 30));
    ours.push(await measure('ours-stamp-full', file, 30));
    serial.push(await measure('reencode-serial', file, 30));
  }
  const ms = (m: Measure | null) => (m ? (m.seconds / m.iterations) * 1000 : null);
  process.stderr.write(
    `stamp_full_jpeg_1024: CPU ms per file: ours ${cpuMsPerFile(median(ours))}, re-encode ${cpuMsPerFile(median(bare))}\n`,
  );
  line('stamp_full_jpeg_1024', 'ms/file', ms(median(ours)), null, ms(median(bare)));
  // The floor: the same decode, then the same encode (in series, as plate colours chosen from the
  // pixels require), nothing drawn, beside the same ceiling.
  line('stamp_full_jpeg_1024_floor', 'ms/file', ms(median(serial)), null, ms(median(bare)));
}

async function main(): Promise<void> {
  await makeFixtures();
  await mkdir(CACHE, { recursive: true });
  const cliFigures = async (): Promise<void> =>
    benchCli(line, {
      cache: CACHE,
      stampedJpeg: await stampedCopy(path.join(GENERATED_DIR, 'images/bench-1024.jpg'), 'stamped-bench-1024.jpg'),
      smallJpeg: path.join(GENERATED_DIR, 'verify/sdk-es256.jpg'),
      roots: path.join(GENERATED_DIR, 'pki/roots.pem'),
      quick: QUICK,
    });
  if (process.argv.includes('--only') && process.argv.includes('cli')) return cliFigures();
  if (process.argv.includes('--only') && process.argv.includes('propagate')) return benchPropagateLarge();
  if (process.argv.includes('--only') && process.argv.includes('jpeg')) {
    await benchFile('jpeg_1024', path.join(GENERATED_DIR, 'images/bench-1024.jpg'), 500, 'files/s', false);
    await benchPropagateJpeg();
    return benchStampFull();
  }
  if (process.argv.includes('--only') && process.argv.includes('audio')) {
    await benchFile('wav_20mb', path.join(GENERATED_DIR, 'audio/bench-20mb.wav'), 20, 'MB/s', true);
    return benchFile('flac_20mb', await benchFlac(), 20, 'MB/s', true);
  }
  /** The MP4 stamp/verify figures: 50 MB, and without --quick 500 MB and 2 GB. */
  const mp4Figures = async (): Promise<void> => {
    await benchFile('mp4_50mb', await bigMp4(50), 8, 'MB/s', true);
    if (QUICK) return;
    await benchFile('mp4_500mb', await bigMp4(500), 2, 'MB/s', true);
    await benchFile('mp4_2gb', await bigMp4(2000), 1, 'MB/s', true);
  };
  if (process.argv.includes('--only') && process.argv.includes('mp4')) return mp4Figures();
  if (process.argv.includes('--only-server')) {
    const jpeg = await stampedCopy(path.join(GENERATED_DIR, 'images/bench-1024.jpg'), 'stamped-bench-1024.jpg');
    await benchHttpVerify(jpeg, line, QUICK);
    await benchQueue(jpeg, line, QUICK);
    return;
  }
  await benchFile('jpeg_1024', path.join(GENERATED_DIR, 'images/bench-1024.jpg'), 500, 'files/s', false);
  await benchFile('wav_20mb', path.join(GENERATED_DIR, 'audio/bench-20mb.wav'), 20, 'MB/s', true);
  await benchFile('flac_20mb', await benchFlac(), 20, 'MB/s', true);
  await mp4Figures();
  if (await exists('src/service/propagate.ts')) {
    await benchPropagateJpeg();
    await benchPropagateLarge();
  }
  await cliFigures();
  if (!process.argv.includes('--no-server')) {
    const jpeg = await stampedCopy(path.join(GENERATED_DIR, 'images/bench-1024.jpg'), 'stamped-bench-1024.jpg');
    await benchHttpVerify(jpeg, line, QUICK);
    await benchQueue(jpeg, line, QUICK);
  }
  await benchHostile(line);
  const tlog = await benchTlogAppend();
  line('tlog_append', 'entries/s', tlog.ours, null, tlog.ceiling);
  const repoSize = QUICK ? 100_000 : 1_000_000;
  const repo = await benchRepoLookup(repoSize);
  const tag = QUICK ? '100k' : '1m';
  line(`repo_lookup_watermark_${tag}`, 'ms', repo.byBindingMs, null, repo.ceilingMs);
  line(`repo_lookup_phash_${tag}`, 'ms', repo.byPhashMs, null, repo.ceilingMs);
  line(`repo_build_${tag}`, 'records/s', repo.buildPerSec, null);
  if (!QUICK) {
    await benchStampFull();
    const vid = await benchVideoOverlay();
    line('video_overlay_720p_30s', 'x realtime', vid.realtimeMultiple, null);
    const aud = await benchAudioCue();
    line('audio_cue_mp3_3min', 's', aud.elapsedMs / 1000, null);
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
