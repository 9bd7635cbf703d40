/**
 * `c2pa.hash.boxes` (general box hash) on JPEG, as c2pa-rs verifies it: the box map cuts the
 * SDK's boxhash.jpg exactly where the SDK's own data-hash exclusion says the store lies, and
 * entries in c2pa-rs's minimal and per-box forms verify; tampering, wrong order and a missing
 * algorithm fail with c2pa-rs's reasons.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { jpegBoxMap } from '../../src/binding/jpeg-box-map.ts';
import { pngBoxMap } from '../../src/binding/png-box-map.ts';
import { pngHandler } from '../../src/formats/png.ts';
import { parseManifestStore, readDataHash } from '../../src/manifest/index.ts';
import { vfx } from './helpers.ts';
import { readBoxHash, type BoxHashAssertion } from '../../src/manifest/assertions/box-hash.ts';
import { verifyBoxHash } from '../../src/binding/box-hash.ts';
import { repo } from '../helpers.ts';

const FILE = readFileSync(repo('fixtures', 'external', 'c2pa-rs', 'signed', 'boxhash.jpg'));
// The SDK's c2pa.hash.data of this file excludes [20, 20 + 122154): the APP11 store.
const STORE = { start: 20, length: 122154 };
const sha = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

describe('JPEG box map', () => {
  it('names SOI..EOI and one C2PA box exactly over the store, covering the file', async () => {
    const map = await jpegBoxMap(new BufferSource(FILE));
    expect(map[0]).toMatchObject({ name: 'SOI', start: 0, length: 2 });
    expect(map.at(-1)).toMatchObject({ name: 'EOI', start: FILE.length - 2, length: 2 });
    expect(map.filter((b) => b.name === 'C2PA')).toEqual([{ name: 'C2PA', ...STORE }]);
    let at = 0;
    for (const b of map) {
      expect(b.start).toBe(at);
      at += b.length;
    }
    expect(at).toBe(FILE.length);
    expect(map.map((b) => b.name)).toContain('SOS');
  });
});

describe('box hash verification', () => {
  it('the minimal form (before C2PA, C2PA, after) verifies; per-box entries too', async () => {
    const map = await jpegBoxMap(new BufferSource(FILE));
    const i = map.findIndex((b) => b.name === 'C2PA');
    const end = STORE.start + STORE.length;
    const minimal = readBoxHash({
      boxes: [
        { names: map.slice(0, i).map((b) => b.name), alg: 'sha256', hash: sha(FILE.subarray(0, STORE.start)), pad: new Uint8Array() },
        { names: ['C2PA'], hash: new Uint8Array([0]), pad: new Uint8Array() },
        { names: map.slice(i + 1).map((b) => b.name), alg: 'sha256', hash: sha(FILE.subarray(end)), pad: new Uint8Array() },
      ],
    });
    expect(await verifyBoxHash(new BufferSource(FILE), 'jpeg', minimal, undefined)).toBeUndefined();
    const perBox: BoxHashAssertion = {
      boxes: map.map((b) => ({
        names: [b.name],
        hash: b.name === 'C2PA' ? new Uint8Array([0]) : sha(FILE.subarray(b.start, b.start + b.length)),
      })),
    };
    expect(await verifyBoxHash(new BufferSource(FILE), 'jpeg', perBox, 'sha256')).toBeUndefined();
    // no algorithm anywhere
    expect(await verifyBoxHash(new BufferSource(FILE), 'jpeg', perBox, undefined)).toBe('No algorithm specified');
    // a flipped byte in the scan data
    const tampered = Uint8Array.from(FILE);
    tampered[FILE.length - 100] ^= 0xff;
    expect(await verifyBoxHash(new BufferSource(tampered), 'jpeg', minimal, undefined)).toBe('Hashes do not match');
    // the store itself is not hashed: changing a byte inside it keeps the box hash valid
    const inStore = Uint8Array.from(FILE);
    inStore[STORE.start + 5000] ^= 0xff;
    expect(await verifyBoxHash(new BufferSource(inStore), 'jpeg', minimal, undefined)).toBeUndefined();
    // names out of order
    const swapped: BoxHashAssertion = { boxes: [{ names: ['APP0', 'SOI'], alg: 'sha256', hash: new Uint8Array(32) }] };
    expect(await verifyBoxHash(new BufferSource(FILE), 'jpeg', swapped, undefined)).toBe('Box hash name out of order');
    // formats without a box map
    expect(await verifyBoxHash(new BufferSource(FILE), 'wav', minimal, undefined)).toMatch(/not supported for: wav/);
  });
  it('malformed box hash assertions are typed errors', () => {
    expect(() => readBoxHash({})).toThrow(/boxes array is missing/);
    expect(() => readBoxHash({ boxes: [{ names: [], hash: new Uint8Array() }] })).toThrow(/names/);
    expect(() => readBoxHash({ boxes: [{ names: ['SOI'] }] })).toThrow(/hash is not a byte string/);
  });
});

describe('PNG box hash', () => {
  it("PNGh, chunks by type, caBX as C2PA exactly where the SDK's data hash excludes it; verifies with or without PNGh", async () => {
    const file = readFileSync(vfx('sdk-es256.png'));
    const src = new BufferSource(file);
    const store = parseManifestStore((await pngHandler.readManifest(src))!);
    const dh = readDataHash(store.active!.assertions.find((a) => a.label === 'c2pa.hash.data')!.data);
    const map = await pngBoxMap(src);
    expect(map[0]).toEqual({ name: 'PNGh', start: 0, length: 8 });
    expect(map.filter((b) => b.name === 'C2PA')).toEqual([
      { name: 'C2PA', start: dh.exclusions[0]!.start, length: dh.exclusions[0]!.length },
    ]);
    expect(map.at(-1)!.name).toBe('IEND');
    expect(map.at(-1)!.start + map.at(-1)!.length).toBe(file.length);
    const entries = map.map((b) => ({
      names: [b.name],
      hash: b.name === 'C2PA' ? new Uint8Array([0]) : sha(file.subarray(b.start, b.start + b.length)),
    }));
    expect(await verifyBoxHash(src, 'png', { boxes: entries }, 'sha256')).toBeUndefined();
    expect(await verifyBoxHash(src, 'png', { boxes: entries.slice(1) }, 'sha256')).toBeUndefined();
    const idat = map.find((b) => b.name === 'IDAT')!;
    const tampered = Uint8Array.from(file);
    tampered[idat.start + 10] ^= 0xff;
    expect(await verifyBoxHash(new BufferSource(tampered), 'png', { boxes: entries }, 'sha256')).toBe('Hashes do not match');
  });
});
