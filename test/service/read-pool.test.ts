/**
 * Issue #20 (small files): `verify` reads a small file into a buffer lent by the read pool
 * and gives it back when done, so a long run of verifications stops feeding V8 external
 * memory (the trigger of its full collections). That is safe only while nothing keeps a view
 * of those bytes: these tests hold the rule to account: the report is plain data on every
 * fixture, earlier reports do not change when later files reuse the buffer, concurrent
 * verifications agree with sequential ones, and bytes given to sharp are never given back.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_POOL_BUFFERS, READ_POOL_BYTES, READ_POOL_MIN_CAPACITY, readPoolState, takeReadBuffer } from '../../src/binary/read-pool.ts';
import { verify } from '../../src/service/verify.ts';
import { stamp } from '../../src/service/stamp.ts';
import { createHash } from 'node:crypto';
import { IN_MEMORY_MAX_BYTES } from '../../src/service/input.ts';
import { CODES, cfx, signerFor, trust } from '../chain/helpers.ts';
import { gen } from '../helpers.ts';

/** Every small media fixture the generators made (the PKI folder aside). */
function fixtures(): string[] {
  const out: string[] = [];
  for (const dir of ['chain', 'verify', 'images', 'audio', 'video', 'webp', 'heif', 'gif-avi', 'fmp4', 'label-only', 'explicit']) {
    for (const f of readdirSync(gen(dir))) {
      const p = gen(dir, f);
      const st = statSync(p);
      if (st.isFile() && st.size <= IN_MEMORY_MAX_BYTES && !f.endsWith('.json') && !f.endsWith('.pem')) out.push(p);
    }
  }
  return out.sort();
}

/** Paths of every ArrayBuffer or view inside `value`. */
function binaryIn(value: unknown, at = '$', seen = new Set<unknown>()): string[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return [at];
  const out: string[] = [];
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) out.push(...binaryIn(v, `${at}.${String(k)}`, seen));
  return out;
}

describe('the read pool', () => {
  it('lends a buffer, takes it back once, and lends it again', () => {
    const a = takeReadBuffer(1000);
    expect(a.bytes.length).toBe(1000);
    expect(a.bytes.buffer.byteLength).toBeGreaterThanOrEqual(READ_POOL_MIN_CAPACITY);
    a.release();
    a.release();
    const before = readPoolState();
    const b = takeReadBuffer(2000);
    expect(b.bytes.buffer).toBe(a.bytes.buffer);
    expect(readPoolState().buffers).toBe(before.buffers - 1);
    b.release();
  });

  it('keeps at most READ_POOL_BUFFERS buffers and READ_POOL_BYTES bytes, and never pools a larger one', () => {
    const lent = Array.from({ length: READ_POOL_BUFFERS + 3 }, () => takeReadBuffer(100_000));
    for (const l of lent) l.release();
    expect(readPoolState().buffers).toBeLessThanOrEqual(READ_POOL_BUFFERS);
    const big = Array.from({ length: 3 }, () => takeReadBuffer(READ_POOL_BYTES / 2));
    for (const l of big) l.release();
    expect(readPoolState().bytes).toBeLessThanOrEqual(READ_POOL_BYTES);
    const huge = takeReadBuffer(READ_POOL_BYTES + 1);
    huge.release();
    expect(readPoolState().bytes).toBeLessThanOrEqual(READ_POOL_BYTES);
  });
});

describe('verify with pooled reads', () => {
  const files = fixtures();

  it('gives reports of plain data on every fixture, with and without detail', async () => {
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      for (const detail of [false, true]) {
        const r = await verify(f, { trust: trust(), detail });
        expect({ file: path.relative(gen(), f), detail, binary: binaryIn(r) }).toEqual({
          file: path.relative(gen(), f),
          detail,
          binary: [],
        });
      }
    }
  });

  it('leaves earlier reports unchanged when later files reuse the buffer', async () => {
    const kept: { report: unknown; json: string }[] = [];
    for (const f of files) {
      const report = await verify(f, { trust: trust(), detail: true });
      kept.push({ report, json: JSON.stringify(report) });
    }
    await verify(cfx('stamped.jpg'), { trust: trust() });
    expect(readPoolState().buffers).toBeGreaterThan(0); // a file with a manifest gives its buffer back
    for (const k of kept) expect(JSON.stringify(k.report)).toBe(k.json);
  });

  it('concurrent verifications agree with sequential ones', async () => {
    const some = files.filter((_, i) => i % 3 === 0).slice(0, 24);
    const at = new Date('2026-06-01T00:00:00Z');
    const sequential: string[] = [];
    for (const f of some) sequential.push(JSON.stringify(await verify(f, { trust: trust(), at, watermark: false })));
    const concurrent = await Promise.all(some.map(async (f) => JSON.stringify(await verify(f, { trust: trust(), at, watermark: false }))));
    expect(concurrent).toEqual(sequential);
  });

  it('does not take back bytes given to sharp (the watermark check of a file without a manifest)', async () => {
    // Fill the pool, then verify a plain image: its watermark check decodes the bytes.
    const lent = Array.from({ length: READ_POOL_BUFFERS }, () => takeReadBuffer(1 << 20));
    for (const l of lent) l.release();
    const before = readPoolState();
    const r = await verify(gen('images', 'bench-1024.jpg'), { trust: trust() });
    expect(r.active_manifest).toBeNull();
    const after = readPoolState();
    expect(after.buffers).toBe(before.buffers - 1); // lent for the read, not given back
    // With the check off the buffer comes back.
    await verify(gen('images', 'bench-1024.jpg'), { trust: trust(), watermark: false });
    expect(readPoolState().buffers).toBe(after.buffers);
  });
});

describe('stamp with pooled reads', () => {
  const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

  it('returned bytes stay intact when later stamps reuse the buffer, and verify', async () => {
    const signer = await signerFor('es256');
    const inputs = [gen('images', 'bench-1024.jpg'), cfx('stamped.jpg'), gen('images', 'bench-1024.jpg')];
    const made: { bytes: Uint8Array; digest: string }[] = [];
    for (const f of inputs) {
      const r = await stamp(f, { signer, producer: CODES.producer, explicitLabel: false, replaceManifest: true });
      made.push({ bytes: r.bytes!, digest: sha(r.bytes!) });
    }
    for (const m of made) {
      expect(sha(m.bytes)).toBe(m.digest);
      expect((await verify(m.bytes, { trust: trust() })).validation_state).toBe('Trusted');
    }
  });

  it('does not take back bytes given to sharp (the visible label)', async () => {
    const signer = await signerFor('es256');
    const lent = Array.from({ length: READ_POOL_BUFFERS }, () => takeReadBuffer(1 << 20));
    for (const l of lent) l.release();
    const before = readPoolState().buffers;
    await stamp(gen('images', 'bench-1024.jpg'), { signer, producer: CODES.producer });
    expect(readPoolState().buffers).toBe(before - 1);
    await stamp(gen('images', 'bench-1024.jpg'), { signer, producer: CODES.producer, explicitLabel: false });
    expect(readPoolState().buffers).toBe(before - 1);
  });
});
