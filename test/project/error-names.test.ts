/**
 * Every typed error class keeps its public name in a minified bundle: the CLI's bundles are
 * built without esbuild's `keepNames` (it re-names every closure each time one is made), so a
 * class's `name` comes from `nameErrorClasses` (src/errors.ts). This finds each class that
 * extends a typed error in src/ and cli/ and checks it is registered under its own name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IoError, ToolkitError } from '../../src/errors.ts';
import { repo } from '../helpers.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('error class names', () => {
  it('each exported typed error class is registered under its own name', async () => {
    const found: string[] = [];
    for (const file of [...sources(repo('src')), ...sources(repo('cli'))]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/export class (\w+) extends (\w+)/g)) {
        const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
        const cls = mod[m[1]!];
        if (typeof cls !== 'function' || !(cls.prototype instanceof ToolkitError || cls === ToolkitError)) continue;
        found.push(m[1]!);
        expect(Object.hasOwn(cls.prototype, 'name'), `${m[1]} in ${path.relative(repo(), file)}`).toBe(true);
        expect((cls.prototype as Error).name).toBe(m[1]);
      }
    }
    expect(found).toEqual(expect.arrayContaining(['ToolkitError', 'IoError', 'RefusedError', 'WorkerFailure', 'LogIntegrityError']));
  });

  it('an error reports its name, also as the first line of its stack', () => {
    const e = new IoError('x');
    expect(e.name).toBe('IoError');
    expect(e.stack?.split('\n')[0]).toBe('IoError: x');
    class Local extends ToolkitError {}
    expect(new Local('IO_ERROR', 'y').name).toBe('Local'); // not registered: the class's own name
  });
});
