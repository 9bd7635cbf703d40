/**
 * Clean outputs (issue #10 item 11): after the image overlay, and after stamping with it, the
 * output carries the input's metadata, correctly formed for its container, and nothing the
 * input did not have. exiftool and ffmpeg read every output without a warning.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exiftool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { fixWebpExifHeader } from '../../src/labels/explicit/metadata-keep.ts';
import { renderImageLabel } from '../../src/labels/explicit/image-overlay.ts';
import { stamp } from '../../src/service/stamp.ts';
import { gen } from '../helpers.ts';

const run = promisify(execFile);
let dir = '';
const inputs: Record<string, Uint8Array> = {};

const blank = () => sharp({ create: { width: 320, height: 240, channels: 3, background: '#336699' } });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-clean-'));
  const exif = { IFD0: { Copyright: 'clean-outputs test', Artist: 'someone' } };
  inputs['plain.jpg'] = new Uint8Array(await readFile(gen('images', 'seed.jpg')));
  inputs['exif.jpg'] = new Uint8Array(await readFile(gen('images', 'with-exif.jpg')));
  inputs['plain.png'] = new Uint8Array(await readFile(gen('images', 'seed.png')));
  inputs['exif.png'] = new Uint8Array(await blank().withExif(exif).png().toBuffer());
  inputs['plain.webp'] = new Uint8Array(await blank().webp().toBuffer());
  // sharp itself writes the malformed `Exif\0\0` WebP chunk: the input is repaired first, so
  // that "no warning on the output" is about what the overlay does.
  inputs['exif.webp'] = fixWebpExifHeader(new Uint8Array(await blank().withExif(exif).webp().toBuffer()));
});
afterAll(async () => {
  await exiftool.end();
  await rm(dir, { recursive: true, force: true });
});

async function warnings(file: string): Promise<string[]> {
  const tags = (await exiftool.read(file, ['-G1'])) as unknown as Record<string, unknown>;
  const ex = Object.entries(tags)
    .filter(([k]) => /(^|:)Warning$/.test(k))
    .map(([, v]) => String(v));
  const { stderr } = await run('ffmpeg', ['-v', 'warning', '-nostdin', '-i', file, '-f', 'null', '-'], { maxBuffer: 4 << 20 });
  // ffmpeg's WebP decoder names the metadata chunks it does not decode (XMP, C2PA): a note
  // about itself, not about the file (both chunks are defined by the WebP container spec).
  const ff = stderr.split('\n').filter((l) => l.trim() && !/skipping unsupported chunk: (XMP |C2PA)/.test(l));
  return [...ex, ...ff.map((l) => `ffmpeg: ${l}`)];
}

async function hasExif(bytes: Uint8Array): Promise<boolean> {
  return (await sharp(bytes).metadata()).exif !== undefined;
}

describe('clean outputs of the image overlay', () => {
  it('fixWebpExifHeader drops the APP1 prefix and fixes the sizes, and leaves anything else alone', async () => {
    const bad = new Uint8Array(
      await blank()
        .withExif({ IFD0: { Copyright: 'x' } })
        .webp()
        .toBuffer(),
    );
    const fixed = fixWebpExifHeader(bad);
    expect(fixed.length).toBeLessThan(bad.length);
    const view = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
    expect(view.getUint32(4, true)).toBe(fixed.length - 8);
    const text = Buffer.from(fixed).toString('latin1');
    const at = text.indexOf('EXIF');
    expect(text.slice(at + 8, at + 12)).toMatch(/^(II\*\0|MM\0\*)$/);
    expect(fixWebpExifHeader(fixed)).toBe(fixed);
    const jpeg = inputs['plain.jpg']!;
    expect(fixWebpExifHeader(jpeg)).toBe(jpeg);
  });

  it.each(['plain.jpg', 'exif.jpg', 'plain.png', 'exif.png', 'plain.webp', 'exif.webp'])(
    '%s: no warning, EXIF only where the input had it',
    async (name) => {
      const input = inputs[name]!;
      const { bytes } = await renderImageLabel(input, { text: 'AI生成' });
      const out = path.join(dir, `out-${name}`);
      await writeFile(out, bytes);
      expect(await warnings(out)).toEqual([]);
      expect(await hasExif(bytes)).toBe(await hasExif(input));
    },
  );

  it('a stamped PNG and WebP (overlay, label, manifest) read without warnings', async () => {
    const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    for (const name of ['plain.png', 'plain.webp', 'plain.jpg']) {
      const out = path.join(dir, `stamped-${name}`);
      await stamp(inputs[name]!, { signer, producer: '001191000000EXAMPLE01P10000', output: out });
      expect(await warnings(out), name).toEqual([]);
    }
  });
});
