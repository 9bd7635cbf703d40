/**
 * `stamp --watermark`: the mark is embedded before signing, declared by a c2pa.watermarked
 * action and a c2pa.soft-binding assertion that we and the reference SDK read (Trusted), and
 * `verify` finds the identifier again in a copy stripped of its manifest.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner, type LocalSigner } from '../../src/crypto/local-signer.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { readSoftBinding, SOFT_BINDING_LABEL, WATERMARK_ALGS } from '../../src/watermark/soft-binding.ts';
import { detectWatermark } from '../../src/watermark/detect.ts';
import { recordOfFile } from '../../src/tlog/record.ts';
import { renderHtmlReport } from '../../src/report/html.ts';
import { sdkRead } from '../sdk.ts';
import { ES256_PRODUCER_FLAGS, gen, repo } from '../helpers.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
const run = promisify(execFile);
let dir: string;
let signer: LocalSigner;
let anchorsPem: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-wm-stamp-'));
  signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  anchorsPem = await readFile(gen('pki', 'es256', 'root.pem'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stamp --watermark', () => {
  it.each(['jpg', 'png', 'webp'])('%s: soft binding Trusted in the SDK and ours; the mark survives stripping', async (ext) => {
    const src = path.join(dir, `in.${ext}`);
    const base = sharp(repo('fixtures/external/photos/chelsea.png'));
    await (ext === 'jpg' ? base.jpeg({ quality: 90 }) : ext === 'webp' ? base.webp({ quality: 90 }) : base.png()).toFile(src);
    const out = path.join(dir, `out.${ext}`);
    const id = ext === 'jpg' ? 'a1b2c3d4e5f60718' : undefined;
    const r = await stamp(src, { signer, producer: PRODUCER, output: out, watermark: id ? { id } : true });
    expect(r.watermark?.alg).toBe(WATERMARK_ALGS.image);
    if (id) expect(r.watermark?.id).toBe(id);
    const wid = r.watermark!.id;

    const sdk = await sdkRead(out, { anchorsPem });
    expect(sdk?.validation_state).toBe('Trusted');
    const sdkAssertions = sdk!.manifests[sdk!.active_manifest!]!.assertions as { label: string; data: Record<string, unknown> }[];
    const sdkSoft = sdkAssertions.find((a) => a.label === SOFT_BINDING_LABEL)!;
    expect(sdkSoft.data.alg).toBe(WATERMARK_ALGS.image);
    expect((sdkSoft.data.blocks as { value: string }[])[0]!.value).toBe(wid);
    const sdkActions = sdkAssertions.find((a) => a.label.startsWith('c2pa.actions'))!.data.actions as { action: string }[];
    expect(sdkActions.map((a) => a.action)).toContain('c2pa.watermarked');

    const ours = await verify(out, { trust: { anchorsPem } });
    expect(ours.validation_state).toBe('Trusted');
    expect(ours.watermark).toBeUndefined(); // a manifest is present: no detection needed
    const m = ours.manifests[ours.active_manifest!]!;
    const soft = m.assertions.find((a) => a.label === SOFT_BINDING_LABEL)!;
    expect(readSoftBinding(soft.data).ids).toEqual([wid]);
    const gb = m.assertions.find((a) => a.label === 'cn.aigc-provenance.gb45438')!.data as { watermark?: { id: string } };
    expect(gb.watermark?.id).toBe(wid);
    // The transparency log (issue #18) records the soft binding's algorithm and identifier.
    expect(await recordOfFile(out)).toMatchObject({ watermarkAlg: WATERMARK_ALGS.image, watermarkId: wid });

    // The signed file itself carries the mark, then a platform strips and re-encodes it.
    expect((await detectWatermark(out)).id).toBe(wid);
    const stripped = path.join(dir, `stripped-${ext}.jpg`);
    await sharp(out).resize({ width: 400 }).jpeg({ quality: 80 }).toFile(stripped);
    const report = await verify(stripped, { trust: { anchorsPem } });
    expect(report.active_manifest).toBeNull();
    expect(report.watermark).toMatchObject({ found: true, id: wid, alg: WATERMARK_ALGS.image });
    expect(renderHtmlReport(report, { lang: 'en' })).toContain(`Found: identifier ${wid}`);
  });

  it('CLI: stamp --watermark-id, watermark detect, and verify on a stripped copy (exit 3, id printed)', async () => {
    const cli = repo('cli/aigc.js');
    const out = path.join(dir, 'cli.png');
    await run(process.execPath, [
      cli,
      'stamp',
      repo('fixtures/external/photos/coffee.png'),
      '-o',
      out,
      ...ES256_PRODUCER_FLAGS,
      '--no-explicit',
      '--watermark-id',
      '00aa00bb00cc00dd',
    ]);
    const det = await run(process.execPath, [cli, 'watermark', 'detect', out, '--json']);
    expect(JSON.parse(det.stdout)).toMatchObject({ found: true, id: '00aa00bb00cc00dd' });
    const stripped = path.join(dir, 'cli-stripped.jpg');
    await writeFile(stripped, await sharp(out).jpeg({ quality: 75 }).toBuffer());
    const v = await run(process.execPath, [cli, 'verify', stripped]).catch((e: { code: number; stdout: string }) => e);
    expect((v as { code?: number }).code).toBe(3);
    expect((v as { stdout: string }).stdout).toMatch(/watermark: found id=00aa00bb00cc00dd/);
    const none = await run(process.execPath, [cli, 'watermark', 'detect', repo('fixtures/external/photos/coffee.png')]).catch(
      (e: { code: number }) => e,
    );
    expect((none as { code?: number }).code).toBe(2);
  }, 60_000);
});
