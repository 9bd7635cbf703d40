/**
 * The CLI's top-level help and the trust flags every verifying command shares, in process
 * (stdout/stderr captured): `verify`, `inspect` and `propagate` read trust the same way.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, helpText, main } from '../../cli/main.ts';
import { SUBCOMMANDS } from '../../cli/commands/pki.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { gen } from '../helpers.ts';

let err = '';
beforeEach(() => {
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('aigc --help', () => {
  it('lists every command and every pki sub-command', () => {
    const HELP = helpText();
    for (const { name } of COMMANDS) expect(HELP).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const pkiLine = /^ {2}pki (\S+)/m.exec(HELP)![1]!.split('|');
    expect(pkiLine.sort()).toEqual(Object.keys(SUBCOMMANDS).sort());
  });
});

describe('trust flags (verify, inspect, propagate)', () => {
  it('an unreadable --trust file is a usage error (64) for every command', async () => {
    const bad = ['--trust', '/nonexistent/roots.pem'];
    const file = gen('images', 'seed.jpg');
    expect(await main(['verify', file, ...bad])).toBe(EXIT.USAGE);
    expect(await main(['inspect', file, ...bad])).toBe(EXIT.USAGE);
    const pki = gen('pki', 'platform-a');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-cli-'));
    try {
      const code = await main([
        'propagate',
        file,
        '-o',
        path.join(dir, 'o.jpg'),
        '--cert',
        path.join(pki, 'chain.pem'),
        '--key',
        path.join(pki, 'key.pem'),
        '--propagator',
        'x',
        ...bad,
      ]);
      expect(code).toBe(EXIT.USAGE);
      expect(err).toContain('/nonexistent/roots.pem');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an anchor the store skips (not a CA) reaches the user as a warning', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-cli-'));
    try {
      const chain = await readFile(gen('pki', 'es256', 'chain.pem'), 'utf8'); // leaf first: not a CA
      const roots = path.join(dir, 'roots.pem');
      await writeFile(roots, `${chain}\n${await readFile(gen('pki', 'es256', 'root.pem'), 'utf8')}`);
      await main(['verify', gen('images', 'seed.jpg'), '--trust', roots]);
      expect(err).toMatch(/aigc: warning: trust anchor 1 \(.*\) skipped/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
