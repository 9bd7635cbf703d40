/**
 * The labelled image from one decode (issue #20): the label blended into decoded pixels as a
 * compositor does, the plate colours chosen from those pixels, and the input's metadata copied
 * into the re-encoded container byte for byte (JPEG EXIF / XMP / Extended XMP / ICC / IPTC and
 * JFIF density, PNG density); images the single decode does not take keep the libvips path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exiftool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MalformedInputError, InvalidArgumentError } from '../../src/errors.ts';
import { renderImageLabel } from '../../src/labels/explicit/image-overlay.ts';
import { copyJpegMetadata, copyPngDensity } from '../../src/labels/explicit/metadata-splice.ts';
import { compositeOver, regionLuminance, type RawImage } from '../../src/labels/explicit/raw-composite.ts';
import { relativeLuminance } from '../../src/labels/explicit/contrast.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-decoded-'));
});
afterAll(async () => {
  await exiftool.end();
  await rm(dir, { recursive: true, force: true });
});

const u16 = (n: number) => [n >> 8, n & 0xff];
const latin1 = (s: string) => [...s].map((c) => c.charCodeAt(0));
/** One JPEG marker segment. */
const segment = (marker: number, payload: number[]) => [0xff, marker, ...u16(payload.length + 2), ...payload];

/** Segments (marker, payload start bytes) of a JPEG up to SOS. */
function markers(b: Uint8Array): { marker: number; head: string }[] {
  const out: { marker: number; head: string }[] = [];
  for (let p = 2; p + 4 <= b.length && b[p + 1] !== 0xda; ) {
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    out.push({ marker: b[p + 1]!, head: String.fromCharCode(...b.subarray(p + 4, p + 4 + Math.min(14, len - 2))) });
    p += 2 + len;
  }
  return out;
}

/** A PNG without the chunks of one type. */
function withoutChunk(png: Uint8Array, type: string): Uint8Array {
  const keep: number[] = [...png.subarray(0, 8)];
  for (let at = 8; at + 12 <= png.length; ) {
    const end = at + 12 + (((png[at]! << 24) | (png[at + 1]! << 16) | (png[at + 2]! << 8) | png[at + 3]!) >>> 0);
    if (String.fromCharCode(...png.subarray(at + 4, at + 8)) !== type) keep.push(...png.subarray(at, end));
    at = end;
  }
  return new Uint8Array(keep);
}

describe('compositeOver / regionLuminance', () => {
  it('blends straight alpha as "over" does, on RGB and RGBA pixels, clipped to the image', () => {
    const rgb: RawImage = { data: new Uint8Array(4 * 4 * 3).fill(100), width: 4, height: 4, channels: 3 };
    const label = new Uint8Array([255, 0, 0, 255, 0, 0, 0, 0, 200, 200, 200, 128, 0, 0, 255, 64]); // 2×2
    compositeOver(rgb, label, { x: 3, y: 3, w: 2, h: 2 }); // only the top-left label pixel lands (3,3)
    expect([...rgb.data.subarray((3 * 4 + 3) * 3)]).toEqual([255, 0, 0]);
    expect([...rgb.data.subarray(0, 3)]).toEqual([100, 100, 100]);
    compositeOver(rgb, label, { x: 0, y: 0, w: 2, h: 2 });
    expect([...rgb.data.subarray(3, 6)]).toEqual([100, 100, 100]); // α = 0 leaves the pixel
    expect([...rgb.data.subarray(12, 15)]).toEqual([150, 150, 150]); // 200·128/255 + 100·127/255
    expect([...rgb.data.subarray(15, 18)]).toEqual([75, 75, 139]); // 0/255 at α 64 over 100
    const rgba: RawImage = { data: new Uint8Array([50, 50, 50, 0, 50, 50, 50, 255]), width: 2, height: 1, channels: 4 };
    compositeOver(rgba, new Uint8Array([200, 100, 0, 128, 200, 100, 0, 128]), { x: 0, y: 0, w: 2, h: 1 });
    expect([...rgba.data.subarray(0, 4)]).toEqual([200, 100, 0, 128]); // over transparency: the label itself
    expect([...rgba.data.subarray(4, 8)]).toEqual([125, 75, 25, 255]);
  });

  it('measures the mean luminance of the box only, and refuses buffers that do not match', () => {
    const img: RawImage = { data: new Uint8Array(8 * 8 * 3), width: 8, height: 8, channels: 3 };
    for (let y = 4; y < 8; y++) img.data.fill(255, (y * 8 + 4) * 3, (y * 8 + 8) * 3); // white bottom-right quarter
    expect(regionLuminance(img, { x: 4, y: 4, w: 4, h: 4 })).toBeCloseTo(1, 6);
    expect(regionLuminance(img, { x: 0, y: 0, w: 4, h: 4 })).toBe(0);
    expect(regionLuminance(img, { x: 2, y: 4, w: 4, h: 4 })).toBeCloseTo(0.5, 6);
    expect(regionLuminance(img, { x: 9, y: 9, w: 2, h: 2 })).toBe(0.5);
    expect(() => regionLuminance({ ...img, width: 9 }, { x: 0, y: 0, w: 1, h: 1 })).toThrow(InvalidArgumentError);
    expect(() => compositeOver(img, new Uint8Array(3), { x: 0, y: 0, w: 1, h: 1 })).toThrow(InvalidArgumentError);
  });
});

describe('copyJpegMetadata / copyPngDensity', () => {
  it("copies JFIF, EXIF, XMP, Extended XMP, ICC and IPTC in order, and drops APP11, APP14 and the output's JFIF", async () => {
    const base = new Uint8Array(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
        .jpeg()
        .toBuffer(),
    );
    const rest = base.subarray(2); // libvips writes no JFIF segment of its own
    expect(markers(base).some((m) => m.marker === 0xe0)).toBe(false);
    const jfif300 = segment(0xe0, [...latin1('JFIF\0'), 1, 2, 1, ...u16(300), ...u16(300), 0, 0]);
    const input = new Uint8Array([
      0xff,
      0xd8,
      ...jfif300,
      ...segment(0xe1, latin1('Exif\0\0MM\0*')),
      ...segment(0xeb, latin1('JP..c2pa')),
      ...segment(0xe1, latin1('http://ns.adobe.com/xap/1.0/\0<x/>')),
      ...segment(0xe1, latin1('http://ns.adobe.com/xmp/extension/\0abc')),
      ...segment(0xe2, latin1('ICC_PROFILE\0\x01\x01')),
      ...segment(0xee, latin1('Adobe\0')),
      ...segment(0xed, latin1('Photoshop 3.0\0x')),
      ...rest,
    ]);
    const out = copyJpegMetadata(input, base);
    expect(markers(out).map((m) => [m.marker, m.head.slice(0, 5)])).toEqual([
      [0xe0, 'JFIF\0'],
      [0xe1, 'Exif\0'],
      [0xe1, 'http:'],
      [0xe1, 'http:'],
      [0xe2, 'ICC_P'],
      [0xed, 'Photo'],
      ...markers(base).map((m) => [m.marker, m.head.slice(0, 5)]),
    ]);
    // An output JFIF is kept when the input has none; replaced when it has one.
    const withJfif = new Uint8Array([0xff, 0xd8, ...segment(0xe0, [...latin1('JFIF\0'), 1, 2, 1, 0, 72, 0, 72, 0, 0]), ...rest]);
    expect(markers(copyJpegMetadata(new Uint8Array([0xff, 0xd8, ...rest]), withJfif))[0]!.head).toContain('JFIF');
    expect(markers(copyJpegMetadata(input, withJfif)).filter((m) => m.marker === 0xe0)).toHaveLength(1);
    expect((await sharp(out).metadata()).density).toBe(300);
    expect(Buffer.from(out.subarray(out.length - rest.length)).equals(Buffer.from(rest))).toBe(true);
    expect(() => copyJpegMetadata(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), base)).toThrow(MalformedInputError);
    expect(() => copyJpegMetadata(input, new Uint8Array([1, 2, 3, 4]))).toThrow(MalformedInputError);
  });

  it('copies a PNG pHYs chunk after IHDR, and leaves a PNG without one alone', async () => {
    const px = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } });
    const plain = new Uint8Array(await px().png().toBuffer());
    const dense = new Uint8Array(await px().withMetadata({ density: 300 }).png().toBuffer());
    const noPhys = withoutChunk(plain, 'pHYs');
    expect(noPhys.length).toBeLessThan(plain.length);
    expect(copyPngDensity(noPhys, plain)).toBe(plain);
    const out = copyPngDensity(dense, plain);
    expect((await sharp(out).metadata()).density).toBe(300);
    expect((await sharp(out).raw().toBuffer()).equals(await sharp(plain).raw().toBuffer())).toBe(true);
  });
});

describe('renderImageLabel from one decode', () => {
  it("keeps a JPEG's EXIF, XMP, ICC profile and density, as exiftool reads them", async () => {
    const src = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#204080' } })
      .withIccProfile('p3')
      .withExif({ IFD0: { Artist: 'decoded-label test', Copyright: 'CC0' } })
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Tester</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>',
      )
      .withMetadata({ density: 240 })
      .jpeg({ quality: 88 })
      .toBuffer();
    const { bytes } = await renderImageLabel(new Uint8Array(src));
    const inFile = path.join(dir, 'in.jpg'),
      outFile = path.join(dir, 'out.jpg');
    await writeFile(inFile, src);
    await writeFile(outFile, bytes);
    const [a, b] = [await exiftool.read(inFile), await exiftool.read(outFile)] as unknown as Record<string, unknown>[];
    for (const tag of ['Artist', 'Copyright', 'Creator', 'ProfileDescription', 'XResolution', 'ResolutionUnit'])
      expect(b![tag], tag).toEqual(a![tag]);
    expect(b!.Warning).toBeUndefined();
    // The pixels stay in the image's own (P3) space: unlabelled areas match the input's stored values.
    const [pin, pout] = [await sharp(src).keepIccProfile().raw().toBuffer(), await sharp(bytes).keepIccProfile().raw().toBuffer()];
    for (const i of [0, 1, 2]) expect(Math.abs(pin[i]! - pout[i]!)).toBeLessThanOrEqual(3);
  });

  it('chooses the plate from the decoded pixels under the label (dark plate on light, light on dark)', async () => {
    const half = sharp({ create: { width: 512, height: 512, channels: 3, background: '#ffffff' } }).composite([
      { input: { create: { width: 512, height: 256, channels: 3, background: '#000000' } }, top: 256, left: 0 },
    ]);
    const img = new Uint8Array(await half.jpeg().toBuffer());
    expect((await renderImageLabel(img, { position: 'top-right' })).info.scheme).toBe('dark-plate');
    const bottom = await renderImageLabel(img, { position: 'bottom-right' });
    expect(bottom.info.scheme).toBe('light-plate');
    const { box } = bottom.info;
    const { data, info } = await sharp(bottom.bytes).raw().toBuffer({ resolveWithObject: true });
    const at = ((box.y + 2) * info.width + box.x + Math.floor(box.w / 2)) * 3; // plate edge: above the text
    expect(relativeLuminance({ r: data[at]!, g: data[at + 1]!, b: data[at + 2]! })).toBeGreaterThan(0.6);
  });

  it('PNG and WebP without metadata keep their density and alpha; with an ICC profile they keep it (libvips path)', async () => {
    const make = () => sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } });
    // sharp writes an eXIf chunk along with the density: take only its pHYs.
    const alpha = copyPngDensity(
      new Uint8Array(await make().withMetadata({ density: 150 }).png().toBuffer()),
      new Uint8Array(await make().png().toBuffer()),
    );
    expect((await sharp(alpha).metadata()).exif).toBeUndefined();
    const png = await renderImageLabel(alpha);
    const m = await sharp(png.bytes).metadata();
    expect([m.format, m.hasAlpha, m.density, m.exif]).toEqual(['png', true, 150, undefined]);
    const webp = await renderImageLabel(new Uint8Array(await sharp(alpha).webp({ quality: 80 }).toBuffer()));
    expect((await sharp(webp.bytes).metadata()).hasAlpha).toBe(true);
    const icc = new Uint8Array(await sharp(alpha).withIccProfile('p3').png().toBuffer());
    expect((await sharp((await renderImageLabel(icc)).bytes).metadata()).icc).toBeDefined();
  });
});
