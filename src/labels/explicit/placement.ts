/**
 * Where a label goes: the eight edge/corner positions (GB 45438 §5.2 asks for an edge or a corner),
 * the margin, and the mapping between displayed and stored pixels for EXIF orientations 1–8, so a
 * label is upright in the displayed image while the stored pixels and the orientation tag stay.
 */
import { InvalidArgumentError, said } from '../../errors.ts';
import type { Box } from './label-raster.ts';

/** The positions a label can take. */
export const LABEL_POSITIONS = ['bottom-right', 'bottom-left', 'top-right', 'top-left', 'top', 'bottom', 'left', 'right'] as const;
/** One label position. */
export type LabelPosition = (typeof LABEL_POSITIONS)[number];
/** The default position (the GB 45438 Annex C.2 example). */
export const DEFAULT_POSITION: LabelPosition = 'bottom-right';

/**
 * Validate a position (undefined gives {@link DEFAULT_POSITION}).
 * @throws {InvalidArgumentError} for anything else.
 */
export function validatePosition(position: unknown = DEFAULT_POSITION): LabelPosition {
  if (typeof position === 'string' && (LABEL_POSITIONS as readonly string[]).includes(position)) return position as LabelPosition;
  throw InvalidArgumentError.expected(`one of ${LABEL_POSITIONS.join(', ')}`, 'label position', position);
}

/**
 * Top-left corner of a `w`×`h` label at `position` in a `W`×`H` frame with `margin` pixels.
 * @throws {InvalidArgumentError} when the label does not fit.
 */
export function placeLabel(W: number, H: number, w: number, h: number, position: LabelPosition, margin: number): Box {
  if (w + 2 * margin > W || h + 2 * margin > H) {
    throw new InvalidArgumentError(
      said(
        'err.lbl.expectedLabelThatFits',
        'Expected a label that fits the {W}x{H} frame for label text but received one of {w}x{h} px with a {margin} px margin (shorten the text or lower the scale)',
        { W, H, w, h, margin },
      ),
    );
  }
  const cx = Math.round((W - w) / 2),
    cy = Math.round((H - h) / 2);
  const left = margin,
    right = W - margin - w,
    top = margin,
    bottom = H - margin - h;
  const at: Record<LabelPosition, [number, number]> = {
    'bottom-right': [right, bottom],
    'bottom-left': [left, bottom],
    'top-right': [right, top],
    'top-left': [left, top],
    top: [cx, top],
    bottom: [cx, bottom],
    left: [left, cy],
    right: [right, cy],
  };
  const [x, y] = at[position];
  return { x, y, w, h };
}

/** Size of the displayed image for stored size `W`×`H` and EXIF `orientation`. */
export function displaySize(W: number, H: number, orientation: number): { width: number; height: number } {
  return orientation >= 5 && orientation <= 8 ? { width: H, height: W } : { width: W, height: H };
}

/** Stored pixel (x, y) of a `W`×`H` stored image → displayed pixel, for EXIF `orientation`. */
export function storedToDisplay(x: number, y: number, W: number, H: number, orientation: number): [number, number] {
  switch (orientation) {
    case 2:
      return [W - 1 - x, y];
    case 3:
      return [W - 1 - x, H - 1 - y];
    case 4:
      return [x, H - 1 - y];
    case 5:
      return [y, x];
    case 6:
      return [H - 1 - y, x];
    case 7:
      return [H - 1 - y, W - 1 - x];
    case 8:
      return [y, W - 1 - x];
    default:
      return [x, y];
  }
}

/** Displayed pixel (X, Y) → stored pixel of a `W`×`H` stored image, for EXIF `orientation`. */
export function displayToStored(X: number, Y: number, W: number, H: number, orientation: number): [number, number] {
  switch (orientation) {
    case 2:
      return [W - 1 - X, Y];
    case 3:
      return [W - 1 - X, H - 1 - Y];
    case 4:
      return [X, H - 1 - Y];
    case 5:
      return [Y, X];
    case 6:
      return [Y, H - 1 - X];
    case 7:
      return [W - 1 - Y, H - 1 - X];
    case 8:
      return [W - 1 - Y, X];
    default:
      return [X, Y];
  }
}

/** The stored-pixel rectangle covered by displayed rectangle `box`. */
export function displayBoxToStored(box: Box, W: number, H: number, orientation: number): Box {
  const a = displayToStored(box.x, box.y, W, H, orientation);
  const b = displayToStored(box.x + box.w - 1, box.y + box.h - 1, W, H, orientation);
  const x = Math.min(a[0], b[0]),
    y = Math.min(a[1], b[1]);
  return { x, y, w: Math.abs(a[0] - b[0]) + 1, h: Math.abs(a[1] - b[1]) + 1 };
}

/**
 * Re-map an upright RGBA label (as it must look once displayed, placed at `box` in display space)
 * into the stored pixel grid, so that applying the EXIF orientation shows it upright.
 * Returns the pixels and their stored rectangle.
 */
export function orientLabel(rgba: Uint8Array, box: Box, W: number, H: number, orientation: number): { rgba: Buffer; box: Box } {
  const sbox = displayBoxToStored(box, W, H, orientation);
  if (orientation < 2 || orientation > 8) return { rgba: Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), box: sbox };
  const out = Buffer.alloc(sbox.w * sbox.h * 4);
  for (let sy = 0; sy < sbox.h; sy++) {
    for (let sx = 0; sx < sbox.w; sx++) {
      const [X, Y] = storedToDisplay(sbox.x + sx, sbox.y + sy, W, H, orientation);
      const from = ((Y - box.y) * box.w + (X - box.x)) * 4;
      const to = (sy * sbox.w + sx) * 4;
      out[to] = rgba[from];
      out[to + 1] = rgba[from + 1];
      out[to + 2] = rgba[from + 2];
      out[to + 3] = rgba[from + 3];
    }
  }
  return { rgba: out, box: sbox };
}
