/** The content key of uploads the in-process service keeps in memory (src/server/content-key.ts). */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONTENT_KEY_PREFIX, ContentKey } from '../../src/server/content-key.ts';
import { ensureSpool, isSpooled, receiveUpload } from '../../src/server/spool.ts';
import { tempDir } from './helpers.ts';

const keyOf = (...chunks: Uint8Array[]): string => {
  const k = new ContentKey();
  for (const c of chunks) k.update(c);
  return k.digest();
};

describe('content key', () => {
  it('depends on the bytes only, not on how they were chunked', () => {
    const bytes = randomBytes(200_001);
    const whole = keyOf(bytes);
    expect(whole).toMatch(new RegExp(`^${CONTENT_KEY_PREFIX}[0-9a-f]{32}$`));
    expect(keyOf(bytes.subarray(0, 65_536), bytes.subarray(65_536, 65_537), bytes.subarray(65_537))).toBe(whole);
    expect(keyOf(bytes.subarray(0, 7), bytes.subarray(7))).toBe(whole);
  });

  it('differs for different bytes, lengths and an empty input', () => {
    const bytes = randomBytes(4096);
    const flipped = Buffer.from(bytes);
    flipped[4000]! ^= 1;
    const keys = new Set([
      keyOf(bytes),
      keyOf(flipped),
      keyOf(bytes.subarray(0, 4095)),
      keyOf(Buffer.concat([bytes, Buffer.alloc(1)])),
      keyOf(),
    ]);
    expect(keys.size).toBe(5);
  });

  it('keys an upload kept in memory; one past the memory limit gets the SHA-256 of every byte', async () => {
    const dir = await tempDir('aigc-key-');
    try {
      const dirs = await ensureSpool(dir);
      const bytes = randomBytes(300_000);
      const chunks = (): Readable => Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000, 250_000), bytes.subarray(250_000)]);
      const kept = await receiveUpload(dirs, chunks(), 1 << 20, 300_000);
      expect(isSpooled(kept)).toBe(false);
      expect(!isSpooled(kept) && kept.contentKey).toBe(keyOf(bytes));
      expect(!isSpooled(kept) && Buffer.from(kept.bytes).equals(bytes)).toBe(true);
      // The limit is passed in the second chunk: the first is hashed then, and nothing is lost.
      const spooled = await receiveUpload(dirs, chunks(), 1 << 20, 120_000);
      expect(isSpooled(spooled) && spooled.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
