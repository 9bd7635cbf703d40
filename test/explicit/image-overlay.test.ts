/**
 * Image overlay, measured on the output: the label's changed region and text ink ≥ 5 % of the
 * shortest side, in the chosen corner/edge, text/plate contrast ≥ 4.5:1, four distinct glyph
 * shapes for "AI生成", format/dimensions/orientation kept, bad input refused.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_IMAGE_PIXELS } from '../../src/binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, UnsupportedFormatError } from '../../src/errors.ts';
import {
  LABEL_POSITIONS,
  estimateJpegQuality,
  readQuantTables,
  renderImageLabel,
  renderImageLabelFile,
  type LabelPosition,
} from '../../src/labels/explicit/index.ts';
import { decodeDisplayed, glyphBitmap, glyphColumns, hamming, makeImage, measureLabel, type Box } from './measure.ts';

type Fmt = 'jpeg' | 'png' | 'webp';
type Bg = 'white' | 'black' | 'busy';
const SIZES: [number, number][] = [
  [512, 512],
  [1920, 1080],
  [1080, 1920],
  [4000, 3000],
];
/** All sizes on one background per format; all backgrounds at 512². */
const SIZE_BG: Record<Fmt, Bg> = { jpeg: 'busy', png: 'white', webp: 'black' };
const cases: { fmt: Fmt; w: number; h: number; bg: Bg; position: LabelPosition }[] = [];
let k = 0;
for (const fmt of ['jpeg', 'png', 'webp'] as const) {
  for (const [w, h] of SIZES) cases.push({ fmt, w, h, bg: SIZE_BG[fmt], position: LABEL_POSITIONS[k++ % LABEL_POSITIONS.length] });
  for (const bg of ['white', 'black', 'busy'] as const)
    if (bg !== SIZE_BG[fmt]) cases.push({ fmt, w: 512, h: 512, bg, position: 'bottom-right' });
}

/** Check that `box` lies at `position` in a W×H frame, within `near` px of the relevant edges. */
function expectPlaced(box: Box, W: number, H: number, position: LabelPosition, near: number): void {
  const cx = box.x + box.w / 2,
    cy = box.y + box.h / 2;
  const right = W - (box.x + box.w),
    bottom = H - (box.y + box.h);
  const horiz = position.includes('right') ? 'right' : position.includes('left') ? 'left' : 'center';
  const vert = position.startsWith('top') ? 'top' : position.startsWith('bottom') ? 'bottom' : 'middle';
  if (horiz === 'right') {
    expect(box.x).toBeGreaterThan(W / 2);
    expect(right).toBeLessThanOrEqual(near);
  }
  if (horiz === 'left') {
    expect(box.x + box.w).toBeLessThan(W / 2);
    expect(box.x).toBeLessThanOrEqual(near);
  }
  if (horiz === 'center') expect(Math.abs(cx - W / 2)).toBeLessThanOrEqual(4);
  if (vert === 'bottom') {
    expect(box.y).toBeGreaterThan(H / 2);
    expect(bottom).toBeLessThanOrEqual(near);
  }
  if (vert === 'top') {
    expect(box.y + box.h).toBeLessThan(H / 2);
    expect(box.y).toBeLessThanOrEqual(near);
  }
  if (vert === 'middle') expect(Math.abs(cy - H / 2)).toBeLessThanOrEqual(4);
}

describe('renderImageLabel — output measurements', () => {
  it.each(cases)('$fmt $w×$h on $bg at $position', async ({ fmt, w, h, bg, position }) => {
    const input = await makeImage(fmt, w, h, bg);
    const { bytes, info } = await renderImageLabel(input, { position });
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe(fmt);
    expect([meta.width, meta.height]).toEqual([w, h]);
    const m = measureLabel(await decodeDisplayed(input), await decodeDisplayed(bytes));
    expect(m).not.toBeNull();
    const minSide = Math.min(w, h);
    expect(m!.plate.h).toBeGreaterThanOrEqual(0.05 * minSide);
    expect(m!.text.h).toBeGreaterThanOrEqual(0.05 * minSide);
    expect(m!.text.h).toBeLessThanOrEqual(0.075 * minSide); // default ≈ 6 %, not wildly larger
    expectPlaced(m!.plate, w, h, position, Math.ceil(0.06 * minSide));
    expect(m!.contrast).toBeGreaterThanOrEqual(4.5);
    // Four glyphs, four different shapes (no tofu boxes).
    const cols = glyphColumns(m!);
    expect(cols).toHaveLength(4);
    const bitmaps = cols.map((c) => glyphBitmap(m!, c));
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(hamming(bitmaps[i], bitmaps[j])).toBeGreaterThanOrEqual(15);
    // The CJK glyphs (生, 成) span the full text height: the ink box is the CJK glyph height.
    expect(info.kind).toBe('image-overlay');
    expect(info.text).toBe('AI生成');
    expect(info.position).toBe(position);
  });

  it('honours a larger scale and a custom text with the required elements', async () => {
    const input = await makeImage('png', 800, 600, 'white');
    const { bytes, info } = await renderImageLabel(input, { text: '人工智能合成', scale: 0.1, position: 'top' });
    const m = measureLabel(await decodeDisplayed(input), await decodeDisplayed(bytes))!;
    expect(m.text.h).toBeGreaterThanOrEqual(0.1 * 600);
    expect(info.relativeHeight).toBeGreaterThanOrEqual(0.1);
    expect(glyphColumns(m).length).toBeGreaterThanOrEqual(6);
  });

  it('at the minimum scale 0.05 the measured ink is still ≥ 5 %', async () => {
    const input = await makeImage('png', 1000, 700, 'black');
    const { bytes } = await renderImageLabel(input, { scale: 0.05 });
    const m = measureLabel(await decodeDisplayed(input), await decodeDisplayed(bytes))!;
    expect(m.text.h).toBeGreaterThanOrEqual(0.05 * 700);
  });
});

describe('renderImageLabel — keeps the input', () => {
  it('draws upright in the displayed orientation and keeps EXIF orientation and stored size', async () => {
    // Stored 600×800, orientation 6 (rotate 90° CW to display) → displayed 800×600.
    const input = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#ffffff' } })
      .jpeg({ quality: 90 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const { bytes } = await renderImageLabel(input, { position: 'bottom-right' });
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([600, 800, 6]);
    const shown = measureLabel(await decodeDisplayed(input), await decodeDisplayed(bytes))!;
    expect(shown).not.toBeNull();
    expectPlaced(shown.plate, 800, 600, 'bottom-right', 30);
    // Upright: same glyph bitmaps as a label drawn on an unrotated 800×600 image.
    const plain = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#ffffff' } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const ref = measureLabel(await decodeDisplayed(plain), await decodeDisplayed((await renderImageLabel(plain)).bytes))!;
    const a = glyphColumns(shown).map((c) => glyphBitmap(shown, c)),
      b = glyphColumns(ref).map((c) => glyphBitmap(ref, c));
    expect(a).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(hamming(a[i], b[i])).toBeLessThanOrEqual(8);
  });

  it('keeps JPEG quality close to the input (estimated from the quantisation tables)', async () => {
    for (const q of [70, 85, 95]) {
      const input = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } })
        .jpeg({ quality: q })
        .toBuffer();
      const est = estimateJpegQuality(await readQuantTables(new BufferSource(input)))!;
      expect(est.quality).toBe(q);
      const { bytes } = await renderImageLabel(input);
      const out = estimateJpegQuality(await readQuantTables(new BufferSource(bytes)))!;
      expect(Math.abs(out.quality - q)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps CMYK JPEG, 16-bit PNG, palette PNG and progressive 4:4:4 JPEG', async () => {
    const base = () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#c04020' } });
    const meta = async (input: Buffer) => sharp((await renderImageLabel(input)).bytes).metadata();
    expect((await meta(await base().toColourspace('cmyk').jpeg().toBuffer())).space).toBe('cmyk');
    expect((await meta(await base().toColourspace('rgb16').png().toBuffer())).depth).toBe('ushort');
    expect((await meta(await base().png({ palette: true }).toBuffer())).isPalette).toBe(true);
    const prog = await meta(await base().jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer());
    expect([prog.isProgressive, prog.chromaSubsampling]).toEqual([true, '4:4:4']);
  });

  it('keeps lossless WebP lossless, PNG alpha and greyscale', async () => {
    const lossless = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#336699' } })
      .webp({ lossless: true })
      .toBuffer();
    const out = Buffer.from((await renderImageLabel(lossless)).bytes);
    expect(out.includes(Buffer.from('VP8L'))).toBe(true);
    const rgb = await makeImage('png', 200, 150, 'white');
    expect((await sharp((await renderImageLabel(rgb)).bytes).metadata()).channels).toBe(3);
    const alpha = await sharp({ create: { width: 200, height: 150, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    expect((await sharp((await renderImageLabel(alpha)).bytes).metadata()).hasAlpha).toBe(true);
    const grey = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#777' } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp((await renderImageLabel(grey)).bytes).metadata()).channels).toBe(1);
  });
});

describe('renderImageLabel — refusals', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'explicit-img-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses text without both required elements, with a clear message', async () => {
    const input = await makeImage('png', 200, 200, 'white');
    await expect(renderImageLabel(input, { text: '生成内容' })).rejects.toThrow(/lacks the AI element/);
    await expect(renderImageLabel(input, { text: 'AI' })).rejects.toThrow(/lacks the generation element/);
    await expect(renderImageLabel(input, { text: 'AI生成☃' })).rejects.toThrow(/no glyph for "☃"/);
    await expect(renderImageLabel(input, { text: 'MAIL生成' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses an image whose shortest side is under 64 px (63 refused, 64 accepted)', async () => {
    const small = await sharp({ create: { width: 63, height: 300, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    await expect(renderImageLabel(small)).rejects.toThrow(/at least 64 px/);
    const ok = await sharp({ create: { width: 64, height: 300, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const { bytes } = await renderImageLabel(ok);
    const m = measureLabel(await decodeDisplayed(ok), await decodeDisplayed(bytes))!;
    expect(m.text.h).toBeGreaterThanOrEqual(0.05 * 64);
  });

  it('refuses bad options and non-images', async () => {
    const input = await makeImage('png', 200, 200, 'white');
    await expect(renderImageLabel(input, { scale: 0.049 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderImageLabel(input, { position: 'middle' as LabelPosition })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderImageLabel(input, { margin: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderImageLabel(new Uint8Array([1, 2, 3, 4]))).rejects.toBeInstanceOf(UnsupportedFormatError);
    const jpeg = await makeImage('jpeg', 300, 200, 'busy');
    await expect(renderImageLabel(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).rejects.toBeInstanceOf(MalformedInputError);
    const tiff = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#fff' } })
      .tiff()
      .toBuffer();
    await expect(renderImageLabel(tiff)).rejects.toBeInstanceOf(UnsupportedFormatError);
    // a GIF is labelled (on every frame, test/formats/gif.test.ts) and stays a GIF
    const gif = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#fff' } })
      .gif()
      .toBuffer();
    expect((await sharp((await renderImageLabel(gif)).bytes).metadata()).format).toBe('gif');
  });

  it(`keeps the pixel limit: ${MAX_IMAGE_PIXELS} pixels pass the check, one row more is refused`, async () => {
    const png = (w: number, h: number) => {
      const crcTable = Array.from({ length: 256 }, (_, n) => {
        let c = n;
        for (let k2 = 0; k2 < 8; k2++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        return c >>> 0;
      });
      const crc = (b: Buffer) => {
        let c = 0xffffffff;
        for (const x of b) c = crcTable[(c ^ x) & 255] ^ (c >>> 8);
        return (c ^ 0xffffffff) >>> 0;
      };
      const chunk = (type: string, data: Buffer) => {
        const t = Buffer.concat([Buffer.from(type), data]);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(data.length);
        const c = Buffer.alloc(4);
        c.writeUInt32BE(crc(t));
        return Buffer.concat([len, t, c]);
      };
      const ihdr = Buffer.alloc(13);
      ihdr.writeUInt32BE(w, 0);
      ihdr.writeUInt32BE(h, 4);
      ihdr[8] = 8;
      ihdr[9] = 0;
      return Buffer.concat([
        Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
        chunk('IHDR', ihdr),
        chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0, 0, 0, 0, 1])),
        chunk('IEND', Buffer.alloc(0)),
      ]);
    };
    const atLimit = renderImageLabel(png(0x3fff, 0x3fff));
    await expect(atLimit).rejects.not.toBeInstanceOf(LimitExceededError); // passes the check, then fails decoding the empty IDAT
    await expect(atLimit).rejects.toBeInstanceOf(MalformedInputError);
    await expect(renderImageLabel(png(0x3fff, 0x4000))).rejects.toBeInstanceOf(LimitExceededError);
  });

  it('file API: never modifies the input, refuses output = input', async () => {
    const inPath = path.join(dir, 'in.jpg'),
      outPath = path.join(dir, 'out.jpg');
    await writeFile(inPath, await makeImage('jpeg', 640, 480, 'busy'));
    const before = createHash('sha256')
      .update(await readFile(inPath))
      .digest('hex');
    const info = await renderImageLabelFile(inPath, outPath, { position: 'top-left' });
    expect(info.position).toBe('top-left');
    expect(
      createHash('sha256')
        .update(await readFile(inPath))
        .digest('hex'),
    ).toBe(before);
    const m = measureLabel(await decodeDisplayed(inPath), await decodeDisplayed(outPath))!;
    expectPlaced(m.plate, 640, 480, 'top-left', 30);
    await expect(renderImageLabelFile(inPath, inPath)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(renderImageLabelFile(inPath, path.join(dir, '.', 'in.jpg'))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(
      createHash('sha256')
        .update(await readFile(inPath))
        .digest('hex'),
    ).toBe(before);
  });
});
