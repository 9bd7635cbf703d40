/** The service's configuration, tokens and rate limiter. */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, IoError } from '../../src/errors.ts';
import { buildConfig, DEFAULT_LIMITS, loadConfig, MAX_MEMORY_UPLOAD_BYTES } from '../../src/server/config.ts';
import { bearerOf, RateLimiter, TokenSet } from '../../src/server/auth.ts';
import { jobIdOf, parseJobOptions, type JobResult } from '../../src/server/job-spec.ts';
import { MemoryResultStore } from '../../src/server/result-store.ts';

describe('configuration', () => {
  it('defaults, file values relative to the file, and the environment on top', async () => {
    const d = buildConfig({}, '/base', {});
    expect(d).toMatchObject({ host: '127.0.0.1', port: 8080, limits: DEFAULT_LIMITS, resultTtlSeconds: 3600 });
    expect(d.queue).toBeUndefined();
    const dir = await mkdtemp(path.join(tmpdir(), 'aigc-cfg-'));
    const file = path.join(dir, 'aigc.json');
    await writeFile(
      file,
      JSON.stringify({
        port: 9000,
        spool: 'spool',
        trust: { anchors: 'roots.pem' },
        limits: { maxUploadBytes: 1000 },
        queue: 'redis://h:1',
      }),
    );
    const c = loadConfig(file, { AIGC_PORT: '9100', AIGC_TOKENS: 'a, b', AIGC_MAX_IN_FLIGHT: '3' });
    expect(c.port).toBe(9100);
    expect(c.spool).toBe(path.join(dir, 'spool'));
    expect(c.trust.anchors).toEqual([path.join(dir, 'roots.pem')]);
    expect(c.limits).toMatchObject({ maxUploadBytes: 1000, maxInFlight: 3 });
    expect(c.auth.tokens).toEqual(['a', 'b']);
    expect(c.queue).toMatchObject({ url: 'redis://h:1', name: 'aigc', attempts: 5 });
  });

  it('verify threads: one less than the CPU count by default, from the file or AIGC_THREADS, 0 allowed', () => {
    expect(DEFAULT_LIMITS.threads).toBe(Math.max(1, os.availableParallelism() - 1));
    expect(buildConfig({ limits: { threads: 3 } }, '/', {}).limits.threads).toBe(3);
    expect(buildConfig({ limits: { threads: 3 } }, '/', { AIGC_THREADS: '0' }).limits.threads).toBe(0);
  });

  it('stored results: 10,000 by default, from the file or AIGC_STORED_RESULTS; the oldest go first past the cap', async () => {
    expect(DEFAULT_LIMITS.storedResults).toBe(10_000);
    expect(buildConfig({ limits: { storedResults: 5 } }, '/', {}).limits.storedResults).toBe(5);
    expect(buildConfig({}, '/', { AIGC_STORED_RESULTS: '7' }).limits.storedResults).toBe(7);
    expect(() => buildConfig({ limits: { storedResults: 0 } }, '/', {})).toThrow(/limits.storedResults/);
    const store = new MemoryResultStore(3600, 3);
    const result = (id: string, n: number) => ({ id, status: 200, body: { n } }) as unknown as JobResult;
    for (let i = 0; i < 5; i++) await store.commit(result(`j${i}`, i));
    expect(store.size).toBe(3);
    expect(await store.get('j0')).toBeUndefined();
    expect(await store.get('j1')).toBeUndefined();
    expect(await store.get('j4')).toMatchObject({ body: { n: 4 } });
    // the first commit of an id still wins while it is kept
    expect(await store.commit(result('j4', 99))).toMatchObject({ body: { n: 4 } });
    expect(store.size).toBe(3);
  });

  it('uploads kept in memory: 1 MiB by default, from the file or AIGC_MEMORY_UPLOAD_BYTES, 0 to 16 MiB', () => {
    expect(DEFAULT_LIMITS.memoryUploadBytes).toBe(1024 * 1024);
    expect(buildConfig({ limits: { memoryUploadBytes: 4096 } }, '/', {}).limits.memoryUploadBytes).toBe(4096);
    expect(buildConfig({}, '/', { AIGC_MEMORY_UPLOAD_BYTES: '0' }).limits.memoryUploadBytes).toBe(0);
    expect(() => buildConfig({ limits: { memoryUploadBytes: MAX_MEMORY_UPLOAD_BYTES + 1 } }, '/', {})).toThrow(/memoryUploadBytes/);
    expect(() => buildConfig({ limits: { memoryUploadBytes: -1 } }, '/', {})).toThrow(InvalidArgumentError);
  });

  it('bad values are InvalidArgumentErrors; an unreadable file an IoError', () => {
    expect(() => buildConfig({ port: 'eighty' }, '/', {})).toThrow(InvalidArgumentError);
    expect(() => buildConfig({ limits: { maxUploadBytes: 0 } }, '/', {})).toThrow(/maxUploadBytes/);
    expect(() => buildConfig({ stamp: { signer: { type: 'hsm', cert: 'a', key: 'b' }, producer: 'x' } }, '/', {})).toThrow(
      /stamp.signer.type/,
    );
    expect(() => buildConfig({ logLevel: 'loud' }, '/', {})).toThrow(InvalidArgumentError);
    expect(() => buildConfig({ limits: { threads: -1 } }, '/', {})).toThrow(/limits.threads/);
    expect(() => loadConfig('/nonexistent/aigc.json', {})).toThrow(IoError);
  });
});

describe('tokens and rate limit', () => {
  it('reads tokens from a file (name:token, comments) and inline; checks them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aigc-tok-'));
    const file = path.join(dir, 'tokens.txt');
    await writeFile(file, '# ops\nops:s3cret\n\nbare-token\n');
    await chmod(file, 0o600);
    const t = new TokenSet({ tokensFile: file, tokens: ['ci:other'], requireForRead: false, ratePerSecond: 0, burst: 1 });
    expect(t.size).toBe(3);
    expect(t.check('s3cret')).toBe('ops');
    expect(t.check('other')).toBe('ci');
    expect(t.check('bare-token')).toMatch(/^token-/);
    expect(t.check('nope')).toBeUndefined();
    expect(
      () => new TokenSet({ tokensFile: path.join(dir, 'missing'), tokens: [], requireForRead: false, ratePerSecond: 0, burst: 1 }),
    ).toThrow(IoError);
    expect(bearerOf(undefined)).toBeUndefined();
    expect(bearerOf('Bearer abc')).toBe('abc');
    expect(bearerOf('Basic abc')).toBeNull();
  });

  it('a token bucket: the burst, then one per 1/rate seconds', () => {
    const r = new RateLimiter(2, 3);
    expect([0, 1, 2, 3].map(() => r.take('k', 1000))).toEqual([0, 0, 0, 1]);
    expect(r.take('k', 1500)).toBe(0);
    expect(r.take('other', 1500)).toBe(0);
    expect(new RateLimiter(0, 1).take('k')).toBe(0);
  });
});

describe('job ids', () => {
  it('derive from the operation, the content hash and the normalised options', () => {
    const h = 'a'.repeat(64);
    const a = jobIdOf('stamp', h, parseJobOptions('stamp', { model: 'm', explicit: 'false' }));
    const b = jobIdOf('stamp', h, parseJobOptions('stamp', { explicit: false, model: 'm' }));
    expect(a).toBe(b);
    expect(a).toMatch(/^stamp-[0-9a-f]{40}$/);
    expect(jobIdOf('verify', h, {})).not.toBe(jobIdOf('inspect', h, {}));
    expect(jobIdOf('verify', h, {})).not.toBe(jobIdOf('verify', 'b'.repeat(64), {}));
    expect(() => parseJobOptions('verify', { url: 'http://x' })).toThrow(/unknown option "url"/);
    expect(() => parseJobOptions('stamp', { label_scale: 'big' })).toThrow(InvalidArgumentError);
  });
});
