/**
 * The input's metadata carried over to an image re-encoded from decoded pixels (which carry
 * none): copied byte for byte, so the output has exactly what the input had, correctly formed
 * for its container, and nothing more.
 *
 * - JPEG: the APP0 JFIF segment (density), and every APP1 EXIF / XMP / Extended XMP, APP2
 *   ICC_PROFILE and APP13 Photoshop (IPTC) segment, in the input's order, after SOI. Other
 *   segments (APP11 C2PA stores, APP14 Adobe colour transform, MPF) describe the old encoding
 *   or are written later, and are not copied.
 * - PNG: the `pHYs` chunk (density), after `IHDR`.
 */
import { MAX_SEGMENTS } from '../../binary/limits.ts';
import { concatBytes } from '../../binary/bytes.ts';
import { MalformedInputError, said } from '../../errors.ts';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const startsWith = (b: Uint8Array, prefix: Uint8Array, at: number): boolean =>
  at + prefix.length <= b.length && prefix.every((v, i) => b[at + i] === v);

interface Segment {
  readonly marker: number;
  readonly start: number;
  readonly end: number;
}

const SOS = 0xda,
  EOI = 0xd9;
const JFIF = latin1('JFIF\0');
const KEPT: readonly [marker: number, header: Uint8Array][] = [
  [0xe1, latin1('Exif\0\0')],
  [0xe1, latin1('http://ns.adobe.com/xap/1.0/\0')],
  [0xe1, latin1('http://ns.adobe.com/xmp/extension/\0')],
  [0xe2, latin1('ICC_PROFILE\0')],
  [0xed, latin1('Photoshop 3.0\0')],
];

/**
 * The marker segments from SOI to the first SOS (or EOI); `scan` is where that marker starts.
 * @throws {MalformedInputError} for a JPEG whose header cannot be walked, or more than MAX_SEGMENTS markers.
 */
function walk(b: Uint8Array): { segments: Segment[]; scan: number } {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8)
    throw new MalformedInputError('jpeg', said('err.lbl.missingSOIMarker', 'missing SOI marker'), 0);
  const segments: Segment[] = [];
  let pos = 2;
  for (let n = 0; n < MAX_SEGMENTS; n++) {
    while (pos + 1 < b.length && b[pos] === 0xff && b[pos + 1] === 0xff) pos++;
    if (pos + 1 >= b.length || b[pos] !== 0xff)
      throw new MalformedInputError('jpeg', said('err.lbl.expectedMarker', 'expected a marker'), pos);
    const marker = b[pos + 1]!;
    if (marker === SOS || marker === EOI) return { segments, scan: pos };
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (pos + 4 > b.length)
      throw new MalformedInputError('jpeg', said('err.lbl.truncatedSegmentLength', 'truncated segment length'), pos + 2);
    const end = pos + 2 + ((b[pos + 2]! << 8) | b[pos + 3]!);
    if (end < pos + 4 || end > b.length)
      throw new MalformedInputError('jpeg', said('err.lbl.segmentRunsPastEnd', 'segment runs past the end of the file'), pos + 2);
    segments.push({ marker, start: pos, end });
    pos = end;
  }
  throw new MalformedInputError(
    'jpeg',
    said('err.lbl.moreMarkersBeforeScan', 'more than {MAX_SEGMENTS} markers before the scan', { MAX_SEGMENTS }),
    pos,
  );
}

const isJfif = (b: Uint8Array, s: Segment): boolean => s.marker === 0xe0 && startsWith(b, JFIF, s.start + 4);
const isKept = (b: Uint8Array, s: Segment): boolean => KEPT.some(([m, h]) => s.marker === m && startsWith(b, h, s.start + 4));

/**
 * `output` (a JPEG just encoded from pixels) with the input's JFIF and metadata segments.
 * @throws {MalformedInputError} when either JPEG's header cannot be walked.
 */
export function copyJpegMetadata(input: Uint8Array, output: Uint8Array): Uint8Array {
  const src = walk(input).segments;
  const out = walk(output);
  const jfif = src.find((s) => isJfif(input, s));
  const pieces: Uint8Array[] = [output.subarray(0, 2)];
  const outJfif = out.segments.find((s) => isJfif(output, s));
  if (jfif) pieces.push(input.subarray(jfif.start, jfif.end));
  else if (outJfif) pieces.push(output.subarray(outJfif.start, outJfif.end));
  for (const s of src) if (isKept(input, s)) pieces.push(input.subarray(s.start, s.end));
  for (const s of out.segments) if (s !== outJfif && !isKept(output, s)) pieces.push(output.subarray(s.start, s.end));
  pieces.push(output.subarray(out.scan));
  return concatBytes(pieces);
}

const PNG_SIGNATURE_BYTES = 8;
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const type = (b: Uint8Array, at: number): string => String.fromCharCode(b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);

/**
 * The chunks of a PNG as [type, start, end] (start at the length field, end past the CRC).
 * @throws {MalformedInputError} for a chunk that runs past the end.
 */
function pngChunks(b: Uint8Array): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (let at = PNG_SIGNATURE_BYTES, n = 0; at + 12 <= b.length; n++) {
    if (n >= MAX_SEGMENTS)
      throw new MalformedInputError('png', said('err.lbl.moreChunks', 'more than {MAX_SEGMENTS} chunks', { MAX_SEGMENTS }), at);
    const end = at + 12 + u32(b, at);
    if (end > b.length) throw new MalformedInputError('png', said('err.lbl.chunkRunsPastEnd', 'chunk runs past the end of the file'), at);
    out.push([type(b, at), at, end]);
    if (type(b, at) === 'IEND') break;
    at = end;
  }
  return out;
}

/**
 * `output` (a PNG just encoded from pixels) with the input's `pHYs` chunk (density), if any.
 * @throws {MalformedInputError} when either PNG's chunks cannot be walked.
 */
export function copyPngDensity(input: Uint8Array, output: Uint8Array): Uint8Array {
  const phys = pngChunks(input).find(([t]) => t === 'pHYs');
  if (!phys) return output;
  const chunks = pngChunks(output);
  const ihdr = chunks.find(([t]) => t === 'IHDR');
  if (!ihdr) throw new MalformedInputError('png', said('err.lbl.noIHDRChunk', 'no IHDR chunk'), PNG_SIGNATURE_BYTES);
  const pieces: Uint8Array[] = [output.subarray(0, ihdr[2]), input.subarray(phys[1], phys[2])];
  for (const [t, start, end] of chunks) if (t !== 'IHDR' && t !== 'pHYs') pieces.push(output.subarray(start, end));
  return concatBytes(pieces);
}
