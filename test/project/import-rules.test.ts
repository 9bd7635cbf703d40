/**
 * The import rules between the folders of `src/` (README "Project layout"): every relative
 * import, type-only ones included, is checked against them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo } from '../helpers.ts';

const SRC = repo('src');

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every `from '...'` / `import('...')` target of a file, as paths relative to src/. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\()\s*'(\.[^']+)'/g))
    out.push(path.relative(SRC, path.resolve(path.dirname(file), m[1]!)));
  return out;
}

const top = (rel: string) => rel.split(path.sep)[0]!;

/** [from folder, to path prefix, allowed exceptions] */
const FORBIDDEN: [from: string, to: string, except?: string[]][] = [
  ['formats', 'manifest/'],
  ['formats', 'verify/'],
  ['formats', 'service/'],
  ['formats', 'binding/'],
  ['labels', 'verify/'],
  ['labels', 'service/'],
  ['service', 'formats/', ['formats/registry.ts', 'formats/types.ts']],
  ['verify', 'formats/', ['formats/registry.ts', 'formats/types.ts']],
  ['manifest', 'formats/', ['formats/types.ts']],
  ['binary', 'formats/'],
  ['binding', 'service/'],
  ['binding', 'verify/'],
];

describe('import rules', () => {
  it('no folder imports what the layout forbids', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      const rel = path.relative(SRC, file);
      const text = await readFile(file, 'utf8');
      for (const target of importsOf(file, text)) {
        for (const [from, to, except] of FORBIDDEN) {
          if (top(rel) === from && target.startsWith(to) && !except?.includes(target)) offenders.push(`${rel} -> ${target}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no cycle between the top-level folders labels/ and verify/, or formats/ and binding/', async () => {
    const edges = new Set<string>();
    for (const file of await sourceFiles(SRC)) {
      const from = top(path.relative(SRC, file));
      for (const target of importsOf(file, await readFile(file, 'utf8'))) if (top(target) !== from) edges.add(`${from}->${top(target)}`);
    }
    for (const [a, b] of [
      ['labels', 'verify'],
      ['formats', 'binding'],
      ['formats', 'manifest'],
    ]) {
      expect(edges.has(`${a}->${b}`) && edges.has(`${b}->${a}`), `${a} <-> ${b}`).toBe(false);
    }
    expect(edges.size).toBeGreaterThan(10); // the scan sees the imports at all
  });
});
