/**
 * One set of rules for errors and exits: every command prints exactly one `aigc: error [CODE]: …`
 * line on standard error (nothing on standard output) and uses the documented exit code for the
 * same situation; the README's exit-code table is EXIT_TABLE.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ES256_PRODUCER_FLAGS, gen, PLATFORM_A_PROPAGATOR_FLAGS, repo } from '../helpers.ts';
import { EXIT_TABLE, errorLine } from '../../cli/exit-codes.ts';
import { COMMANDS, VERSION } from '../../cli/main.ts';
import { IoError } from '../../src/errors.ts';
import { aigc, type Run } from './helpers.ts';

const STAMP = [...ES256_PRODUCER_FLAGS, '--no-explicit'];
let tmp: string;

/** [command line, expected exit code, text the error line must contain]. */
const CASES: Record<string, [() => string[], number, string]> = {
  unknownCommand: [() => ['frobnicate'], 64, "unknown command 'frobnicate'"],
  noCommand: [() => [], 64, 'missing command'],
  verifyUnknownOption: [() => ['verify', 'x.jpg', '--bogus'], 64, 'unknown option --bogus'],
  verifyNoValue: [() => ['verify', 'x.jpg', '--trust'], 64, 'option --trust needs a value'],
  verifyBadJobs: [() => ['verify', 'x.jpg', '--jobs', 'many'], 64, '--jobs'],
  verifyBadRequire: [() => ['verify', 'x.jpg', '--require', 'perfect'], 64, '--require'],
  verifyEnvTrust: [() => ['verify', gen('verify', 'sdk-es256.jpg')], 64, '$AIGC_TRUST file /nonexistent/roots.pem'],
  verifyMissing: [() => ['verify', '/nonexistent/a.jpg'], 66, 'cannot open /nonexistent/a.jpg: ENOENT'],
  inspectMissing: [() => ['inspect', '/nonexistent/a.jpg'], 66, 'cannot open /nonexistent/a.jpg: ENOENT'],
  inspectUnknownOption: [() => ['inspect', 'x.jpg', '--bogus'], 64, 'unknown option --bogus'],
  // An unreadable upload is an error, never a decision to accept it.
  decideMissing: [() => ['decide', '/nonexistent/a.jpg'], 66, 'cannot open /nonexistent/a.jpg: ENOENT'],
  decideFolder: [() => ['decide', os.tmpdir()], 66, os.tmpdir()],
  propagateDryRunMissing: [() => ['propagate', '/nonexistent/a.jpg', '--dry-run'], 66, 'cannot open /nonexistent/a.jpg: ENOENT'],
  stampMissing: [() => ['stamp', '/nonexistent/a.jpg', '-o', path.join(tmp, 'a.jpg'), ...STAMP], 66, '/nonexistent/a.jpg'],
  stampCorrupt: [() => ['stamp', gen('verify', 'truncated.jpg'), '-o', path.join(tmp, 'b.jpg'), ...STAMP], 65, 'MALFORMED_INPUT'],
  stampNoFolder: [
    () => ['stamp', gen('verify', 'sdk-es256.jpg'), '-o', '/nonexistent/dir/c.jpg', ...STAMP],
    73,
    'folder /nonexistent/dir does not exist (-o)',
  ],
  stampNoOutput: [() => ['stamp', gen('verify', 'sdk-es256.jpg'), ...STAMP], 64, 'missing required option -o/--output'],
  stampBadKey: [
    () => [
      'stamp',
      gen('verify', 'sdk-es256.jpg'),
      '-o',
      path.join(tmp, 'd.jpg'),
      ...STAMP.slice(0, 3),
      gen('pki', 'roots.pem'),
      ...STAMP.slice(4),
    ],
    65,
    'KEY_ERROR',
  ],
  propagateMissing: [
    () => ['propagate', '/nonexistent/a.jpg', '-o', path.join(tmp, 'e.jpg'), ...PLATFORM_A_PROPAGATOR_FLAGS],
    66,
    '/nonexistent/a.jpg',
  ],
  propagateNoFolder: [
    () => ['propagate', gen('verify', 'sdk-es256.jpg'), '-o', '/nonexistent/dir/f.jpg', ...PLATFORM_A_PROPAGATOR_FLAGS],
    73,
    'cannot create /nonexistent/dir/f.jpg: folder /nonexistent/dir does not exist',
  ],
  propagateRefused: [
    () => [
      'propagate',
      gen('verify', 'tamper-data.jpg'),
      '-o',
      path.join(tmp, 'g.jpg'),
      ...PLATFORM_A_PROPAGATOR_FLAGS,
      '--trust',
      gen('pki', 'roots.pem'),
    ],
    77,
    '--accept-invalid',
  ],
  pkiNegativeDays: [
    () => ['pki', 'crl', '--ca', tmp, '--out', path.join(tmp, 'crl.pem'), '--days', '-5'],
    64,
    'Expected a positive whole number of days for --days but received "-5"',
  ],
  pkiShowMissing: [() => ['pki', 'show', '/nonexistent/c.pem'], 66, 'cannot read certificate /nonexistent/c.pem: no such file'],
  completionBad: [() => ['completion', 'fish'], 64, 'Expected bash or zsh for SHELL'],
};

const runs: Record<string, Run> = {};
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aigc-exit-'));
  const names = Object.keys(CASES);
  const env = (n: string) => (n === 'verifyEnvTrust' ? { AIGC_TRUST: '/nonexistent/roots.pem' } : {});
  const results = await Promise.all(names.map((n) => aigc(CASES[n]![0](), { env: env(n) })));
  names.forEach((n, i) => {
    runs[n] = results[i]!;
  });
}, 240_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('errors: one line on standard error, the documented exit code', () => {
  it.each(Object.keys(CASES))('%s', (name) => {
    const [, code, text] = CASES[name]!;
    const r = runs[name]!;
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^aigc: error \[[A-Z_]+\]: /);
    expect(lines[0]).toContain(text);
    if (code === 64) expect(lines[0]).toMatch(/; see 'aigc (\w+ )?--help'$/);
    expect(r.stderr).not.toMatch(/caused by|\n\s+at /);
  });

  it('every documented code is used by a case above, and each case uses a documented code', () => {
    const documented = EXIT_TABLE.map((e) => e.code);
    for (const [, code] of Object.values(CASES)) expect(documented).toContain(code);
    // 0-3 are covered by test/verify/cli.test.ts; 70 needs a failing ffmpeg
    for (const code of documented.filter((c) => c >= 64 && c !== 70))
      expect(
        Object.values(CASES).some(([, c]) => c === code),
        String(code),
      ).toBe(true);
  });

  it('the cause goes inside the one line', () => {
    const err = new IoError('cannot write out.jpg', 'out.jpg', {
      cause: Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }),
    });
    expect(errorLine(err)).toBe('aigc: error [IO_ERROR]: cannot write out.jpg (cause: ENOSPC)');
  });
});

describe('documentation', () => {
  const readme = readFileSync(repo('README.md'), 'utf8');

  it('the README has the exit-code table, row for row', () => {
    const section = readme.slice(readme.indexOf('### Exit codes'));
    const rows = [...section.matchAll(/^\| (\d+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => ({
      code: Number(m[1]),
      commands: m[2]!.trim(),
      meaning: m[3]!.trim(),
    }));
    expect(rows).toEqual(EXIT_TABLE.map((e) => ({ ...e })));
  });

  it("aigc --help lists every command and every exit code; the version is package.json's", async () => {
    const r = await aigc(['--help']);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name} `);
    for (const e of EXIT_TABLE) expect(r.stdout).toContain(`${String(e.code).padStart(2)}  ${e.meaning}`);
    expect(JSON.parse(readFileSync(repo('package.json'), 'utf8')).version).toBe(VERSION);
  });
});
