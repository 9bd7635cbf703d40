/**
 * Byte-level tamper operations on signed files, located with our own parsers (so they
 * work the same on any SDK-signed file): flip a content byte outside the hard-binding
 * exclusions (or inside `mdat` for BMFF), flip a byte inside an assertion's CBOR, inside
 * the claim or inside the claim signature, truncate.
 */
import { BufferSource } from '../../src/binary/byte-source.ts';
import { detectSourceHandler } from '../../src/formats/registry.ts';
import { listBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { crc32 } from '../../src/formats/common/crc32.ts';
import { parseManifestStore, readDataHash, type Manifest } from '../../src/manifest/index.ts';

/** One tamper operation of the recipe. */
export type TamperOp =
  | { readonly op: 'flip-content' }
  | { readonly op: 'flip-assertion'; readonly assertion: string; readonly near: string; readonly manifest?: number }
  | { readonly op: 'flip-claim'; readonly near: string; readonly manifest?: number }
  | { readonly op: 'flip-signature'; readonly manifest?: number }
  | { readonly op: 'truncate'; readonly keep: number };

async function manifestOf(bytes: Uint8Array, index: number | undefined): Promise<Manifest> {
  const src = new BufferSource(bytes);
  const raw = await (await detectSourceHandler(src)).readManifest(src);
  if (!raw) throw new TypeError('tamper: the file has no manifest store');
  const store = parseManifestStore(raw);
  const m = index === undefined ? store.active : store.manifests[index];
  if (!m) throw new TypeError(`tamper: no manifest ${index}`);
  return m;
}

/** Offset in `file` of the byte `delta` after `near` inside `part` (which must be stored contiguously). */
function locate(file: Uint8Array, part: Uint8Array, near: string, delta: number): number {
  const at = Buffer.from(file).indexOf(Buffer.from(part));
  if (at < 0) throw new TypeError('tamper: the target bytes are not contiguous in the file');
  const inner = Buffer.from(part).indexOf(near);
  if (inner < 0) throw new TypeError(`tamper: ${JSON.stringify(near)} not found in the target`);
  return at + inner + delta;
}

async function contentOffset(bytes: Uint8Array): Promise<number> {
  const src = new BufferSource(bytes);
  const handler = await detectSourceHandler(src);
  if (handler.hardBinding === 'bmff') {
    const { boxes } = await listBoxes(src, 0, src.size, 1);
    const mdat = boxes.find((b) => b.type === 'mdat');
    if (!mdat) throw new TypeError('tamper: no mdat box');
    return mdat.offset + Math.floor(mdat.size / 2);
  }
  const m = await manifestOf(bytes, undefined);
  const dh = m.assertions.find((a) => a.label.startsWith('c2pa.hash.data'));
  const ex = dh ? readDataHash(dh.data).exclusions : [];
  // The middle of the largest stretch that no exclusion covers.
  const cuts = [...ex].sort((a, b) => a.start - b.start);
  let best = { start: 0, length: 0 };
  let pos = 0;
  for (const e of [...cuts, { start: bytes.length, length: 0 }]) {
    if (e.start - pos > best.length) best = { start: pos, length: e.start - pos };
    pos = e.start + e.length;
  }
  return best.start + Math.floor(best.length / 2);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** In a PNG, recompute the CRC of the chunk holding `offset` (as an attacker would). */
function fixPngCrc(png: Buffer, offset: number): void {
  if (!PNG_SIGNATURE.every((b, i) => png[i] === b)) return;
  let at = 8;
  while (at + 12 <= png.length) {
    const len = png.readUInt32BE(at);
    const end = at + 12 + len;
    if (offset >= at && offset < end) {
      png.writeUInt32BE(crc32(png.subarray(at + 4, at + 8 + len)) >>> 0, at + 8 + len);
      return;
    }
    at = end;
  }
}

/** Apply `op` to a copy of `bytes` (PNG chunk CRCs are kept right). */
export async function tamper(bytes: Uint8Array, op: TamperOp): Promise<Uint8Array> {
  const out = Buffer.from(bytes);
  const flipped = await apply(bytes, out, op);
  if (flipped !== undefined) fixPngCrc(out, flipped);
  return op.op === 'truncate' ? out.subarray(0, Math.floor(bytes.length * op.keep)) : out;
}

/** Change `out` in place; returns the offset changed, if one was. */
async function apply(bytes: Uint8Array, out: Buffer, op: TamperOp): Promise<number | undefined> {
  switch (op.op) {
    case 'flip-content': {
      const at = await contentOffset(bytes);
      out[at] ^= 0x01;
      return at;
    }
    case 'flip-assertion': {
      const m = await manifestOf(bytes, op.manifest);
      const a = m.assertions.find((x) => x.label === op.assertion);
      if (!a?.raw) throw new TypeError(`tamper: no CBOR assertion ${op.assertion}`);
      const at = locate(bytes, a.raw, op.near, 1);
      out[at] ^= 0x01;
      return at;
    }
    case 'flip-claim': {
      const m = await manifestOf(bytes, op.manifest);
      if (!m.claim) throw new TypeError('tamper: no claim');
      const at = locate(bytes, m.claim.raw, op.near, op.near.length + 2);
      out[at] = out[at] === 0x61 ? 0x62 : 0x61; // another hex digit: the CBOR stays valid
      return at;
    }
    case 'flip-signature': {
      // The COSE_Sign1 signature is its last element: flip a byte inside it.
      const m = await manifestOf(bytes, op.manifest);
      if (!m.signature) throw new TypeError('tamper: no signature');
      const payload = m.signature.box.payload;
      const at = Buffer.from(bytes).indexOf(Buffer.from(payload));
      if (at < 0) throw new TypeError('tamper: the signature box is not contiguous in the file');
      out[at + payload.length - 5] ^= 0x01;
      return at + payload.length - 5;
    }
    case 'truncate':
      return undefined;
  }
}
