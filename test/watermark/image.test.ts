/** Image watermark: embed → detect per format, after platform-like processing, and on unmarked images. */
import { readFileSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectImageWatermark, embedImageWatermark } from '../../src/watermark/image.ts';
import { detectWatermark } from '../../src/watermark/detect.ts';
import * as watermark from '../../src/watermark/index.ts';
import { InvalidArgumentError, MalformedInputError, ToolkitError, UnsupportedFormatError } from '../../src/errors.ts';
import { repo } from '../helpers.ts';

const photo = (name: string) => new Uint8Array(readFileSync(repo('fixtures/external/photos', name)));
const bytes = async (s: Sharp) => new Uint8Array(await s.toBuffer());

async function psnrOf(a: Uint8Array, b: Uint8Array): Promise<number> {
  const ra = await sharp(a).raw().toBuffer(),
    rb = await sharp(b).raw().toBuffer();
  let e = 0;
  for (let i = 0; i < ra.length; i++) e += (ra[i]! - rb[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (e / ra.length));
}

describe('image watermark', () => {
  const coffee = photo('coffee.png');

  it.each(['jpeg', 'png', 'webp'] as const)('%s: embed → detect the same identifier, same format, PSNR ≥ 39.5 dB', async (fmt) => {
    const input =
      fmt === 'png' ? coffee : await bytes(fmt === 'jpeg' ? sharp(coffee).jpeg({ quality: 92 }) : sharp(coffee).webp({ quality: 90 }));
    const id = '0123456789abcdef';
    const r = await embedImageWatermark(input, { id });
    expect(r.id).toBe(id);
    expect(r.format).toBe(fmt);
    expect((await sharp(r.bytes).metadata()).format).toBe(fmt);
    expect(await psnrOf(input, r.bytes)).toBeGreaterThan(fmt === 'png' ? 39.5 : 36);
    const d = await detectImageWatermark(r.bytes);
    expect(d.found).toBe(true);
    expect(d.id).toBe(id);
    expect(d.pValue).toBeLessThan(1e-6);
    expect(d.margin).toBeGreaterThan(1);
    expect((await detectWatermark(r.bytes)).medium).toBe('image');
  });

  it('survives JPEG q75, a 0.5× resize and both; a fresh id each time by default', async () => {
    const a = await embedImageWatermark(photo('rocket.jpg'));
    const b = await embedImageWatermark(photo('rocket.jpg'));
    expect(a.id).not.toBe(b.id);
    const m = await sharp(a.bytes).metadata();
    const half = (s: Sharp) => s.resize(Math.round(m.width! / 2), Math.round(m.height! / 2));
    for (const t of [sharp(a.bytes).jpeg({ quality: 75 }), half(sharp(a.bytes)).png(), half(sharp(a.bytes)).jpeg({ quality: 75 })]) {
      const d = await detectImageWatermark(await bytes(t));
      expect(d.found).toBe(true);
      expect(d.id).toBe(a.id);
    }
  });

  it('keeps alpha and grey images in their channel layout', async () => {
    const rgba = await bytes(sharp(coffee).ensureAlpha(0.8).png());
    const r1 = await embedImageWatermark(rgba, { id: 'fedcba9876543210' });
    expect((await sharp(r1.bytes).metadata()).channels).toBe(4);
    expect((await detectImageWatermark(r1.bytes)).id).toBe('fedcba9876543210');
    const grey = photo('camera.png');
    const r2 = await embedImageWatermark(grey, { id: '00000000000000ff' });
    expect((await sharp(r2.bytes).metadata()).channels).toBe(1);
    expect((await detectImageWatermark(r2.bytes)).id).toBe('00000000000000ff');
  });

  it('finds nothing in unmarked photos or under another key', async () => {
    for (const name of ['coffee.png', 'astronaut.png', 'hubble_deep_field.jpg']) {
      const d = await detectImageWatermark(photo(name));
      expect(d.found).toBe(false);
      expect(d.id).toBeUndefined();
    }
    const r = await embedImageWatermark(coffee, { key: 'another key' });
    expect((await detectImageWatermark(r.bytes)).found).toBe(false);
    expect((await detectImageWatermark(r.bytes, { key: 'another key' })).id).toBe(r.id);
  });

  it('rejects bad input with typed errors', async () => {
    await expect(embedImageWatermark(coffee, { id: 'xyz' })).rejects.toThrow(InvalidArgumentError);
    await expect(embedImageWatermark(coffee, { psnr: 5 })).rejects.toThrow(InvalidArgumentError);
    const tiny = await bytes(sharp({ create: { width: 40, height: 40, channels: 3, background: '#888' } }).png());
    await expect(embedImageWatermark(tiny)).rejects.toThrow(InvalidArgumentError);
    await expect(embedImageWatermark(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(ToolkitError);
    const truncated = coffee.subarray(0, 2000);
    await expect(detectImageWatermark(truncated)).rejects.toSatisfy(
      (e) => e instanceof MalformedInputError || e instanceof UnsupportedFormatError,
    );
    await expect(detectWatermark(new Uint8Array(100))).rejects.toThrow(UnsupportedFormatError);
  });

  it('ships no removal function', () => {
    expect(Object.keys(watermark).filter((k) => /remov|strip|erase|clean/i.test(k))).toEqual([]);
  });
});
