/**
 * The bundled glyph outlines (`assets/glyphs.json`, Noto Sans SC Bold, SIL OFL 1.1) and the
 * single-line text layout used by every explicit-label renderer. Text is drawn as SVG paths, so
 * no system font or fontconfig is involved.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, IoError, MalformedInputError, said } from '../../errors.ts';

/** One glyph: advance width, ink box `[xMin, yMin, xMax, yMax]` (null for blanks), SVG path data. */
export interface GlyphOutline {
  readonly adv: number;
  readonly bbox: readonly [number, number, number, number] | null;
  readonly d: string;
}

/** The bundled glyph set. Coordinates are font units, y up, origin on the baseline. */
export interface GlyphSet {
  readonly font: string;
  readonly unitsPerEm: number;
  readonly ascender: number;
  readonly descender: number;
  readonly glyphs: ReadonlyMap<string, GlyphOutline>;
}

const GLYPHS_URL = new URL('../../../assets/glyphs.json', import.meta.url);
let loaded: GlyphSet | undefined;

/**
 * Load (once) the bundled glyph set.
 * @throws {IoError} when `assets/glyphs.json` is missing.
 * @throws {MalformedInputError} when it is not the expected JSON.
 */
export function glyphSet(): GlyphSet {
  if (loaded) return loaded;
  let text: string;
  try {
    text = readFileSync(GLYPHS_URL, 'utf8');
  } catch (err) {
    throw new IoError(
      said(
        'err.lbl.cannotReadBundledGlyphs',
        'cannot read the bundled glyphs (assets/glyphs.json); regenerate with scripts/build-glyphs.ts',
      ),
      GLYPHS_URL.pathname,
      {
        cause: err,
      },
    );
  }
  let raw: { font?: unknown; unitsPerEm?: unknown; ascender?: unknown; descender?: unknown; glyphs?: Record<string, GlyphOutline> };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch (err) {
    throw new MalformedInputError('glyphs.json', said('err.lbl.notJSON', 'not JSON'), undefined, { cause: err });
  }
  if (typeof raw.unitsPerEm !== 'number' || typeof raw.glyphs !== 'object' || raw.glyphs === null) {
    throw new MalformedInputError('glyphs.json', said('err.lbl.missingUnitsPerEmGlyphs', 'missing unitsPerEm or glyphs'));
  }
  const glyphs = new Map<string, GlyphOutline>();
  for (const [ch, g] of Object.entries(raw.glyphs)) {
    if (typeof g?.adv !== 'number' || typeof g.d !== 'string')
      throw new MalformedInputError('glyphs.json', said('err.lbl.badGlyph', 'bad glyph {v1}', { v1: JSON.stringify(ch) }));
    glyphs.set(ch, g);
  }
  loaded = {
    font: String(raw.font ?? 'unknown'),
    unitsPerEm: raw.unitsPerEm,
    ascender: Number(raw.ascender ?? raw.unitsPerEm),
    descender: Number(raw.descender ?? 0),
    glyphs,
  };
  return loaded;
}

/** Every character the renderer can draw, as one string. */
export function supportedCharacters(): string {
  return [...glyphSet().glyphs.keys()].join('');
}

/** A glyph placed on the line. */
export interface PlacedGlyph {
  readonly char: string;
  /** Pen position (font units) of the glyph origin. */
  readonly x: number;
  readonly glyph: GlyphOutline;
}

/** A laid-out single line of text, in font units (y up). */
export interface TextLayout {
  readonly glyphs: readonly PlacedGlyph[];
  /** Union of the glyph ink boxes. */
  readonly ink: { readonly xMin: number; readonly yMin: number; readonly xMax: number; readonly yMax: number };
}

/**
 * Lay `text` out on one line with the glyphs' advance widths.
 * @throws {InvalidArgumentError} when a character has no bundled glyph (naming the characters), or
 *   the text has no visible ink.
 */
export function layoutText(text: string): TextLayout {
  const set = glyphSet();
  const missing = [...new Set([...text].filter((ch) => !set.glyphs.has(ch)))];
  if (missing.length) {
    throw new InvalidArgumentError(
      said(
        'err.lbl.expectedCharactersWithBundled',
        'Expected characters with bundled glyphs for label text but received {v1}: no glyph for {v2} (supported: ASCII, common CJK punctuation and {v3})',
        { v1: JSON.stringify(text), v2: missing.map((c) => JSON.stringify(c)).join(', '), v3: supportedCjk(set) },
      ),
    );
  }
  const glyphs: PlacedGlyph[] = [];
  let pen = 0;
  const ink = { xMin: Infinity, yMin: Infinity, xMax: -Infinity, yMax: -Infinity };
  for (const char of text) {
    const glyph = set.glyphs.get(char)!;
    glyphs.push({ char, x: pen, glyph });
    if (glyph.bbox) {
      ink.xMin = Math.min(ink.xMin, pen + glyph.bbox[0]);
      ink.yMin = Math.min(ink.yMin, glyph.bbox[1]);
      ink.xMax = Math.max(ink.xMax, pen + glyph.bbox[2]);
      ink.yMax = Math.max(ink.yMax, glyph.bbox[3]);
    }
    pen += glyph.adv;
  }
  if (!(ink.xMax > ink.xMin && ink.yMax > ink.yMin))
    throw InvalidArgumentError.expected('text with visible characters', 'label text', text);
  return { glyphs, ink };
}

function supportedCjk(set: GlyphSet): string {
  return [...set.glyphs.keys()].filter((c) => c.codePointAt(0)! >= 0x4e00).join('');
}
