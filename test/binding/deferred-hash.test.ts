/**
 * The hashing thread and deferred content hashes (`binding/hash-thread.ts`, `deferred-hash.ts`):
 * digests equal the in-thread hash of the same steps (prefixes, empty steps, several chunks),
 * a deferred digest is assumed and then checked, a short file or a wrong digest settles false,
 * and a source that is not an open file is hashed at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { DeferredHashes } from '../../src/binding/deferred-hash.ts';
import { hashSourceSteps, type HashStep } from '../../src/binding/hash-steps.ts';
import { hashStepsOffThread } from '../../src/binding/hash-thread.ts';

let dir = '';
let file = '';
const bytes = randomBytes(3 * 1024 * 1024 + 123);
const steps: HashStep[] = [
  { start: 0, end: 10, prefix: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0]) },
  { start: 10, end: 10, prefix: new Uint8Array([1, 2, 3]) },
  { start: 100, end: 2_500_000 },
  { start: 2_600_000, end: bytes.length, prefix: new Uint8Array([9]) },
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'deferred-hash-'));
  file = path.join(dir, 'data.bin');
  await writeFile(file, bytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('hashStepsOffThread', () => {
  it('gives the digest hashSourceSteps gives, for sha256 and sha512', async () => {
    const src = await FileSource.open(file);
    try {
      for (const alg of ['sha256', 'sha512'] as const) {
        expect(Buffer.from(await hashStepsOffThread(src.fd, steps, alg))).toEqual(
          Buffer.from(await hashSourceSteps(new BufferSource(bytes), steps, alg)),
        );
      }
      // Several jobs in flight at once are answered each with its own digest.
      const whole = [{ start: 0, end: bytes.length }];
      const [a, b] = await Promise.all([hashStepsOffThread(src.fd, whole, 'sha256'), hashStepsOffThread(src.fd, steps, 'sha256')]);
      expect(Buffer.from(a).toString('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(Buffer.from(b)).not.toEqual(Buffer.from(a));
    } finally {
      await src.close();
    }
  });

  it('rejects with an IoError when the file is shorter than the steps', async () => {
    const src = await FileSource.open(file);
    try {
      await expect(hashStepsOffThread(src.fd, [{ start: 0, end: bytes.length + 10 }], 'sha256')).rejects.toMatchObject({
        code: 'IO_ERROR',
      });
    } finally {
      await src.close();
    }
  });
});

describe('DeferredHashes', () => {
  it('assumes the expected digest for an open file, then settles true when it matched', async () => {
    const src = await FileSource.open(file);
    try {
      const d = new DeferredHashes();
      const real = await hashSourceSteps(src, steps, 'sha256');
      expect(await d.digest(src, steps, 'sha256', real)).toBe(real);
      expect(d.deferred).toBe(true);
      expect(await d.settle()).toBe(true);
    } finally {
      await src.close();
    }
  });

  it('settles false when the file does not hash to what was assumed (the caller redoes the work)', async () => {
    const src = await FileSource.open(file);
    try {
      const d = new DeferredHashes();
      const wrong = new Uint8Array(32).fill(7);
      expect(await d.digest(src, steps, 'sha256', wrong)).toBe(wrong);
      expect(await d.settle()).toBe(false);
      // Once settled, later digests are computed at once.
      const now = await d.digest(src, steps, 'sha256', wrong);
      expect(Buffer.from(now)).toEqual(Buffer.from(await hashSourceSteps(src, steps, 'sha256')));
    } finally {
      await src.close();
    }
  });

  it('hashes an in-memory source at once and defers nothing', async () => {
    const d = new DeferredHashes();
    const wrong = new Uint8Array(32);
    const got = await d.digest(new BufferSource(bytes), steps, 'sha256', wrong);
    expect(Buffer.from(got)).toEqual(Buffer.from(await hashSourceSteps(new BufferSource(bytes), steps, 'sha256')));
    expect(d.deferred).toBe(false);
    expect(await d.settle()).toBe(true);
  });
});
