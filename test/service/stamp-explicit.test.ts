/**
 * `stamp` with the explicit label (the default): the visible/audible label is rendered,
 * the manifest records it (`c2pa.edited` + the GB 45438 assertion's `explicit`), and the
 * result is Trusted in both tools (issue #5). Also the CLI's label options and refusals.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner, type LocalSigner } from '../../src/crypto/local-signer.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { GB45438_ASSERTION_LABEL } from '../../src/manifest/index.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { ES256_PRODUCER_FLAGS, gen, repo } from '../helpers.ts';

const run = promisify(execFile);
const PRODUCER = '001191000000EXAMPLE01P10000';
let dir: string;
let signer: LocalSigner;
let anchorsPem: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-stamp-explicit-'));
  signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  anchorsPem = await readFile(gen('pki', 'es256', 'root.pem'), 'utf8');
  await sharp(gen('images', 'seed.jpg')).webp({ quality: 90 }).toFile(path.join(dir, 'in.webp'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CASES: [string, () => string, string][] = [
  ['JPEG', () => gen('images', 'seed.jpg'), 'image-overlay'],
  ['PNG', () => gen('images', 'seed.png'), 'image-overlay'],
  ['WebP', () => path.join(dir, 'in.webp'), 'image-overlay'],
  ['MP3', () => gen('audio', 'seed.mp3'), 'audio-cue'],
  ['MP4', () => gen('video', 'seed.mp4'), 'video-overlay'],
];

describe('stamp with the explicit label', () => {
  it.each(CASES)('%s: labelled, recorded in the manifest, Trusted in both tools', async (name, input, kind) => {
    const out = path.join(dir, `out-${path.basename(input())}`);
    const before = await readFile(input());
    const r = await stamp(input(), { signer, producer: PRODUCER, output: out });
    expect(r.explicit?.kind).toBe(kind);
    expect(await readFile(input())).toEqual(before); // the input is never modified

    const sdk = await sdkRead(out, { anchorsPem });
    expect(sdk?.validation_state, name).toBe('Trusted');
    expect(sdk?.validation_results?.activeManifest?.failure ?? []).toEqual([]);
    const ours = await verify(out, { trust: { anchorsPem } });
    expect(ours.validation_state).toBe('Trusted');
    const m = ours.manifests[ours.active_manifest!]!;
    expect(m.actions.map((a) => a.action)).toEqual(['c2pa.created', 'c2pa.edited']);
    const gb = m.assertions.find((a) => a.label === GB45438_ASSERTION_LABEL)?.data as
      | { explicit?: { kind: string; relativeHeight?: number } }
      | undefined;
    expect(gb?.explicit?.kind ?? (m.gb45438 as { explicit?: { kind: string } } | undefined)?.explicit?.kind).toBe(kind);
    if (kind !== 'audio-cue')
      expect((gb?.explicit ?? (m.gb45438 as { explicit?: { relativeHeight?: number } }).explicit)?.relativeHeight).toBeGreaterThanOrEqual(
        0.05,
      );
    if (name === 'MP4') {
      const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags=AIGC', '-of', 'json', out]);
      expect(JSON.parse(stdout).format.tags.AIGC).toBe(JSON.stringify(ours.labels.gb45438!.fields).replace(/\s/g, ''));
    }
  });
});

describe('aigc stamp label options', () => {
  const cli = (args: string[]) =>
    run(process.execPath, [repo('cli/aigc.js'), 'stamp', ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const base = (out: string) => [gen('images', 'seed.jpg'), '-o', out, ...ES256_PRODUCER_FLAGS];

  it('applies --label-text/--label-position/--label-scale and records them', async () => {
    const out = path.join(dir, 'cli.jpg');
    const r = await cli([...base(out), '--label-text', '人工智能合成', '--label-position', 'top-left', '--label-scale', '0.08', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.explicit).toMatchObject({ kind: 'image-overlay', text: '人工智能合成', position: 'top-left' });
    expect(j.explicit.relativeHeight).toBeGreaterThanOrEqual(0.075);
  });

  it('--no-explicit leaves the pixels alone', async () => {
    const out = path.join(dir, 'noexp.jpg');
    expect((await cli([...base(out), '--no-explicit', '--json'])).code).toBe(0);
    const a = await sharp(gen('images', 'seed.jpg')).raw().toBuffer();
    const b = await sharp(out).raw().toBuffer();
    expect(b.equals(a)).toBe(true);
  });

  it('refuses text without both GB 45438 elements with a usage error and writes nothing', async () => {
    const out = path.join(dir, 'bad.jpg');
    const r = await cli([...base(out), '--label-text', 'Generated']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/AI|人工智能/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    await expect(access(out)).rejects.toThrow();
  });

  it('refuses to overwrite the input without --in-place', async () => {
    const copy = path.join(dir, 'same.jpg');
    await run('cp', [gen('images', 'seed.jpg'), copy]);
    const size = (await stat(copy)).size;
    const r = await cli([copy, '-o', copy, ...ES256_PRODUCER_FLAGS]);
    expect(r.code).toBe(64);
    expect((await stat(copy)).size).toBe(size);
  });
});
