/**
 * The audio watermark (issue #17): embed → detect round trips in WAV, FLAC and MP3, survival of an
 * MP3 re-encode, refusals, `stamp --watermark` (soft binding read back by us and by the reference
 * SDK, Trusted), detection by `verify` on a stripped, re-encoded copy and recovery of its manifest.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner, type LocalSigner } from '../../src/crypto/local-signer.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { probe } from '../../src/media/ffmpeg.ts';
import { recordFile } from '../../src/repository/add-file.ts';
import { watermarkDetector } from '../../src/repository/detector.ts';
import { recover } from '../../src/repository/recover.ts';
import { renderReportBody } from '../../src/report/html.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { embedAudioWatermark } from '../../src/watermark/audio.ts';
import { watermarkLine } from '../../src/watermark/describe.ts';
import { detectWatermark } from '../../src/watermark/detect.ts';
import { readSoftBinding, SOFT_BINDING_LABEL, WATERMARK_ALGS } from '../../src/watermark/soft-binding.ts';
import { sdkRead } from '../sdk.ts';
import { gen, repo } from '../helpers.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
const run = promisify(execFile);
let dir: string;
let signer: LocalSigner;
let anchorsPem: string;

async function ffmpeg(...args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);
}

/** A 14 s music-like programme: a chord with vibrato and tremolo, a bass line and pink noise. */
async function programme(file: string, seconds = 14, rate = 44100): Promise<void> {
  await ffmpeg(
    '-f',
    'lavfi',
    '-i',
    `aevalsrc=0.12*sin(2*PI*(330+3*sin(2*PI*5*t))*t)*(0.6+0.4*sin(2*PI*0.7*t))+0.08*sin(2*PI*1245*t)*(0.5+0.5*sin(2*PI*1.3*t))+0.15*sin(2*PI*110*t)|0.1*sin(2*PI*(495+4*sin(2*PI*4*t))*t)+0.07*sin(2*PI*2210*t)*(0.5+0.5*cos(2*PI*0.9*t))+0.15*sin(2*PI*110*t):s=${rate}:d=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `anoisesrc=c=pink:a=0.04:r=${rate}:d=${seconds}:seed=7`,
    '-filter_complex',
    '[1:a]aformat=channel_layouts=stereo[n];[0:a][n]amix=inputs=2:normalize=0',
    '-c:a',
    'pcm_s16le',
    file,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-wm-audio-'));
  signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  anchorsPem = await readFile(gen('pki', 'es256', 'root.pem'), 'utf8');
  await programme(path.join(dir, 'prog.wav'));
  await ffmpeg('-i', path.join(dir, 'prog.wav'), '-c:a', 'flac', path.join(dir, 'prog.flac'));
  await ffmpeg('-i', path.join(dir, 'prog.wav'), '-c:a', 'libmp3lame', '-b:a', '192k', path.join(dir, 'prog.mp3'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('audio watermark round trips', () => {
  it.each([
    ['wav', 'pcm_s16le', 'aaaa0000bbbb1111'],
    ['flac', 'flac', '0123456789abcdef'],
    ['mp3', 'mp3', 'fedcba9876543210'],
  ])(
    '%s: embed keeps the format and detect finds the identifier; the unmarked file has none',
    async (ext, codec, id) => {
      const src = path.join(dir, `prog.${ext}`);
      const input = new Uint8Array(await readFile(src));
      const before = Buffer.from(input);
      const r = await embedAudioWatermark(input, { id });
      expect(Buffer.from(input).equals(before)).toBe(true); // the input is never modified
      expect(r).toMatchObject({ id, format: ext, sampleRate: 44100, channels: 2, periods: 1 });
      expect(r.snr).toBeGreaterThanOrEqual(35);
      const out = path.join(dir, `marked.${ext}`);
      await writeFile(out, r.bytes);
      const p = await probe(out);
      expect(p.streams[0]).toMatchObject({ codec_name: codec, sample_rate: '44100', channels: 2 });
      const d = await detectWatermark(out);
      expect(d).toMatchObject({ found: true, id, medium: 'audio', alg: WATERMARK_ALGS.audio, crcValid: true });
      expect(d.log10PValue).toBeLessThan(-6);
      const none = await detectWatermark(src);
      expect(none.found).toBe(false);
      expect(none.id).toBeUndefined();
    },
    120_000,
  );

  it('survives an MP3 128 kbps re-encode and a resampling to 16 kHz', async () => {
    const r = await embedAudioWatermark(new Uint8Array(await readFile(path.join(dir, 'prog.wav'))), { id: '5555aaaa5555aaaa' });
    const marked = path.join(dir, 'robust.wav');
    await writeFile(marked, r.bytes);
    await ffmpeg('-i', marked, '-c:a', 'libmp3lame', '-b:a', '128k', path.join(dir, 'robust.mp3'));
    await ffmpeg('-i', marked, '-ar', '16000', '-ac', '1', path.join(dir, 'robust-16k.wav'));
    expect(await detectWatermark(path.join(dir, 'robust.mp3'))).toMatchObject({ found: true, id: '5555aaaa5555aaaa' });
    expect(await detectWatermark(path.join(dir, 'robust-16k.wav'))).toMatchObject({ found: true, id: '5555aaaa5555aaaa' });
  }, 120_000);

  it('refuses audio shorter than one period (verify reports it too short to carry a mark), too low a sample rate and a bad SNR, with typed errors', async () => {
    await programme(path.join(dir, 'short.wav'), 6);
    await expect(embedAudioWatermark(new Uint8Array(await readFile(path.join(dir, 'short.wav'))))).rejects.toThrow(/too short/);
    // verify/inspect on it: nothing found, and the report says why (too short), in the data and the text.
    const report = await verify(path.join(dir, 'short.wav'), { trust: { anchorsPem } });
    expect(report.watermark).toMatchObject({ found: false, medium: 'audio', tooShort: true, durationMs: 6000 });
    expect(watermarkLine(report.watermark!)).toMatch(/audio \(6\.0 s\) is shorter than one watermark period \(11\.52 s\)/);
    expect(watermarkLine(report.watermark!, 'zh')).toMatch(/太短/);
    expect(renderReportBody(report, { lang: 'en' })).toMatch(/the audio \(6\.0 s\) is shorter than one watermark period/);
    await ffmpeg('-i', path.join(dir, 'prog.wav'), '-ar', '8000', path.join(dir, 'low.wav'));
    await expect(embedAudioWatermark(new Uint8Array(await readFile(path.join(dir, 'low.wav'))))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(embedAudioWatermark(new Uint8Array(await readFile(path.join(dir, 'prog.wav'))), { snr: 5 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  }, 60_000);
});

describe('stamp --watermark on audio', () => {
  it('WAV: soft binding Trusted in the SDK and ours; verify finds the mark in a stripped MP3 copy', async () => {
    const out = path.join(dir, 'stamped.wav');
    const r = await stamp(path.join(dir, 'prog.wav'), {
      signer,
      producer: PRODUCER,
      output: out,
      explicitLabel: false,
      watermark: { id: '0a1b2c3d4e5f6071' },
    });
    expect(r.watermark).toMatchObject({ medium: 'audio', alg: WATERMARK_ALGS.audio, id: '0a1b2c3d4e5f6071' });

    const sdk = await sdkRead(out, { anchorsPem });
    expect(sdk?.validation_state).toBe('Trusted');
    const sdkAssertions = sdk!.manifests[sdk!.active_manifest!]!.assertions as { label: string; data: Record<string, unknown> }[];
    const sdkSoft = sdkAssertions.find((a) => a.label === SOFT_BINDING_LABEL)!;
    expect(sdkSoft.data.alg).toBe(WATERMARK_ALGS.audio);
    const block = (sdkSoft.data.blocks as { value: string; scope: { timespan?: { start: number; end: number } } }[])[0]!;
    expect(block.value).toBe('0a1b2c3d4e5f6071');
    expect(block.scope.timespan?.start).toBe(0);
    expect(block.scope.timespan?.end).toBeGreaterThan(13_900);

    const ours = await verify(out, { trust: { anchorsPem } });
    expect(ours.validation_state).toBe('Trusted');
    const soft = ours.manifests[ours.active_manifest!]!.assertions.find((a) => a.label === SOFT_BINDING_LABEL)!;
    expect(readSoftBinding(soft.data)).toMatchObject({ alg: WATERMARK_ALGS.audio, ids: ['0a1b2c3d4e5f6071'] });

    // A platform drops the metadata and re-encodes to MP3.
    const stripped = path.join(dir, 'stripped.mp3');
    await ffmpeg('-i', out, '-map_metadata', '-1', '-c:a', 'libmp3lame', '-b:a', '128k', stripped);
    const report = await verify(stripped, { trust: { anchorsPem } });
    expect(report.active_manifest).toBeNull();
    expect(report.watermark).toMatchObject({ found: true, id: '0a1b2c3d4e5f6071', medium: 'audio', alg: WATERMARK_ALGS.audio });

    // Issue #18: the manifest repository finds the stamped file's manifest from the stripped copy.
    const repo = await ManifestRepository.open(path.join(dir, 'repo'), { origin: 'repo.example/wm-audio' });
    try {
      await recordFile(repo, out);
      const found = await recover(new Uint8Array(await readFile(stripped)), { repo, detect: (await watermarkDetector())! });
      expect(found.via).toBe('watermark');
      expect(found.record?.manifestId).toBe(r.manifestLabel);
    } finally {
      await repo.close();
    }
  }, 180_000);

  it('CLI: watermark embed/detect on FLAC; verify on the marked file (no manifest) exits 3 and prints the identifier', async () => {
    const cli = repo('cli/aigc.js');
    const out = path.join(dir, 'cli.flac');
    const e = await run(process.execPath, [
      cli,
      'watermark',
      'embed',
      path.join(dir, 'prog.flac'),
      '-o',
      out,
      '--id',
      '00aa00bb00cc00dd',
      '--json',
    ]);
    expect(JSON.parse(e.stdout)).toMatchObject({ id: '00aa00bb00cc00dd', format: 'flac', periods: 1 });
    const det = await run(process.execPath, [cli, 'watermark', 'detect', out, '--json']);
    expect(JSON.parse(det.stdout)).toMatchObject({ found: true, id: '00aa00bb00cc00dd', medium: 'audio' });
    const v = await run(process.execPath, [cli, 'verify', out]).catch((err: { code: number; stdout: string }) => err);
    expect((v as { code?: number }).code).toBe(3);
    expect((v as { stdout: string }).stdout).toMatch(/watermark: found id=00aa00bb00cc00dd/);
  }, 120_000);
});
