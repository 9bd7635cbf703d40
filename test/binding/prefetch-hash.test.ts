/**
 * The prefetched content hash (`binding/prefetch-hash.ts`, issue #20): `verify` of a large file
 * starts its data hash on the hashing thread as soon as the store is parsed. What must stand:
 * the digest is the one hashed here, other steps are hashed here, small files and non-files are
 * not prefetched, a digest taken on trust is confirmed against the real one, and a report is the
 * same with or without the prefetch, for an intact and for a tampered file (the mismatch is
 * reported exactly as before: the report is then built again with the real digest).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { digestNow } from '../../src/binding/deferred-hash.ts';
import { hashSourceSteps, type HashStep } from '../../src/binding/hash-steps.ts';
import { MIN_PREFETCH_HASH_BYTES, PrefetchedHash } from '../../src/binding/prefetch-hash.ts';
import { openInput } from '../../src/service/input.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify, verifyOpened } from '../../src/service/verify.ts';
import { gen } from '../helpers.ts';
import { CODES, signerFor, trust } from '../chain/helpers.ts';

let dir = '';
let file = '';
const bytes = randomBytes(MIN_PREFETCH_HASH_BYTES + 1_000_003);
const steps: HashStep[] = [
  { start: 0, end: 1000 },
  { start: 2000, end: bytes.length },
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'prefetch-hash-'));
  file = path.join(dir, 'data.bin');
  await writeFile(file, bytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('PrefetchedHash', () => {
  it('gives the digest of its steps, and hashes other steps here', async () => {
    const src = await FileSource.open(file);
    try {
      const pre = PrefetchedHash.start(src, steps, 'sha256');
      expect(pre).toBeDefined();
      const here = await hashSourceSteps(new BufferSource(bytes), steps, 'sha256');
      expect(Buffer.from(await pre!.digest(src, steps, 'sha256', here))).toEqual(Buffer.from(here));
      const other: HashStep[] = [{ start: 0, end: bytes.length }];
      const otherHere = await hashSourceSteps(new BufferSource(bytes), other, 'sha256');
      expect(Buffer.from(await pre!.digest(src, other, 'sha256', otherHere))).toEqual(Buffer.from(otherHere));
      const sha512 = await hashSourceSteps(new BufferSource(bytes), steps, 'sha512');
      expect(Buffer.from(await pre!.digest(src, steps, 'sha512', sha512))).toEqual(Buffer.from(sha512));
      await pre!.settle();
    } finally {
      await src.close();
    }
  });

  it('takes the claimed digest on trust for its steps, and confirm() tells whether it was the real one', async () => {
    const here = await hashSourceSteps(new BufferSource(bytes), steps, 'sha256');
    const wrong = Uint8Array.from(here, (b, i) => (i === 0 ? b ^ 1 : b));
    for (const [claimed, real] of [
      [here, true],
      [wrong, false],
    ] as const) {
      const src = await FileSource.open(file);
      try {
        const pre = PrefetchedHash.start(src, steps, 'sha256')!;
        // Returned at once, whatever it is: the check comes with confirm().
        expect(await pre.assume(src, steps, 'sha256', claimed)).toBe(claimed);
        // Other steps are hashed here, never assumed.
        const other: HashStep[] = [{ start: 0, end: bytes.length }];
        const otherHere = await hashSourceSteps(new BufferSource(bytes), other, 'sha256');
        expect(Buffer.from(await pre.assume(src, other, 'sha256', wrong))).toEqual(Buffer.from(otherHere));
        expect(await pre.confirm()).toBe(real);
        // The real digest is still there for the second, ordinary verification.
        expect(Buffer.from(await pre.digest(src, steps, 'sha256', claimed))).toEqual(Buffer.from(here));
        await pre.settle();
      } finally {
        await src.close();
      }
    }
  });

  it('is not started for small ranges, steps past the end, or a source that is not an open file', async () => {
    const src = await FileSource.open(file);
    try {
      expect(PrefetchedHash.start(src, [{ start: 0, end: 1000 }], 'sha256')).toBeUndefined();
      expect(PrefetchedHash.start(src, [{ start: 0, end: bytes.length + 1 }], 'sha256')).toBeUndefined();
      expect(PrefetchedHash.start(new BufferSource(bytes), steps, 'sha256')).toBeUndefined();
    } finally {
      await src.close();
    }
  });
});

describe('verify with a prefetched content hash', () => {
  let stamped = '';
  let tampered = '';
  beforeAll(async () => {
    stamped = path.join(dir, 'stamped.wav');
    await stamp(gen('audio', 'bench-20mb.wav'), {
      signer: await signerFor('es256'),
      producer: CODES.producer,
      explicitLabel: false,
      output: stamped,
    });
    const b = readFileSync(stamped);
    b[b.length >> 1] ^= 0xff; // in the audio samples, far from the manifest
    tampered = path.join(dir, 'tampered.wav');
    await writeFile(tampered, b);
  }, 60_000);

  it('reports exactly what the hash on this thread reports, intact and tampered', async () => {
    const at = new Date('2026-06-01T00:00:00Z');
    const start = vi.spyOn(PrefetchedHash, 'start');
    for (const [f, state, code] of [
      [stamped, 'Trusted', 'assertion.dataHash.match'],
      [tampered, 'Invalid', 'assertion.dataHash.mismatch'],
    ] as const) {
      const fast = await verify(f, { trust: trust(), at });
      const opened = await openInput(f);
      const plain = await verifyOpened(opened, { trust: trust(), at }, digestNow).finally(() => opened.close());
      expect(fast).toEqual(plain.report);
      expect(fast.validation_state).toBe(state);
      expect(JSON.stringify(fast.validation_results)).toContain(code);
    }
    // Both verify() calls prefetched (and returned a hash job), the explicit hook did not.
    expect(start.mock.results.filter((r) => r.value !== undefined)).toHaveLength(2);
    start.mockRestore();
  }, 60_000);
});
