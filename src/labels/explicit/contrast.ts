/**
 * Colour contrast per WCAG 2.x: relative luminance of sRGB colours, contrast ratio, and the
 * choice of plate and text colours that keeps a label legible on any background.
 */

/** An sRGB colour, 0–255 per channel. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** Minimum text/plate contrast ratio the renderer guarantees (WCAG AA for normal text). */
export const MIN_CONTRAST_RATIO = 4.5;

/** Opacity of the label plate. Below 1 the background shows through slightly. */
export const PLATE_OPACITY = 0.88;

/** Dark end used for plates and text. */
export const DARK: Rgb = { r: 0x10, g: 0x10, b: 0x10 };
/** Light end used for plates and text. */
export const LIGHT: Rgb = { r: 0xff, g: 0xff, b: 0xff };

function linear(c8: number): number {
  const c = c8 / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an sRGB colour (0 = black, 1 = white). */
export function relativeLuminance(c: Rgb): number {
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

/** WCAG contrast ratio between two relative luminances (1–21). */
export function contrastRatio(l1: number, l2: number): number {
  const hi = Math.max(l1, l2),
    lo = Math.min(l1, l2);
  return (hi + 0.05) / (lo + 0.05);
}

/** Blend `top` over `bottom` with `alpha` (sRGB, as a compositor does). */
export function blend(top: Rgb, bottom: Rgb, alpha: number): Rgb {
  const mix = (a: number, b: number) => Math.round(a * alpha + b * (1 - alpha));
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b) };
}

/** The colours of a label, with the contrast they guarantee. */
export interface LabelColors {
  readonly plate: Rgb;
  readonly text: Rgb;
  readonly plateOpacity: number;
  /** Text/plate contrast in the worst case (plate composited over pure black or white). */
  readonly worstContrast: number;
  /** Whether the plate is dark (light text) or light (dark text). */
  readonly scheme: 'dark-plate' | 'light-plate';
}

/**
 * Choose plate and text colours from the mean relative luminance of the background under the
 * label: the plate takes the end (dark or light) that stands out more from the background, the
 * text the other end. The plate opacity is lowered from 1 only while the worst-case contrast
 * (any background showing through) stays ≥ {@link MIN_CONTRAST_RATIO}.
 */
export function chooseLabelColors(backgroundLuminance: number): LabelColors {
  const bg = Math.min(1, Math.max(0, Number.isFinite(backgroundLuminance) ? backgroundLuminance : 0.5));
  const darkVsBg = contrastRatio(relativeLuminance(DARK), bg);
  const lightVsBg = contrastRatio(relativeLuminance(LIGHT), bg);
  const scheme = darkVsBg >= lightVsBg ? 'dark-plate' : 'light-plate';
  const plate = scheme === 'dark-plate' ? DARK : LIGHT;
  const text = scheme === 'dark-plate' ? LIGHT : DARK;
  const worst = (alpha: number) =>
    Math.min(
      ...[
        { r: 0, g: 0, b: 0 },
        { r: 255, g: 255, b: 255 },
      ].map((under) => contrastRatio(relativeLuminance(blend(plate, under, alpha)), relativeLuminance(text))),
    );
  const plateOpacity = worst(PLATE_OPACITY) >= MIN_CONTRAST_RATIO ? PLATE_OPACITY : 1;
  return { plate, text, plateOpacity, worstContrast: worst(plateOpacity), scheme };
}

/** Mean relative luminance of raw interleaved 8-bit pixels (`channels` 1–4; alpha ignored). */
export function meanLuminance(raw: Uint8Array, channels: number): number {
  if (channels < 1 || raw.length < channels) return 0.5;
  const lut = new Float64Array(256);
  for (let i = 0; i < 256; i++) lut[i] = linear(i);
  let sum = 0;
  const n = Math.floor(raw.length / channels);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    sum += channels < 3 ? lut[raw[o]] : 0.2126 * lut[raw[o]] + 0.7152 * lut[raw[o + 1]] + 0.0722 * lut[raw[o + 2]];
  }
  return sum / n;
}
