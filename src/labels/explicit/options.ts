/**
 * Label size options shared by the image and video renderers. GB 45438 §5.2/§5.4: the text is at
 * least 5 % of the shortest side high; the default leaves margin (6 %).
 */
import { InvalidArgumentError, said } from '../../errors.ts';

/** Minimum relative text height allowed by GB 45438 (5 % of the shortest side). */
export const MIN_SCALE = 0.05;
/** Default relative text height. */
export const DEFAULT_SCALE = 0.06;
/** Largest relative text height accepted. */
export const MAX_SCALE = 0.5;
/** Shortest side (px) below which no legible label fits; such images are refused. */
export const MIN_LABEL_IMAGE_SIDE = 64;

/**
 * Validate a relative text height (undefined gives `fallback`).
 * @throws {InvalidArgumentError} unless it is a number from {@link MIN_SCALE} to {@link MAX_SCALE}.
 */
export function validateScale(scale: unknown, name = 'label scale', fallback = DEFAULT_SCALE): number {
  const v = scale ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < MIN_SCALE || v > MAX_SCALE) {
    throw InvalidArgumentError.expected(
      `a number from ${MIN_SCALE} (GB 45438 minimum: 5 % of the shortest side) to ${MAX_SCALE}`,
      name,
      scale,
    );
  }
  return v;
}

/**
 * Validate a margin in pixels (undefined gives {@link defaultMargin}).
 * @throws {InvalidArgumentError} unless it is a non-negative integer.
 */
export function validateMargin(margin: unknown, minSide: number): number {
  if (margin === undefined) return defaultMargin(minSide);
  if (typeof margin !== 'number' || !Number.isInteger(margin) || margin < 0) {
    throw InvalidArgumentError.expected('a non-negative integer number of pixels', 'label margin', margin);
  }
  return margin;
}

/** Default distance from the edges: 2.5 % of the shortest side, at least 2 px. */
export function defaultMargin(minSide: number): number {
  return Math.max(2, Math.round(0.025 * minSide));
}

/**
 * Glyph ink height in pixels for `scale` on a frame whose shortest side is `minSide`: rounded up,
 * plus one pixel so anti-aliased extremes never take the measured height below the rule.
 */
export function inkHeightFor(minSide: number, scale: number): number {
  return Math.ceil(scale * minSide) + 1;
}

/**
 * Refuse frames too small for a legible label.
 * @throws {InvalidArgumentError} when the shortest side is under {@link MIN_LABEL_IMAGE_SIDE}.
 */
export function assertLabelFits(width: number, height: number, what = 'image'): void {
  if (Math.min(width, height) < MIN_LABEL_IMAGE_SIDE) {
    throw new InvalidArgumentError(
      said(
        'err.lbl.expectedWhoseShortestSide',
        'Expected an {what} whose shortest side is at least {MIN_LABEL_IMAGE_SIDE} px (smaller ones cannot carry a legible label) for input but received {width}x{height} px',
        { what, MIN_LABEL_IMAGE_SIDE, width, height },
      ),
    );
  }
}
