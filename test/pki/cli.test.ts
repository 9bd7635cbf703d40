import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gen, repo } from '../helpers.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aigc(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repo('cli', 'aigc.js'), ...args],
      { env: { ...process.env, AIGC_DEBUG: '', ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A clean failure: non-zero, a one-line `aigc: error [...]` message first, no stack trace. */
function expectCleanError(r: Run, code: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const first = r.stderr.split('\n')[0]!;
  expect(first).toMatch(/^aigc: error \[[A-Z_]+\]: /);
  expect(first).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

const CODE = '001191000000EXAMPLE01P10000';
let tmp: string;
let ca: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'aigc-cli-'));
  ca = path.join(tmp, 'ca');
  const r = await aigc(['pki', 'init', '--out', ca, '--alg', 'es256', '--org', 'CLI Test']);
  expect(r.code, r.stderr).toBe(0);
});

describe('aigc pki (happy path)', () => {
  it('init wrote the CA with 0600 keys', async () => {
    for (const f of ['root.key', 'intermediate.key']) expect((await stat(path.join(ca, f))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(ca, 'root.pem'), 'utf8')).toMatch(/BEGIN CERTIFICATE/);
  });

  it('issue → show → verify → revoke → crl → verify --crl', async () => {
    const svc = path.join(tmp, 'svc');
    const issued = await aigc([
      'pki',
      'issue',
      '--ca',
      ca,
      '--out',
      svc,
      '--service',
      'Gen',
      '--org',
      'CLI Org',
      '--code',
      CODE,
      '--days',
      '30',
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toMatch(/issued O=CLI Org, OU=producer, CN=Gen/);
    expect((await stat(path.join(svc, 'key.pem'))).mode & 0o777).toBe(0o600);

    const shown = await aigc(['pki', 'show', path.join(svc, 'chain.pem'), '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const json = JSON.parse(shown.stdout);
    expect(json).toHaveLength(2);
    expect(json[0]).toMatchObject({ ca: false, role: 'producer', providerCode: { code: CODE }, signerProfile: { ok: true } });
    expect(json[0].extKeyUsage).toEqual(['c2pa-kp-claimSigning', 'emailProtection']);
    const human = await aigc(['pki', 'show', path.join(svc, 'chain.pem')]);
    expect(human.stdout).toMatch(/Provider code:\s+001191000000EXAMPLE01P10000 \(USCC 91000000EXAMPLE01P/);
    expect(human.stdout).toMatch(/fits the C2PA signer profile/);

    const ok = await aigc(['pki', 'verify', path.join(svc, 'chain.pem'), '--trust', path.join(ca, 'root.pem')]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^signingCredential\.trusted/);

    expect((await aigc(['pki', 'revoke', '--ca', ca, '--cert', path.join(svc, 'chain.pem')])).code).toBe(0);
    const crl = path.join(tmp, 'crl.pem');
    const crlRun = await aigc(['pki', 'crl', '--ca', ca, '--out', crl]);
    expect(crlRun.code, crlRun.stderr).toBe(0);
    expect(crlRun.stdout).toMatch(/CRL #1 .* 1 revoked/);
    const revoked = await aigc([
      'pki',
      'verify',
      path.join(svc, 'chain.pem'),
      '--trust',
      path.join(ca, 'root.pem'),
      '--crl',
      crl,
      '--json',
    ]);
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.stdout).code).toBe('signingCredential.revoked');

    const untrusted = await aigc(['pki', 'verify', path.join(svc, 'chain.pem'), '--trust', gen('pki', 'roots.pem')]);
    expect(untrusted.code).toBe(3);
  });

  it('encrypts keys with --passphrase-env and needs the passphrase to issue', async () => {
    const locked = path.join(tmp, 'locked');
    expect((await aigc(['pki', 'init', '--out', locked, '--passphrase-env', 'AIGC_TEST_PW'], { AIGC_TEST_PW: 's3cret' })).code).toBe(0);
    expect(await readFile(path.join(locked, 'root.key'), 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
    const args = [
      'pki',
      'issue',
      '--ca',
      locked,
      '--out',
      path.join(tmp, 'locked-svc'),
      '--service',
      'S',
      '--org',
      'O',
      '--code',
      CODE,
      '--passphrase-env',
      'AIGC_TEST_PW',
    ];
    expectCleanError(await aigc(args, { AIGC_TEST_PW: 'wrong' }), 65, /wrong passphrase/);
    expect((await aigc(args, { AIGC_TEST_PW: 's3cret' })).code).toBe(0);
    expect(await readFile(path.join(tmp, 'locked-svc', 'key.pem'), 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
    expectCleanError(await aigc([...args.slice(0, -2), '--force']), 65, /is encrypted: give its passphrase/);
  });
});

describe('aigc pki (errors: one clear line, non-zero exit, no stack trace)', () => {
  it('missing PEM file', async () => {
    expectCleanError(
      await aigc(['pki', 'show', path.join(tmp, 'missing.pem')]),
      66,
      /cannot read certificate .*missing\.pem: no such file/,
    );
  });

  it('corrupt PEM', async () => {
    const bad = path.join(tmp, 'corrupt.pem');
    await writeFile(bad, '-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n-----END CERTIFICATE-----\n');
    expectCleanError(await aigc(['pki', 'show', bad]), 65, /corrupt\.pem is not a valid DER X\.509 certificate/);
    const garbage = path.join(tmp, 'garbage.pem');
    await writeFile(garbage, 'hello world');
    expectCleanError(await aigc(['pki', 'show', garbage]), 65, /neither PEM .* nor DER/);
  });

  it('key that does not match its certificate', async () => {
    const mixed = path.join(tmp, 'mixed');
    await aigc(['pki', 'init', '--out', mixed]);
    await writeFile(path.join(mixed, 'intermediate.key'), await readFile(path.join(ca, 'intermediate.key')));
    const r = await aigc(['pki', 'issue', '--ca', mixed, '--out', path.join(tmp, 'x'), '--service', 'S', '--org', 'O', '--code', CODE]);
    expectCleanError(r, 65, /intermediate\.key does not match .*intermediate\.pem/);
  });

  it('malformed provider code', async () => {
    const base = ['pki', 'issue', '--ca', ca, '--out', path.join(tmp, 'y'), '--service', 'S', '--org', 'O', '--code'];
    expectCleanError(
      await aigc([...base, '001191000000EXAMPLE01A10000']),
      64,
      /fails the GB 32100 check: last character should be P, not A/,
    );
    expectCleanError(await aigc([...base, 'ABC']), 64, /Expected a 27-character provider code for provider code but received "ABC"/);
  });

  it('usage errors', async () => {
    expectCleanError(await aigc(['pki', 'issue', '--ca', ca]), 64, /missing required option --out/);
    expectCleanError(
      await aigc(['pki', 'init', '--out', path.join(tmp, 'z'), '--alg', 'rsa']),
      64,
      /Expected one of ed25519, es256, es384, es512 for --alg but received "rsa"/,
    );
    expectCleanError(await aigc(['pki', 'bogus']), 64, /unknown pki sub-command 'bogus'/);
    expectCleanError(
      await aigc(['pki', 'init', '--out', path.join(tmp, 'w'), '--passphrase-env', 'AIGC_UNSET_VAR_X']),
      64,
      /AIGC_UNSET_VAR_X/,
    );
  });
});
