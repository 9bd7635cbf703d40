import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo } from '../helpers.ts';

/** Every module reachable from `entry` through relative imports (type-only imports excluded). */
async function closure(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    const text = await readFile(file, 'utf8');
    seen.set(file, text);
    const re = /^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm;
    for (const m of text.matchAll(re)) {
      if (m[1]!.startsWith('.')) todo.push(path.resolve(path.dirname(file), m[1]!));
    }
  }
  return seen;
}

describe('entry points', () => {
  it('the core entry (src/index.ts) imports no node:* module, directly or transitively', async () => {
    const files = await closure(repo('src/index.ts'));
    expect(files.size).toBeGreaterThan(10);
    const offenders = [...files].filter(([, text]) => /from\s+'node:|require\('node:/.test(text)).map(([f]) => path.relative(repo(), f));
    expect(offenders).toEqual([]);
  });

  it('the Node entry loads and exposes the services', async () => {
    const api = await import('../../src/node.ts');
    for (const name of [
      'stamp',
      'verify',
      'inspect',
      'propagate',
      'loadSigner',
      'verifyCertificateChain',
      'parseProviderCode',
      'renderImageLabel',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('src/ throws only typed errors (no bare `throw new Error`)', async () => {
    const files = await closure(repo('src/node.ts'));
    const bare = [...files].filter(([, t]) => /throw new Error\(/.test(t)).map(([f]) => path.relative(repo(), f));
    expect(bare).toEqual([]);
  });
});

describe('atomic writes', () => {
  it('gathers many small pieces into few writes and leaves exactly the bytes given', async () => {
    const { writeAtomic } = await import('../../src/binary/atomic-write.ts');
    const { mkdtemp, readFile, readdir, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-atomic-'));
    try {
      const pieces = Array.from({ length: 2000 }, (_, i) => new Uint8Array([i & 0xff, (i >> 8) & 0xff, 7]));
      pieces.push(new Uint8Array(3 << 20).fill(9)); // larger than one batch
      const target = path.join(dir, 'out.bin');
      await writeAtomic(target, pieces);
      const got = await readFile(target);
      expect(got.length).toBe(2000 * 3 + (3 << 20));
      expect([...got.subarray(0, 6)]).toEqual([0, 0, 7, 1, 0, 7]);
      expect(got[got.length - 1]).toBe(9);
      expect(await readdir(dir)).toEqual(['out.bin']); // no temp file left behind
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('in-place guard', () => {
  it('samePath sees through symbolic links and relative parts, and tells different files apart', async () => {
    const { samePath } = await import('../../src/binary/atomic-write.ts');
    const { mkdtemp, writeFile, symlink, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-same-'));
    try {
      const file = path.join(dir, 'a.jpg');
      await writeFile(file, 'x');
      await symlink(file, path.join(dir, 'link.jpg'));
      expect(await samePath(file, path.join(dir, 'link.jpg'))).toBe(true);
      expect(await samePath(file, path.join(dir, 'sub', '..', 'a.jpg'))).toBe(true);
      expect(await samePath(file, path.join(dir, 'b.jpg'))).toBe(false); // not created yet
      const { guardInPlace } = await import('../../src/service/stamp.ts');
      await expect(guardInPlace(file, path.join(dir, 'link.jpg'))).rejects.toThrow(/refusing to overwrite the input/);
      await expect(guardInPlace(file, path.join(dir, 'link.jpg'), true)).resolves.toBeUndefined();
      await expect(guardInPlace(file, path.join(dir, 'b.jpg'))).resolves.toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
