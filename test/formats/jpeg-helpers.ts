/** Byte builders for JPEG tests (independent of the handler under test). */
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import type { ImplicitLabels } from '../../src/labels/implicit/types.ts';
import { makeFakeStore } from './conformance.ts';

/** One marker segment `FF mm Lp payload`. */
export function seg(marker: number, payload: Uint8Array | string): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : Buffer.from(payload);
  const h = Buffer.alloc(4);
  h.writeUInt16BE(0xff00 | marker, 0);
  h.writeUInt16BE(p.length + 2, 2);
  return Buffer.concat([h, p]);
}

/** A JPEG-XT APP11 segment: CI "JP", En, Z, then `box` bytes. */
export function jpxt(en: number, z: number, box: Uint8Array): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x4a50, 0);
  h.writeUInt16BE(en, 2);
  h.writeUInt32BE(z, 4);
  return seg(0xeb, Buffer.concat([h, box]));
}

/** Split a store into APP11 segments by hand (`chunk` store bytes per segment). */
export function storeSegments(store: Uint8Array, en: number, chunk: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0, z = 1; i < store.length; i += chunk, z++) {
    const body = store.subarray(i, i + chunk);
    out.push(jpxt(en, z, z === 1 ? body : Buffer.concat([store.subarray(0, 8), body])));
  }
  return out;
}

/** Insert `segs` right after SOI. */
export function afterSoi(jpg: Uint8Array, ...segs: Uint8Array[]): Buffer {
  return Buffer.concat([jpg.subarray(0, 2), ...segs, jpg.subarray(2)]);
}

/** Embed a fake store (and labels) with `handler`, returning the output bytes. */
export async function stamp(handler: FormatHandler, bytes: Uint8Array, n: number, labels?: ImplicitLabels, seed = 0): Promise<Buffer> {
  const src = new BufferSource(bytes);
  const plan = await handler.planEmbed(src, n, labels);
  return Buffer.from(await partsToBytes(src, plan.fill(n ? makeFakeStore(n, seed) : new Uint8Array(0))));
}

/** Offsets of every `FF mm` marker segment from SOI to SOS (no fill-byte support). */
export function markers(jpg: Uint8Array): { marker: number; offset: number; length: number }[] {
  const out: { marker: number; offset: number; length: number }[] = [];
  let p = 2;
  while (p + 4 <= jpg.length) {
    const m = jpg[p + 1]!;
    const len = (jpg[p + 2]! << 8) | jpg[p + 3]!;
    out.push({ marker: m, offset: p, length: len + 2 });
    if (m === 0xda) break;
    p += 2 + len;
  }
  return out;
}
