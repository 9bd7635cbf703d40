/**
 * The label drawn on pixels already decoded into memory, so a labelled image costs one decode
 * and one encode: the background under the label is measured on the decoded pixels (no second,
 * reduced decode to choose the plate colours) and the label is blended into them in place.
 * Pixels are 8-bit interleaved, 3 (RGB) or 4 (RGBA) channels, in the image's own colour space.
 */
import { InvalidArgumentError, said } from '../../errors.ts';
import { meanLuminance } from './contrast.ts';
import type { Box } from './label-raster.ts';

/** Decoded pixels: `width × height × channels` bytes, rows top to bottom. */
export interface RawImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/**
 * The box clipped to the image.
 * @throws {InvalidArgumentError} when the pixel buffer does not match its dimensions.
 */
function clip(img: RawImage, box: Box): Box {
  if (img.data.length !== img.width * img.height * img.channels) {
    throw new InvalidArgumentError(
      said('err.lbl.decodedImageBytesDoes', 'decoded image of {v1} bytes does not match {width}x{height}x{channels}', {
        v1: img.data.length,
        width: img.width,
        height: img.height,
        channels: img.channels,
      }),
    );
  }
  const x0 = Math.max(0, Math.min(img.width, box.x)),
    y0 = Math.max(0, Math.min(img.height, box.y));
  const x1 = Math.max(x0, Math.min(img.width, box.x + box.w)),
    y1 = Math.max(y0, Math.min(img.height, box.y + box.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * Mean WCAG relative luminance of the pixels under `box` (alpha ignored), 0.5 for an empty box.
 * @throws {InvalidArgumentError} when the pixel buffer does not match its dimensions.
 */
export function regionLuminance(img: RawImage, box: Box): number {
  const b = clip(img, box);
  if (b.w === 0 || b.h === 0) return 0.5;
  const row = b.w * img.channels;
  const region = new Uint8Array(row * b.h);
  for (let y = 0; y < b.h; y++) {
    const from = ((b.y + y) * img.width + b.x) * img.channels;
    region.set(img.data.subarray(from, from + row), y * row);
  }
  return meanLuminance(region, img.channels);
}

/**
 * Blend straight-alpha RGBA `label` (`box.w × box.h`) over the pixels at `box`, in place, as a
 * compositor's "over" does: colour = label·α + pixel·(1−α); with an alpha channel a the
 * weights are α and a·(1−α) and the new alpha α + a·(1−α). Parts of the box outside the image are skipped.
 * @throws {InvalidArgumentError} when the label or pixel buffer does not match its dimensions.
 */
export function compositeOver(img: RawImage, label: Uint8Array, box: Box): void {
  if (label.length !== box.w * box.h * 4)
    throw new InvalidArgumentError(
      said('err.lbl.labelBytesDoesNot', 'label of {v1} bytes does not match {w}x{h}x4', { v1: label.length, w: box.w, h: box.h }),
    );
  const b = clip(img, box);
  const ch = img.channels;
  const px = img.data;
  for (let y = 0; y < b.h; y++) {
    let s = ((b.y - box.y + y) * box.w + (b.x - box.x)) * 4;
    let d = ((b.y + y) * img.width + b.x) * ch;
    for (let x = 0; x < b.w; x++, s += 4, d += ch) {
      const a = label[s + 3]!;
      if (a === 0) continue;
      if (a === 255) {
        px[d] = label[s]!;
        px[d + 1] = label[s + 1]!;
        px[d + 2] = label[s + 2]!;
        if (ch === 4) px[d + 3] = 255;
        continue;
      }
      if (ch === 3) {
        const k = 255 - a;
        px[d] = (label[s]! * a + px[d]! * k + 127) / 255;
        px[d + 1] = (label[s + 1]! * a + px[d + 1]! * k + 127) / 255;
        px[d + 2] = (label[s + 2]! * a + px[d + 2]! * k + 127) / 255;
        continue;
      }
      // Straight alpha over straight alpha: weights α and a·(1−α), normalised by the result's alpha.
      const under = (px[d + 3]! * (255 - a)) / 255;
      const out = a + under;
      px[d] = (label[s]! * a + px[d]! * under) / out + 0.5;
      px[d + 1] = (label[s + 1]! * a + px[d + 1]! * under) / out + 0.5;
      px[d + 2] = (label[s + 2]! * a + px[d + 2]! * under) / out + 0.5;
      px[d + 3] = out + 0.5;
    }
  }
}
