/**
 * Issue #12 §8: README, demo, fixtures and tests use made-up identities only. The repository
 * is scanned for the real AI vendor's provider code the README once used (its unified social
 * credit code, built here from parts so this file does not carry it), and every valid
 * provider code in the README, the scripts and the committed fixtures is a made-up one
 * (USCC `91000000EXAMPLE…`: region 000000 does not exist).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryParseProviderCode } from '../../src/labels/provider-code.ts';
import { repo } from '../helpers.ts';

/** The real vendor's USCC, in two halves. */
const REAL_USCC = ['91110102', 'MACQD9K640'].join('');
const SKIP = new Set(['node_modules', '.git', 'generated', '.cache', 'demo-out', 'coverage']);
const TEXT = /\.(ts|js|mjs|json|md|sh|txt|yml|yaml)$|^run$/;

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (TEXT.test(e.name)) out.push(p);
  }
  return out;
}

describe('fictitious identities only', () => {
  it('no file of the repository carries the real vendor code', async () => {
    const all = await files(repo());
    expect(all.length).toBeGreaterThan(100);
    const hits: string[] = [];
    for (const f of all) if ((await readFile(f, 'utf8')).includes(REAL_USCC)) hits.push(path.relative(repo(), f));
    expect(hits).toEqual([]);
  });

  it('every valid provider code in the README, scripts and fixtures is a made-up EXAMPLE code', async () => {
    const scanned = [repo('README.md'), ...(await files(repo('scripts'))), ...(await files(repo('fixtures')))];
    const real: string[] = [];
    for (const f of scanned) {
      for (const m of (await readFile(f, 'utf8')).matchAll(/\b0011[0-9A-Z]{23}\b/g)) {
        if (tryParseProviderCode(m[0]) && !m[0].slice(4, 22).startsWith('91000000EXAMPLE'))
          real.push(`${path.relative(repo(), f)}: ${m[0]}`);
      }
    }
    expect(real).toEqual([]);
  });
});
