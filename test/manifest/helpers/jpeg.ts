/**
 * Minimal JPEG APP11 (JPEG-XT / JUMBF) handling for the manifest interop tests only; the
 * real JPEG handler lives in `src/formats/`. Segments: FFEB, Lp, CI "JP", En 0x0211,
 * Z (u32 from 1), then JUMBF bytes; later segments repeat the store's LBox+TBox.
 */

const MAX_PAYLOAD = 65_000;

/** Concatenate the C2PA APP11 payloads of a JPEG into the store bytes (undefined when none). */
export function extractJpegStore(jpeg: Uint8Array): Uint8Array | undefined {
  const v = new DataView(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  let p = 2;
  const parts: Uint8Array[] = [];
  while (p + 4 <= jpeg.length) {
    const m = jpeg[p + 1];
    if (m === 0xda || m === 0xd9) break;
    const len = v.getUint16(p + 2);
    if (m === 0xeb && jpeg[p + 4] === 0x4a && jpeg[p + 5] === 0x50) {
      const z = v.getUint32(p + 8);
      const body = jpeg.subarray(p + 12, p + 2 + len);
      parts.push(z === 1 ? body : body.subarray(8));
    }
    p += 2 + len;
  }
  if (!parts.length) return undefined;
  return Buffer.concat(parts);
}

/** Remove C2PA APP11 segments. */
export function stripJpegStore(jpeg: Uint8Array): Uint8Array {
  const v = new DataView(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  const keep: Uint8Array[] = [jpeg.subarray(0, 2)];
  let p = 2;
  while (p + 4 <= jpeg.length) {
    const m = jpeg[p + 1];
    if (m === 0xda || m === 0xd9) break;
    const len = v.getUint16(p + 2);
    if (!(m === 0xeb && jpeg[p + 4] === 0x4a && jpeg[p + 5] === 0x50)) keep.push(jpeg.subarray(p, p + 2 + len));
    p += 2 + len;
  }
  keep.push(jpeg.subarray(p));
  return Buffer.concat(keep);
}

/** APP11 segments carrying `store` (whose length is all that matters for sizing). */
export function app11Segments(store: Uint8Array): Uint8Array {
  const head = store.subarray(0, 8);
  const segs: Uint8Array[] = [];
  let at = 0;
  let z = 1;
  while (at < store.length) {
    const room = z === 1 ? MAX_PAYLOAD : MAX_PAYLOAD - 8;
    const chunk = store.subarray(at, at + room);
    const body = z === 1 ? chunk : Buffer.concat([head, chunk]);
    const seg = new Uint8Array(12 + body.length);
    const v = new DataView(seg.buffer);
    v.setUint16(0, 0xffeb);
    v.setUint16(2, 10 + body.length);
    v.setUint16(4, 0x4a50);
    v.setUint16(6, 0x0211);
    v.setUint32(8, z);
    seg.set(body, 12);
    segs.push(seg);
    at += chunk.length;
    z++;
  }
  return Buffer.concat(segs);
}

/** Output layout: SOI, APP11 segments, rest of the (stripped) JPEG; exclusion covers the segments. */
export function jpegWithStore(jpeg: Uint8Array, store: Uint8Array): { bytes: Uint8Array; exclusion: { start: number; length: number } } {
  const base = stripJpegStore(jpeg);
  const segs = app11Segments(store);
  return { bytes: Buffer.concat([base.subarray(0, 2), segs, base.subarray(2)]), exclusion: { start: 2, length: segs.length } };
}
