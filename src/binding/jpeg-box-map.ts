/**
 * The JPEG "boxes" of `c2pa.hash.boxes`, named and cut as c2pa-rs cuts them: `SOI`, each
 * marker segment by its marker name (`APP0`…`APP15`, `DQT`, `DHT`, `SOF0`…, `DRI`, `COM`,
 * ...), `SOS` together with its entropy-coded data (restart markers included, up to the next
 * other marker), `EOI`, and `C2PA` for the run of APP11 JPEG-XT segments that carry the
 * manifest store (one entry however many segments). Bytes after `EOI` are not a box.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_SEGMENTS } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { C2PA_BOX_NAME } from '../manifest/assertions/box-hash.ts';

/** One named box: `[start, start + length)` of the file. */
export interface NamedBox {
  readonly name: string;
  readonly start: number;
  length: number;
}

const SCAN_CHUNK = 64 * 1024;

function markerName(m: number): string {
  if (m >= 0xe0 && m <= 0xef) return `APP${m - 0xe0}`;
  if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return `SOF${m - 0xc0}`;
  if (m >= 0xd0 && m <= 0xd7) return `RST${m - 0xd0}`;
  if (m >= 0xf0 && m <= 0xfd) return `JPG${m - 0xf0}`;
  const named = new Map<number, string>([
    [0xc4, 'DHT'],
    [0xc8, 'JPG'],
    [0xcc, 'DAC'],
    [0xd8, 'SOI'],
    [0xd9, 'EOI'],
    [0xda, 'SOS'],
    [0xdb, 'DQT'],
    [0xdd, 'DRI'],
    [0xfe, 'COM'],
  ]);
  return named.get(m) ?? `0x${m.toString(16)}`;
}

/** End of the entropy-coded data starting at `at`: the next marker that is not RSTn or a stuffed 0xFF00. */
async function entropyEnd(src: ByteSource, at: number): Promise<number> {
  let pos = at;
  while (pos < src.size) {
    const n = Math.min(SCAN_CHUNK, src.size - pos);
    const buf = await src.read(pos, n);
    for (let i = 0; i < buf.length - 1; i++) {
      if (buf[i] !== 0xff) continue;
      const next = buf[i + 1]!;
      if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) return pos + i;
    }
    if (pos + n >= src.size) break;
    pos += n - 1; // a marker may straddle chunks
  }
  return src.size;
}

/**
 * Cut a JPEG into its named boxes.
 * @throws {MalformedInputError} when a segment runs past the end or a marker is missing.
 * @throws {LimitExceededError} past `MAX_SEGMENTS`.
 */
export async function jpegBoxMap(src: ByteSource): Promise<NamedBox[]> {
  const boxes: NamedBox[] = [];
  let c2pa: NamedBox | undefined;
  let c2paEn = -1;
  let at = 0;
  while (at + 2 <= src.size) {
    if (boxes.length >= MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.bind.moreJPEGSegments', 'more than {MAX_SEGMENTS} JPEG segments', { MAX_SEGMENTS }),
      );
    const h = await src.read(at, Math.min(4, src.size - at));
    if (h[0] !== 0xff) throw new MalformedInputError('jpeg', said('err.bind.expectedJPEGMarker', 'expected a JPEG marker'), at);
    const m = h[1]!;
    if (m === 0xff) {
      // fill bytes: skip the whole run in one read per SCAN_CHUNK
      const run = await src.read(at + 1, Math.min(SCAN_CHUNK, src.size - at - 1));
      const k = run.findIndex((b) => b !== 0xff);
      at += k < 0 ? run.length : k;
      continue;
    }
    if (m === 0xd8 || m === 0xd9 || (m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      if (!(m >= 0xd0 && m <= 0xd7)) boxes.push({ name: markerName(m), start: at, length: 2 });
      at += 2;
      if (m === 0xd9) break;
      continue;
    }
    if (h.length < 4) throw new MalformedInputError('jpeg', said('err.bind.segmentLengthTruncated', 'segment length truncated'), at);
    const len = (h[2]! << 8) | h[3]!;
    const end = at + 2 + len;
    if (len < 2 || end > src.size)
      throw new MalformedInputError(
        'jpeg',
        said('err.bind.segmentRunsPastEnd', 'segment {v1} runs past the end of the file', { v1: markerName(m) }),
        at,
      );
    if (m === 0xeb && len - 2 > 16) {
      const d = await src.read(at + 4, Math.min(28, len - 2));
      const en = (d[2]! << 8) | d[3]!;
      if (c2pa && en === c2paEn && boxes.at(-1) === c2pa) {
        c2pa.length = end - c2pa.start;
        at = end;
        continue;
      }
      if (d.length >= 28 && d[24] === 0x63 && d[25] === 0x32 && d[26] === 0x70 && d[27] === 0x61) {
        c2pa = { name: C2PA_BOX_NAME, start: at, length: end - at };
        c2paEn = en;
        boxes.push(c2pa);
        at = end;
        continue;
      }
    }
    if (m === 0xda) {
      const stop = await entropyEnd(src, end);
      boxes.push({ name: 'SOS', start: at, length: stop - at });
      at = stop;
      continue;
    }
    boxes.push({ name: markerName(m), start: at, length: end - at });
    at = end;
  }
  return boxes;
}
