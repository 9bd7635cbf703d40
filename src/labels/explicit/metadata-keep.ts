/**
 * Metadata of a re-encoded image: the output carries what the input had, correctly formed
 * for its container, and nothing more. libvips' blanket "keep metadata" writes an EXIF block
 * even for an input without one (resolution, orientation), and writes a WebP `EXIF` chunk
 * that starts with the JPEG APP1 marker `Exif\0\0` (the WebP container wants the TIFF header
 * first: ffmpeg reports "invalid TIFF header in Exif data", exiftool "Improper EXIF header").
 */
import type { Metadata, Sharp } from 'sharp';

/**
 * Keep on `pipe` exactly the kinds of metadata the input has: EXIF, ICC profile, XMP. IPTC
 * (JPEG APP13) can only be kept together with everything else, so an input with IPTC keeps
 * all of it.
 */
export function keepInputMetadata(pipe: Sharp, meta: Metadata): Sharp {
  if (meta.iptc) return pipe.keepMetadata();
  if (meta.exif) pipe = pipe.keepExif();
  if (meta.icc) pipe = pipe.keepIccProfile();
  if (meta.xmp) pipe = pipe.keepXmp();
  return pipe;
}

const EXIF_APP1_PREFIX = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function putU32le(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

/**
 * A WebP whose `EXIF` chunk starts with `Exif\0\0` rewritten so the chunk starts with the
 * TIFF header (the 6 bytes dropped, chunk and RIFF sizes fixed). Any other input, including
 * one that is not a well-formed RIFF `WEBP`, is returned unchanged. Never throws.
 */
export function fixWebpExifHeader(webp: Uint8Array): Uint8Array {
  const ascii = (at: number) => String.fromCharCode(webp[at]!, webp[at + 1]!, webp[at + 2]!, webp[at + 3]!);
  if (webp.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WEBP') return webp;
  for (let at = 12; at + 8 <= webp.length; ) {
    const size = u32le(webp, at + 4);
    const next = at + 8 + size + (size & 1);
    if (next > webp.length) return webp;
    if (ascii(at) === 'EXIF' && size >= 6 && EXIF_APP1_PREFIX.every((b, i) => webp[at + 8 + i] === b)) {
      const newSize = size - 6;
      const out = new Uint8Array(webp.length - (size + (size & 1)) + newSize + (newSize & 1));
      out.set(webp.subarray(0, at + 8), 0);
      out.set(webp.subarray(at + 14, at + 8 + size), at + 8);
      let w = at + 8 + newSize;
      if (newSize & 1) out[w++] = 0;
      out.set(webp.subarray(next), w);
      putU32le(out, at + 4, newSize);
      putU32le(out, 4, out.length - 8);
      return out;
    }
    at = next;
  }
  return webp;
}
