/**
 * The labelled JPEG's header read without sharp (`labels/explicit/jpeg-header.ts`, issue #20):
 * wherever it answers, it answers what sharp's `metadata()` says (size, components, depth, space,
 * progressive coding, the 4:4:4 question, EXIF orientation); for anything unusual it answers
 * nothing, and the overlay asks sharp. The labelled output is the same either way.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderImageLabel } from '../../src/labels/explicit/image-overlay.ts';
import { jpegHeaderMeta } from '../../src/labels/explicit/jpeg-header.ts';
import { gen } from '../helpers.ts';

const base = () => sharp({ create: { width: 160, height: 96, channels: 3, background: '#3a6ea5' } });

/** sharp's answer to the fields the overlay reads. */
async function sharpSays(b: Uint8Array) {
  const m = await sharp(b).metadata();
  return {
    format: m.format,
    width: m.width,
    height: m.height,
    channels: m.channels,
    depth: m.depth,
    space: m.space,
    hasAlpha: m.hasAlpha,
    isProgressive: m.isProgressive,
    is444: m.chromaSubsampling === '4:4:4',
    orientation: m.orientation,
  };
}

function oursSays(b: Uint8Array) {
  const m = jpegHeaderMeta(b);
  if (!m) return undefined;
  const { chromaSubsampling, isPalette: _, ...rest } = m;
  return { ...rest, is444: chromaSubsampling === '4:4:4', orientation: m.orientation };
}

describe('jpegHeaderMeta agrees with sharp', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['baseline 4:2:0', () => base().jpeg({ quality: 80 }).toBuffer()],
    ['baseline 4:4:4', () => base().jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer()],
    ['progressive', () => base().jpeg({ progressive: true }).toBuffer()],
    ['optimised Huffman coding, odd size', () => base().resize(97, 61).jpeg({ optimiseCoding: true }).toBuffer()],
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((o): [string, () => Promise<Buffer>] => [
      `EXIF orientation ${o}`,
      () => base().jpeg().withMetadata({ orientation: o }).toBuffer(),
    ]),
  ];
  it.each(cases)('%s', async (_name, make) => {
    const b = await make();
    const ours = oursSays(b);
    expect(ours).toBeDefined();
    expect(ours).toEqual(await sharpSays(b));
  });

  it.each(['bench-1024.jpg', 'seed.jpg', 'seed-noapp0.jpg', 'with-exif.jpg', 'doubao-like.jpg', 'picwish-like.jpg'])(
    'fixture %s',
    async (name) => {
      const b = await readFile(gen('images', name));
      const ours = oursSays(b);
      if (ours) expect(ours).toEqual(await sharpSays(b));
      else expect((await sharpSays(b)).channels).not.toBe(3); // only an unusual file is left to sharp
    },
  );
});

describe('jpegHeaderMeta leaves the unusual to sharp', () => {
  it.each([
    ['greyscale', () => base().toColourspace('b-w').jpeg().toBuffer()],
    ['CMYK', () => base().toColourspace('cmyk').jpeg().toBuffer()],
    ['not a JPEG', () => base().png().toBuffer()],
  ] as const)('%s', async (_name, make) => {
    expect(jpegHeaderMeta(await make())).toBeUndefined();
  });

  it('a header cut short, a segment running past the end, no scan', async () => {
    const b = await base().jpeg().toBuffer();
    const sos = b.indexOf(Buffer.from([0xff, 0xda]));
    expect(jpegHeaderMeta(b.subarray(0, 20))).toBeUndefined();
    expect(jpegHeaderMeta(b.subarray(0, sos))).toBeUndefined();
    const long = Buffer.from(b);
    long[4] = 0xff; // the first segment's length now runs past the end
    expect(jpegHeaderMeta(long)).toBeUndefined();
  });

  it('a sequential JPEG whose first scan does not carry every component (several scans)', async () => {
    const b = Buffer.from(await base().jpeg().toBuffer());
    expect(jpegHeaderMeta(b)?.isProgressive).toBe(false);
    const sos = b.indexOf(Buffer.from([0xff, 0xda]));
    b[sos + 4] = 1; // Ns: one component in the first scan
    expect(jpegHeaderMeta(b)).toBeUndefined();
  });

  it('two EXIF segments, or an orientation that is not one SHORT from 1 to 8', async () => {
    const b = await base().jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const at = b.indexOf(Buffer.from('Exif\0\0', 'latin1')) - 4;
    const len = b.readUInt16BE(at + 2);
    const exif = b.subarray(at, at + 2 + len);
    expect(jpegHeaderMeta(Buffer.concat([b.subarray(0, at), exif, exif, b.subarray(at + 2 + len)]))).toBeUndefined();
    // Find the orientation entry (tag 0x0112) and set its value to 9.
    const tiff = at + 10;
    const little = b[tiff] === 0x49;
    const tag = little ? Buffer.from([0x12, 0x01, 0x03, 0x00]) : Buffer.from([0x01, 0x12, 0x00, 0x03]);
    const entry = b.indexOf(tag, tiff);
    expect(entry).toBeGreaterThan(tiff);
    const bad = Buffer.from(b);
    if (little) bad.writeUInt16LE(9, entry + 8);
    else bad.writeUInt16BE(9, entry + 8);
    expect(jpegHeaderMeta(bad)).toBeUndefined();
    expect(jpegHeaderMeta(b)?.orientation).toBe(6);
  });
});

describe('the overlay reads the header itself', () => {
  it('an EXIF-rotated JPEG is labelled upright, as from sharp’s description', async () => {
    const b = await base().jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const r = await renderImageLabel(b);
    // Displayed 96 × 160: the plate lies in the displayed image's bottom-right corner.
    expect(r.info.box.x + r.info.box.w).toBeLessThanOrEqual(96);
    expect(r.info.box.y + r.info.box.h).toBeLessThanOrEqual(160);
    expect(r.info.box.y).toBeGreaterThan(80);
    const m = await sharp(r.bytes).metadata();
    expect([m.width, m.height, m.orientation]).toEqual([160, 96, 6]);
  });
});
