/**
 * Build `assets/glyphs.json`: the outlines (SVG path data, font units, y up) of the glyphs the
 * explicit-label renderer may draw, extracted from Noto Sans SC Bold (SIL OFL 1.1) so that labels
 * render identically on machines without any CJK system font.
 *
 * The font is NOT a dependency of the project (the npm package is ~73 MB). To regenerate:
 *
 *   cd /tmp && npm pack @fontsource/noto-sans-sc@5.3.0 && tar xzf fontsource-noto-sans-sc-5.3.0.tgz
 *   npx tsx scripts/build-glyphs.ts --font-dir /tmp/package/files
 *
 * (or install `@fontsource/noto-sans-sc` and run it without `--font-dir`). The script reads the
 * WOFF 1.0 subsets of one weight with its own minimal WOFF / sfnt / cmap / glyf reader.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The characters bundled: printable ASCII, common CJK punctuation and the label vocabulary. */
export const GLYPH_CHARSET = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...'，。、：；！？（）「」《》·—…“”',
  ...'人工智能生成合成内容由本图像片视频音声文字经技术深度为此该含有可能疑似标识提示注意警告非真实机器模型算法虚拟数',
].join('');

/** Where the result goes. */
export const GLYPHS_OUT = fileURLToPath(new URL('../assets/glyphs.json', import.meta.url));

interface Glyph {
  adv: number;
  bbox: [number, number, number, number] | null;
  d: string;
}
interface Point {
  x: number;
  y: number;
  on: boolean;
}
type Contour = Point[];

/** Minimal reader of one WOFF 1.0 font: tables inflated on demand. */
class WoffFont {
  private readonly tables = new Map<string, { off: number; comp: number; orig: number }>();
  private readonly cache = new Map<string, DataView>();
  constructor(
    private readonly buf: Uint8Array,
    private readonly name: string,
  ) {
    const v = view(buf);
    if (buf.length < 44 || v.getUint32(0) !== 0x774f4646) fail(name, 'not a WOFF 1.0 file');
    if (v.getUint32(4) !== 0x00010000) fail(name, 'not a TrueType-flavoured WOFF (CFF is not supported)');
    const n = v.getUint16(12);
    if (44 + n * 20 > buf.length) fail(name, 'table directory truncated');
    for (let i = 0; i < n; i++) {
      const at = 44 + i * 20;
      const tag = String.fromCharCode(...buf.subarray(at, at + 4));
      const off = v.getUint32(at + 4),
        comp = v.getUint32(at + 8),
        orig = v.getUint32(at + 12);
      if (off + comp > buf.length) fail(name, `table ${tag} runs past the end`);
      this.tables.set(tag, { off, comp, orig });
    }
  }
  table(tag: string): DataView {
    const hit = this.cache.get(tag);
    if (hit) return hit;
    const t = this.tables.get(tag);
    if (!t) fail(this.name, `missing table ${tag}`);
    const raw = this.buf.subarray(t.off, t.off + t.comp);
    const data = t.comp < t.orig ? new Uint8Array(inflateSync(raw)) : raw;
    if (data.length !== t.orig) fail(this.name, `table ${tag} inflates to ${data.length}, expected ${t.orig}`);
    const dv = view(data);
    this.cache.set(tag, dv);
    return dv;
  }
  get unitsPerEm(): number {
    return this.table('head').getUint16(18);
  }
  get ascender(): number {
    return this.table('hhea').getInt16(4);
  }
  get descender(): number {
    return this.table('hhea').getInt16(6);
  }

  /** Unicode code point → glyph id, from a format 4 or 12 subtable. */
  cmap(): Map<number, number> {
    const c = this.table('cmap');
    const n = c.getUint16(2);
    let best = -1,
      bestFormat = 0;
    for (let i = 0; i < n; i++) {
      const pid = c.getUint16(4 + i * 8),
        eid = c.getUint16(6 + i * 8),
        off = c.getUint32(8 + i * 8);
      const format = c.getUint16(off);
      const unicode = pid === 0 || (pid === 3 && (eid === 1 || eid === 10));
      if (unicode && (format === 12 || (format === 4 && bestFormat !== 12))) {
        best = off;
        bestFormat = format;
      }
    }
    if (best < 0) fail(this.name, 'no Unicode cmap subtable of format 4 or 12');
    const map = new Map<number, number>();
    if (bestFormat === 12) {
      const groups = c.getUint32(best + 12);
      for (let g = 0; g < groups; g++) {
        const at = best + 16 + g * 12;
        const start = c.getUint32(at),
          end = c.getUint32(at + 4),
          gid = c.getUint32(at + 8);
        for (let cp = start; cp <= end && cp - start < 0x10000; cp++) map.set(cp, gid + cp - start);
      }
      return map;
    }
    const segX2 = c.getUint16(best + 6);
    const ends = best + 14,
      starts = ends + segX2 + 2,
      deltas = starts + segX2,
      ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const end = c.getUint16(ends + s),
        start = c.getUint16(starts + s);
      const delta = c.getInt16(deltas + s),
        ro = c.getUint16(ranges + s);
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let gid: number;
        if (ro === 0) gid = (cp + delta) & 0xffff;
        else {
          const g = c.getUint16(ranges + s + ro + (cp - start) * 2);
          gid = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (gid) map.set(cp, gid);
      }
    }
    return map;
  }

  advance(gid: number): number {
    const nh = this.table('hhea').getUint16(34);
    return this.table('hmtx').getUint16(4 * Math.min(gid, nh - 1));
  }

  /** Contours of glyph `gid` (composites resolved), depth-capped. */
  contours(gid: number, depth = 0): Contour[] {
    if (depth > 8) fail(this.name, 'composite glyph nesting too deep');
    const longLoca = this.table('head').getInt16(50) === 1;
    const loca = this.table('loca');
    const start = longLoca ? loca.getUint32(gid * 4) : loca.getUint16(gid * 2) * 2;
    const end = longLoca ? loca.getUint32(gid * 4 + 4) : loca.getUint16(gid * 2 + 2) * 2;
    if (end === start) return [];
    const g = this.table('glyf');
    if (end > g.byteLength || end < start) fail(this.name, `glyph ${gid} outside glyf`);
    const nContours = g.getInt16(start);
    return nContours >= 0 ? simpleGlyph(g, start, nContours) : this.composite(g, start + 10, depth);
  }

  private composite(g: DataView, at: number, depth: number): Contour[] {
    const out: Contour[] = [];
    for (;;) {
      const flags = g.getUint16(at),
        gid = g.getUint16(at + 2);
      at += 4;
      if (!(flags & 2)) fail(this.name, 'composite glyphs positioned by point matching are not supported');
      let dx: number, dy: number;
      if (flags & 1) {
        dx = g.getInt16(at);
        dy = g.getInt16(at + 2);
        at += 4;
      } else {
        dx = g.getInt8(at);
        dy = g.getInt8(at + 1);
        at += 2;
      }
      let a = 1,
        b = 0,
        c = 0,
        d = 1;
      const f2 = (o: number) => g.getInt16(o) / 16384;
      if (flags & 8) {
        a = d = f2(at);
        at += 2;
      } else if (flags & 0x40) {
        a = f2(at);
        d = f2(at + 2);
        at += 4;
      } else if (flags & 0x80) {
        a = f2(at);
        b = f2(at + 2);
        c = f2(at + 4);
        d = f2(at + 6);
        at += 8;
      }
      for (const contour of this.contours(gid, depth + 1)) {
        out.push(contour.map((p) => ({ x: a * p.x + c * p.y + dx, y: b * p.x + d * p.y + dy, on: p.on })));
      }
      if (!(flags & 0x20)) return out;
    }
  }
}

function simpleGlyph(g: DataView, start: number, nContours: number): Contour[] {
  let at = start + 10;
  const endPts: number[] = [];
  for (let i = 0; i < nContours; i++) {
    endPts.push(g.getUint16(at));
    at += 2;
  }
  const nPoints = nContours ? endPts[nContours - 1] + 1 : 0;
  at += 2 + g.getUint16(at); // instructions
  const flags: number[] = [];
  while (flags.length < nPoints) {
    const f = g.getUint8(at++);
    flags.push(f);
    if (f & 8) {
      let r = g.getUint8(at++);
      while (r-- > 0) flags.push(f);
    }
  }
  const coords = (shortBit: number, sameBit: number): number[] => {
    const out: number[] = [];
    let v = 0;
    for (const f of flags) {
      if (f & shortBit) {
        const d = g.getUint8(at++);
        v += f & sameBit ? d : -d;
      } else if (!(f & sameBit)) {
        v += g.getInt16(at);
        at += 2;
      }
      out.push(v);
    }
    return out;
  };
  const xs = coords(2, 16),
    ys = coords(4, 32);
  const contours: Contour[] = [];
  let first = 0;
  for (const last of endPts) {
    const c: Contour = [];
    for (let i = first; i <= last; i++) c.push({ x: xs[i], y: ys[i], on: (flags[i] & 1) === 1 });
    contours.push(c);
    first = last + 1;
  }
  return contours;
}

/**
 * SVG path data for quadratic TrueType contours, plus the exact ink box (curve extrema
 * included, control points excluded), rounded outwards to font units.
 */
export function contoursToPath(contours: Contour[]): { d: string; bbox: Glyph['bbox'] } {
  const n = (v: number) => String(Math.round(v * 10) / 10);
  const parts: string[] = [];
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number) => {
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  };
  let pen = { x: 0, y: 0 };
  const quad = (c: { x: number; y: number }, e: { x: number; y: number }) => {
    add(e.x, e.y);
    for (const axis of ['x', 'y'] as const) {
      const den = pen[axis] - 2 * c[axis] + e[axis];
      const t = den === 0 ? -1 : (pen[axis] - c[axis]) / den;
      if (t > 0 && t < 1) {
        const at = (k: 'x' | 'y') => (1 - t) * (1 - t) * pen[k] + 2 * (1 - t) * t * c[k] + t * t * e[k];
        add(at('x'), at('y'));
      }
    }
    pen = e;
  };
  for (const c of contours) {
    if (c.length < 2) continue;
    const startIdx = c.findIndex((p) => p.on);
    // With no on-curve point, start at the implied midpoint of the first two off-curve points.
    const startPt = startIdx >= 0 ? c[startIdx] : { x: (c[0].x + c[1].x) / 2, y: (c[0].y + c[1].y) / 2, on: true };
    const seq = startIdx >= 0 ? [...c.slice(startIdx + 1), ...c.slice(0, startIdx)] : [...c.slice(1), c[0]];
    parts.push(`M${n(startPt.x)} ${n(startPt.y)}`);
    pen = startPt;
    add(pen.x, pen.y);
    let ctrl: Point | null = null;
    for (const p of [...seq, startPt]) {
      const closing = p === startPt;
      if (!closing && !p.on) {
        if (ctrl) {
          const mid = { x: (ctrl.x + p.x) / 2, y: (ctrl.y + p.y) / 2 };
          parts.push(`Q${n(ctrl.x)} ${n(ctrl.y)} ${n(mid.x)} ${n(mid.y)}`);
          quad(ctrl, mid);
        }
        ctrl = p;
        continue;
      }
      if (ctrl) {
        parts.push(`Q${n(ctrl.x)} ${n(ctrl.y)} ${n(p.x)} ${n(p.y)}`);
        quad(ctrl, p);
      } else if (!closing) {
        parts.push(`L${n(p.x)} ${n(p.y)}`);
        add(p.x, p.y);
        pen = p;
      }
      ctrl = null;
    }
    parts.push('Z');
  }
  const bbox =
    box[0] <= box[2]
      ? ([Math.floor(box[0]), Math.floor(box[1]), Math.ceil(box[2]), Math.ceil(box[3])] as [number, number, number, number])
      : null;
  return { d: parts.join(''), bbox };
}

/** Extract every glyph of `charset` from the WOFF files of `weight` in `fontDir`. */
export async function buildGlyphs(fontDir: string, weight = 700, charset = GLYPH_CHARSET): Promise<object> {
  const files = (await readdir(fontDir)).filter((f) => f.endsWith(`-${weight}-normal.woff`)).sort();
  if (!files.length) fail(fontDir, `no *-${weight}-normal.woff files`);
  const wanted = new Set(Array.from(charset, (ch) => ch.codePointAt(0)!));
  const glyphs: Record<string, Glyph> = {};
  let metrics: { unitsPerEm: number; ascender: number; descender: number } | undefined;
  for (const f of files) {
    if (!wanted.size) break;
    const font = new WoffFont(new Uint8Array(await readFile(path.join(fontDir, f))), f);
    const cmap = font.cmap();
    metrics ??= { unitsPerEm: font.unitsPerEm, ascender: font.ascender, descender: font.descender };
    for (const cp of [...wanted]) {
      const gid = cmap.get(cp);
      if (gid === undefined) continue;
      const contours = font.contours(gid);
      const { d, bbox } = contoursToPath(contours);
      glyphs[String.fromCodePoint(cp)] = { adv: font.advance(gid), bbox, d };
      wanted.delete(cp);
    }
  }
  if (wanted.size) fail(fontDir, `characters not found in the font: ${[...wanted].map((c) => String.fromCodePoint(c)).join('')}`);
  const ordered = Object.fromEntries(Array.from(charset, (ch) => [ch, glyphs[ch]]));
  return {
    font: `Noto Sans SC ${weight}`,
    source: '@fontsource/noto-sans-sc@5.3.0 (Google Noto Sans SC)',
    license: 'SIL Open Font License 1.1 (see assets/README.md)',
    coordinates: 'font units, y axis up, origin on the baseline at the pen position',
    ...metrics,
    glyphs: ordered,
  };
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
function fail(where: string, msg: string): never {
  throw new Error(`build-glyphs: ${where}: ${msg}`); // build-time script, not library code
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argAt = process.argv.indexOf('--font-dir');
  const fontDir =
    argAt > 0 ? process.argv[argAt + 1] : fileURLToPath(new URL('../node_modules/@fontsource/noto-sans-sc/files/', import.meta.url));
  const wAt = process.argv.indexOf('--weight');
  const json = await buildGlyphs(fontDir, wAt > 0 ? Number(process.argv[wAt + 1]) : 700);
  await writeFile(GLYPHS_OUT, `${JSON.stringify(json)}\n`);
  console.log(`wrote ${GLYPHS_OUT} (${Object.keys((json as { glyphs: object }).glyphs).length} glyphs)`);
}
