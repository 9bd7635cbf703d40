/**
 * The labelled XMP of a JPEG as APP1 segments. A packet fits one segment (65 502 bytes after
 * the namespace header) in nearly every file; when a merged packet does not:
 *
 * 1. its padding (the whitespace before `<?xpacket end`, there for in-place editing) is dropped;
 * 2. if it is still too large, it is split as XMP Part 3 §1.1.3.1 describes: a small main
 *    packet carries our label properties and `xmpNote:HasExtendedXMP` = the GUID, and the
 *    rest of the packet (labels stripped, wrapper removed) becomes Extended XMP: APP1
 *    segments `http://ns.adobe.com/xmp/extension/\0` ‖ GUID (32 ASCII hex, the MD5 of the
 *    extended packet) ‖ u32 full length ‖ u32 offset ‖ a chunk of the packet.
 *
 * A packet that already points at Extended XMP and still overflows is refused with
 * `LimitExceededError('JPEG_XMP_MAX_BYTES')`: merging two extended packets is not done.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { LimitExceededError, said } from '../errors.ts';
import { emptyXmpPacket } from '../labels/implicit/xmp.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { app1Segment, MAX_SEGMENT_PAYLOAD, XMP_EXT_HEADER, XMP_HEADER } from './jpeg-segments.ts';
import { encodeXmp, mergeXmp, stripXmp } from './common/xmp-packet.ts';

/** Largest XMP packet that fits one APP1 segment after the namespace header. */
export const JPEG_XMP_MAX_BYTES = MAX_SEGMENT_PAYLOAD - XMP_HEADER.length;
/** Bytes of Extended XMP per APP1 segment (after the header, GUID, length and offset). */
export const JPEG_XMP_EXT_CHUNK = MAX_SEGMENT_PAYLOAD - XMP_EXT_HEADER.length - 40;
/** Namespace of `xmpNote:HasExtendedXMP`. */
export const XMP_NOTE_NS = 'http://ns.adobe.com/xmp/note/';

const PADDING = /[ \t\r\n]+(<\?xpacket\s+end\s*=)/;
const WRAPPER_START = /^\s*<\?xpacket\s[^?]*\?>\s*/;
const WRAPPER_END = /\s*<\?xpacket\s+end\s*=[^?]*\?>\s*$/;

/** `xmp` without the whitespace padding before its closing `<?xpacket end…?>`. */
export function dropXmpPadding(xmp: string): string {
  return xmp.replace(PADDING, '\n$1');
}

/** Uppercase hex of bytes. */
function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s.toUpperCase();
}

function u32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/**
 * The APP1 segments of `merged` (the file's packet with our labels merged in). `original` is
 * the packet before merging (undefined when the file had none), used for the split.
 * @throws {LimitExceededError} ('JPEG_XMP_MAX_BYTES') when the packet cannot be made to fit.
 * @throws {MalformedInputError} when a packet cannot be edited safely.
 */
export function jpegXmpSegments(merged: string, original: string | undefined, labels: ImplicitLabels): Uint8Array[] {
  let body = encodeXmp(merged);
  if (body.length <= JPEG_XMP_MAX_BYTES) return [app1Segment(XMP_HEADER, body)];
  body = encodeXmp(dropXmpPadding(merged));
  if (body.length <= JPEG_XMP_MAX_BYTES) return [app1Segment(XMP_HEADER, body)];
  const rest = original === undefined ? '' : stripXmp(original, labels);
  if (rest.includes(XMP_NOTE_NS) && /HasExtendedXMP/.test(rest)) {
    throw new LimitExceededError(
      'JPEG_XMP_MAX_BYTES',
      said('err.fmt.xmpPacketBytesDoes', 'XMP packet of {v1} bytes does not fit one APP1 segment and already has Extended XMP', {
        v1: body.length,
      }),
    );
  }
  const extended = encodeXmp(rest.replace(WRAPPER_START, '').replace(WRAPPER_END, '\n'));
  const guid = hex(md5(extended));
  const main = mergeXmp(
    emptyXmpPacket().replace(
      ' </rdf:RDF>',
      ` <rdf:Description rdf:about="" xmlns:xmpNote="${XMP_NOTE_NS}">\n   <xmpNote:HasExtendedXMP>${guid}</xmpNote:HasExtendedXMP>\n  </rdf:Description>\n </rdf:RDF>`,
    ),
    labels,
  );
  const mainBody = encodeXmp(main);
  if (mainBody.length > JPEG_XMP_MAX_BYTES) {
    throw new LimitExceededError(
      'JPEG_XMP_MAX_BYTES',
      said('err.fmt.labelAloneBytesXMP', 'the label alone ({v1} bytes of XMP) does not fit one APP1 segment', { v1: mainBody.length }),
    );
  }
  const segments = [app1Segment(XMP_HEADER, mainBody)];
  const head = new Uint8Array(40);
  head.set(new TextEncoder().encode(guid), 0);
  head.set(u32(extended.length), 32);
  for (let off = 0; off < extended.length; off += JPEG_XMP_EXT_CHUNK) {
    head.set(u32(off), 36);
    const chunk = extended.subarray(off, Math.min(extended.length, off + JPEG_XMP_EXT_CHUNK));
    const seg = new Uint8Array(head.length + chunk.length);
    seg.set(head, 0);
    seg.set(chunk, head.length);
    segments.push(app1Segment(XMP_EXT_HEADER, seg));
  }
  return segments;
}
