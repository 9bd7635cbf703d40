/** Unit rules: label text, glyph coverage, contrast choice, placement/orientation maps, Morse timing, JPEG quality. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { InvalidArgumentError, MalformedInputError } from '../../src/errors.ts';
import { chooseLabelColors, contrastRatio, relativeLuminance, MIN_CONTRAST_RATIO } from '../../src/labels/explicit/contrast.ts';
import { layoutText, supportedCharacters } from '../../src/labels/explicit/glyphs.ts';
import { estimateJpegQuality, readQuantTables, scaledTable } from '../../src/labels/explicit/jpeg-quality.ts';
import { MAX_LABEL_INK_PX, labelSvg, measureLabel, rasterizeLabel } from '../../src/labels/explicit/label-raster.ts';
import {
  amplitudeForLoudness,
  kWeightingGainDb,
  morseSegments,
  morseUnits,
  sineLoudness,
  synthesizeCue,
} from '../../src/labels/explicit/morse.ts';
import {
  displayBoxToStored,
  displaySize,
  displayToStored,
  orientLabel,
  placeLabel,
  storedToDisplay,
} from '../../src/labels/explicit/placement.ts';
import { DEFAULT_LABEL_TEXT, MAX_LABEL_TEXT_LENGTH, checkLabelText, validateLabelText } from '../../src/labels/explicit/text.ts';

describe('label text (GB 45438 §5.1 elements)', () => {
  it.each(['AI生成', 'AI合成', '人工智能生成', '由人工智能合成', 'AI 生成内容', 'ai生成', 'AIGC生成'])('accepts %s', (t) => {
    expect(validateLabelText(t)).toBe(t);
  });
  it.each([
    ['生成内容', /AI element/],
    ['AI', /generation element/],
    ['人工生成', /AI element/],
    ['MAIL合成', /AI element/],
    ['', /non-empty/],
    ['  ', /non-empty/],
    ['Artificial', /AI element.*generation element/],
  ])('refuses %j', (t, msg) => {
    expect(() => validateLabelText(t)).toThrow(InvalidArgumentError);
    expect(() => validateLabelText(t)).toThrow(msg);
  });
  it('defaults, normalises whitespace, caps the length', () => {
    expect(validateLabelText(undefined)).toBe(DEFAULT_LABEL_TEXT);
    expect(validateLabelText('  AI   生成 ')).toBe('AI 生成');
    expect(() => validateLabelText(42)).toThrow(/Expected a string for label text but received number 42/);
    const atMax = `AI生成${'内'.repeat(MAX_LABEL_TEXT_LENGTH - 4)}`;
    expect(validateLabelText(atMax)).toBe(atMax);
    expect(() => validateLabelText(`${atMax}内`)).toThrow(InvalidArgumentError);
    expect(checkLabelText('AI合成')).toEqual({ hasAiElement: true, hasGenerationElement: true });
  });
});

describe('bundled glyphs', () => {
  it('cover ASCII, digits, punctuation and the label vocabulary', () => {
    const all = supportedCharacters();
    for (const ch of 'ABCXYZabcxyz0123456789.,:;!?()-"\'/人工智能生成合成内容由本') expect(all).toContain(ch);
  });
  it('give distinct outlines to distinct characters', () => {
    const { glyphs } = layoutText('AI生成人工智能合内容由');
    expect(new Set(glyphs.map((g) => g.glyph.d)).size).toBe(glyphs.length);
  });
  it('refuse characters without a glyph, naming them', () => {
    expect(() => layoutText('AI生成😀')).toThrow(/no glyph for "😀"/);
    expect(() => layoutText('AI生成😀')).toThrow(InvalidArgumentError);
  });
  it('draw text as paths only — no <text>, so no system font or fontconfig is consulted', () => {
    const svg = labelSvg(measureLabel('AI生成', 40), chooseLabelColors(0.5));
    expect(svg).not.toMatch(/<text|font-family|@font-face/);
    expect(svg.match(/<path /g)).toHaveLength(4);
  });
  it('rasterise with exactly the requested ink height', async () => {
    const colors = chooseLabelColors(1);
    for (const ink of [12, 37, 180]) {
      const r = await rasterizeLabel('AI生成', ink, colors);
      let top = -1,
        bottom = -1;
      for (let y = 0; y < r.height; y++) {
        let inked = false;
        for (let x = r.textBox.x; x < r.textBox.x + r.textBox.w && !inked; x++) inked = r.rgba[(y * r.width + x) * 4] > 128; // white text on dark plate
        if (inked) {
          if (top < 0) top = y;
          bottom = y;
        }
      }
      expect(bottom - top + 1).toBeGreaterThanOrEqual(ink - 1);
      expect(bottom - top + 1).toBeLessThanOrEqual(ink);
    }
    expect(() => measureLabel('AI生成', 3)).toThrow(InvalidArgumentError);
    expect(measureLabel('AI生成', MAX_LABEL_INK_PX).textBox.h).toBe(MAX_LABEL_INK_PX);
    expect(() => measureLabel('AI生成', MAX_LABEL_INK_PX + 1)).toThrow(InvalidArgumentError);
  });
});

describe('contrast (WCAG)', () => {
  it('computes luminance and ratios', () => {
    expect(relativeLuminance({ r: 255, g: 255, b: 255 })).toBeCloseTo(1, 6);
    expect(contrastRatio(1, 0)).toBeCloseTo(21, 6);
    expect(contrastRatio(relativeLuminance({ r: 0x76, g: 0x76, b: 0x76 }), 1)).toBeCloseTo(4.54, 1);
  });
  it('picks the plate that stands out and keeps ≥ 4.5:1 in the worst case', () => {
    for (let l = 0; l <= 1; l += 0.05) {
      const c = chooseLabelColors(l);
      expect(c.worstContrast).toBeGreaterThanOrEqual(MIN_CONTRAST_RATIO);
      expect(c.scheme).toBe(l > 0.2 ? 'dark-plate' : c.scheme);
    }
    expect(chooseLabelColors(1).scheme).toBe('dark-plate');
    expect(chooseLabelColors(0).scheme).toBe('light-plate');
  });
});

describe('placement and EXIF orientation', () => {
  it('places every position inside the frame with the margin', () => {
    expect(placeLabel(800, 600, 100, 40, 'bottom-right', 10)).toEqual({ x: 690, y: 550, w: 100, h: 40 });
    expect(placeLabel(800, 600, 100, 40, 'top', 10)).toEqual({ x: 350, y: 10, w: 100, h: 40 });
    expect(placeLabel(800, 600, 100, 40, 'left', 10)).toEqual({ x: 10, y: 280, w: 100, h: 40 });
    expect(() => placeLabel(100, 100, 90, 40, 'top', 10)).toThrow(InvalidArgumentError);
  });
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i: display↔stored maps are inverse bijections', (o) => {
    const W = 7,
      H = 5;
    const { width, height } = displaySize(W, H, o);
    const seen = new Set<string>();
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const [X, Y] = storedToDisplay(x, y, W, H, o);
        expect(X >= 0 && X < width && Y >= 0 && Y < height).toBe(true);
        expect(displayToStored(X, Y, W, H, o)).toEqual([x, y]);
        seen.add(`${X},${Y}`);
      }
    expect(seen.size).toBe(W * H);
  });
  it("matches sharp's autoOrient for every orientation", async () => {
    const W = 6,
      H = 4;
    const raw = Buffer.alloc(W * H * 3);
    for (let i = 0; i < W * H; i++) raw[i * 3] = i * 10;
    for (let o = 1; o <= 8; o++) {
      const png = await sharp(raw, { raw: { width: W, height: H, channels: 3 } })
        .png()
        .withMetadata({ orientation: o })
        .toBuffer();
      const { data, info } = await sharp(png).autoOrient().raw().toBuffer({ resolveWithObject: true });
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const [X, Y] = storedToDisplay(x, y, W, H, o);
          expect(data[(Y * info.width + X) * info.channels]).toBe(raw[(y * W + x) * 3]);
        }
    }
  });
  it('re-maps a label into stored pixels', () => {
    const box = { x: 2, y: 1, w: 3, h: 2 };
    const rgba = Buffer.from(Array.from({ length: 24 }, (_, i) => i));
    const { box: s } = orientLabel(rgba, box, 6, 8, 6);
    expect(s).toEqual(displayBoxToStored(box, 6, 8, 6));
    expect([s.w, s.h]).toEqual([2, 3]);
  });
});

describe('Morse "AI" rhythm', () => {
  it('follows standard timing', () => {
    expect(morseSegments('.- ..')).toEqual([
      { on: true, units: 1 },
      { on: false, units: 1 },
      { on: true, units: 3 },
      { on: false, units: 3 },
      { on: true, units: 1 },
      { on: false, units: 1 },
      { on: true, units: 1 },
    ]);
    expect(morseUnits()).toBe(11);
    expect(() => morseSegments('.-  ..')).toThrow(InvalidArgumentError);
  });
  it('synthesises the envelope sample-exactly with soft edges', () => {
    const sr = 8000,
      unit = 800;
    const pcm = synthesizeCue({ sampleRate: sr, channels: 2, amplitude: 0.5, tailUnits: 7 });
    expect(pcm.length).toBe(18 * unit * 2);
    const env = (from: number, to: number) => {
      let m = 0;
      for (let i = from; i < to; i++) m = Math.max(m, Math.abs(pcm[i * 2]));
      return m;
    };
    expect(env(0, unit)).toBeGreaterThan(0.45);
    expect(env(unit, 2 * unit)).toBe(0);
    expect(env(2 * unit, 5 * unit)).toBeGreaterThan(0.45);
    expect(env(5 * unit, 8 * unit)).toBe(0);
    expect(env(11 * unit, 18 * unit)).toBe(0);
    expect(Math.abs(pcm[0])).toBe(0);
    expect(pcm[1]).toBe(pcm[0]);
  });
  it('matches BS.1770 loudness arithmetic', () => {
    expect(kWeightingGainDb(997)).toBeCloseTo(0.691, 2);
    const a = amplitudeForLoudness(-23, 2);
    expect(sineLoudness(a, 2)).toBeCloseTo(-23, 6);
    expect(amplitudeForLoudness(10, 1)).toBeCloseTo(10 ** (-1 / 20), 6);
  });
});

describe('JPEG quality estimate', () => {
  it.each([30, 50, 75, 92, 100])('recovers IJG quality %i from the tables', async (q) => {
    const jpg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
      .jpeg({ quality: q })
      .toBuffer();
    const est = estimateJpegQuality(await readQuantTables(new BufferSource(jpg)));
    expect(est?.quality).toBe(q);
    expect(est?.error).toBe(0);
  });
  it('scales tables like IJG and rejects garbage', async () => {
    expect(scaledTable([16, 255], 50)).toEqual([16, 255]);
    expect(scaledTable([16, 11], 100)).toEqual([1, 1]);
    await expect(readQuantTables(new BufferSource(new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x50])))).rejects.toBeInstanceOf(
      MalformedInputError,
    );
    await expect(readQuantTables(new BufferSource(new Uint8Array([0x89, 0x50])))).rejects.toBeInstanceOf(MalformedInputError);
  });
});
