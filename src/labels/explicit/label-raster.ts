/**
 * Rasterise a label — a rounded plate with the text on it — to RGBA pixels. The text is drawn
 * from the bundled glyph outlines as SVG paths and rendered by sharp (librsvg), so no font
 * lookup happens. The glyph ink is aligned to whole pixels: its height is exactly `inkHeightPx`.
 */
import sharp from 'sharp';
import { InvalidArgumentError, MalformedInputError, said } from '../../errors.ts';
import type { LabelColors, Rgb } from './contrast.ts';
import { layoutText, type TextLayout } from './glyphs.ts';

/** A pixel rectangle. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Geometry of a label before it is drawn. */
export interface LabelGeometry {
  readonly width: number;
  readonly height: number;
  /** Where the glyph ink lies inside the label. */
  readonly textBox: Box;
  /** Pixels per font unit. */
  readonly scale: number;
  readonly layout: TextLayout;
}

/** Largest glyph ink height drawn (px); far above any real label, it bounds memory. */
export const MAX_LABEL_INK_PX = 4096;

/**
 * Size a label whose glyph ink (the union of the glyphs' ink boxes) is `inkHeightPx` tall.
 * @throws {InvalidArgumentError} for unsupported characters or a height outside 4…{@link MAX_LABEL_INK_PX}.
 */
export function measureLabel(text: string, inkHeightPx: number): LabelGeometry {
  if (!Number.isInteger(inkHeightPx) || inkHeightPx < 4 || inkHeightPx > MAX_LABEL_INK_PX) {
    throw InvalidArgumentError.expected(`an integer from 4 to ${MAX_LABEL_INK_PX}`, 'label ink height (px)', inkHeightPx);
  }
  const layout = layoutText(text);
  const scale = inkHeightPx / (layout.ink.yMax - layout.ink.yMin);
  const inkW = Math.ceil((layout.ink.xMax - layout.ink.xMin) * scale);
  const padY = Math.max(2, Math.round(0.28 * inkHeightPx));
  const padX = Math.max(3, Math.round(0.4 * inkHeightPx));
  return {
    width: inkW + 2 * padX,
    height: inkHeightPx + 2 * padY,
    textBox: { x: padX, y: padY, w: inkW, h: inkHeightPx },
    scale,
    layout,
  };
}

/** A label rendered to straight (non-premultiplied) RGBA pixels. */
export interface LabelRaster extends LabelGeometry {
  /** `width * height * 4` bytes, row-major. */
  readonly rgba: Buffer;
}

const hex = (c: Rgb) => `#${[c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The SVG document of a label (exported for debugging and tests). */
export function labelSvg(geo: LabelGeometry, colors: LabelColors): string {
  const { width: w, height: h, textBox, scale: s, layout } = geo;
  const tx = textBox.x - layout.ink.xMin * s;
  const ty = textBox.y + layout.ink.yMax * s;
  const paths = layout.glyphs
    .filter((g) => g.glyph.d)
    .map((g) => `<path transform="translate(${g.x} 0)" d="${g.glyph.d}"/>`)
    .join('');
  const rx = Math.round(Math.min(h, w) * 0.18);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect x="0" y="0" width="${w}" height="${h}" rx="${rx}" ry="${rx}" fill="${hex(colors.plate)}" fill-opacity="${colors.plateOpacity}"/>` +
    `<g transform="translate(${tx.toFixed(3)} ${ty.toFixed(3)}) scale(${s.toFixed(6)} ${(-s).toFixed(6)})" fill="${hex(colors.text)}">${paths}</g></svg>`
  );
}

/**
 * Draw the label.
 * @throws {InvalidArgumentError} for unsupported characters or sizes (see {@link measureLabel}).
 * @throws {MalformedInputError} if the SVG renderer fails (it should not).
 */
export async function rasterizeLabel(text: string, inkHeightPx: number, colors: LabelColors): Promise<LabelRaster> {
  const geo = measureLabel(text, inkHeightPx);
  // A service labels many images of the same size: the same text, size and colours give the
  // same pixels, so the SVG is rendered once (bounded memo) and each caller gets its own copy.
  const key = `${text}\u0000${inkHeightPx}\u0000${labelSvgColors(colors)}`;
  const hit = RASTER_MEMO.get(key);
  if (hit) return { ...geo, rgba: Buffer.from(hit) };
  const raster = await renderLabel(geo, colors);
  if (RASTER_MEMO.size >= RASTER_MEMO_MAX) RASTER_MEMO.delete(RASTER_MEMO.keys().next().value!);
  RASTER_MEMO.set(key, Buffer.from(raster.rgba));
  return raster;
}

/** Rendered label pixels by text, ink height and colours. */
const RASTER_MEMO = new Map<string, Buffer>();
const RASTER_MEMO_MAX = 64;

function labelSvgColors(c: LabelColors): string {
  return `${hex(c.plate)}/${hex(c.text)}/${c.plateOpacity}`;
}

/**
 * @throws {MalformedInputError} if the SVG renderer fails.
 */
async function renderLabel(geo: LabelGeometry, colors: LabelColors): Promise<LabelRaster> {
  try {
    const { data, info } = await sharp(Buffer.from(labelSvg(geo, colors)), { density: 72 })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== geo.width || info.height !== geo.height || info.channels !== 4) {
      throw new MalformedInputError(
        'svg',
        said('err.lbl.labelRenderedAsX', 'label rendered as {width}x{height}x{channels}, expected {v4}x{v5}x4', {
          width: info.width,
          height: info.height,
          channels: info.channels,
          v4: geo.width,
          v5: geo.height,
        }),
      );
    }
    return { ...geo, rgba: data };
  } catch (err) {
    if (err instanceof MalformedInputError) throw err;
    throw new MalformedInputError(
      'svg',
      said('err.lbl.cannotRenderLabel', 'cannot render the label: {v1}', { v1: (err as Error).message }),
      undefined,
      { cause: err },
    );
  }
}

/** Encode a label raster as PNG (for ffmpeg overlays). */
export async function labelPng(raster: LabelRaster): Promise<Buffer> {
  return sharp(raster.rgba, { raw: { width: raster.width, height: raster.height, channels: 4 } })
    .png()
    .toBuffer();
}
