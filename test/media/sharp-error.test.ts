/** The typed error for a sharp (libvips) failure, shared by the label overlay and the image watermark. */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { LimitExceededError, MalformedInputError, UnsupportedFormatError } from '../../src/errors.ts';
import { sharpError, sharpMessage } from '../../src/media/sharp-error.ts';

describe('sharpError', () => {
  it('drops the lines libvips repeats from other failures in its shared buffer', () => {
    const once = 'Input buffer has corrupt header: VipsJpeg: premature end of JPEG image\nVipsJpeg: JPEG datastream contains no image';
    const thrice = `${once}\nVipsJpeg: premature end of JPEG image\nVipsJpeg: JPEG datastream contains no image\nVipsJpeg: premature end of JPEG image`;
    expect(sharpMessage(new Error(thrice))).toBe(sharpMessage(new Error(once)));
    expect(sharpMessage(new Error(thrice)).split('\n')).toHaveLength(2);
  });

  it('types pixel-limit, unknown-format and other failures; passes typed errors through', async () => {
    const caught = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    const junk = await caught(sharp(Buffer.from('not an image')).metadata());
    expect(sharpError(junk, 'cannot decode image', 'err.wm.notImage')).toBeInstanceOf(UnsupportedFormatError);
    const big = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const limit = await caught(sharp(big, { limitInputPixels: 16 }).raw().toBuffer());
    expect(sharpError(limit, 'cannot decode image', 'err.lbl.notJPEGPNGWebP')).toBeInstanceOf(LimitExceededError);
    const bad = sharpError(new Error('VipsJpeg: premature end of JPEG image'), 'cannot decode image', 'err.wm.notImage');
    expect(bad).toBeInstanceOf(MalformedInputError);
    expect(bad.message).toBe('image: cannot decode image: VipsJpeg: premature end of JPEG image');
    expect(sharpError(bad, 'other', 'err.wm.notImage')).toBe(bad);
  });
});
