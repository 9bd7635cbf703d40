/** `aigc log` end to end: init, record two stamped files with receipts, verify them, audit, and catch a wrong file or a tampered log. */
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { stamp } from '../../src/service/stamp.ts';
import { tilePath } from '../../src/tlog/tiles.ts';
import { gen, repo } from '../helpers.ts';

const CODE = '001191000000EXAMPLE01P10000';
let dir: string;
const aigc = (args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [repo('cli', 'aigc.js'), ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-logcli-'));
  const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  await stamp(gen('images/seed.jpg'), { signer, producer: CODE, explicitLabel: false, output: path.join(dir, 'a.jpg') });
  await stamp(gen('video/seed.mp4'), { signer, producer: CODE, explicitLabel: false, output: path.join(dir, 'b.mp4') });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aigc log', () => {
  it('init → record → verify-proof → audit; a receipt does not fit another file; a tampered log fails the audit', async () => {
    const log = path.join(dir, 'log');
    let r = await aigc(['log', 'init', log, '--origin', 'log.example/cli-test']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/verifier key: log\.example\/cli-test\+[0-9a-f]{8}\+/);
    r = await aigc(['log', 'record', log, path.join(dir, 'a.jpg'), path.join(dir, 'b.mp4')]);
    expect(r.code, r.out).toBe(0);
    const receipt = await readFile(path.join(dir, 'a.jpg.tlog-proof'), 'utf8');
    expect(receipt).toMatch(/^c2sp\.org\/tlog-proof@v1\nextra [A-Za-z0-9+/=]+\nindex 0\n/);
    r = await aigc([
      'log',
      'verify-proof',
      path.join(dir, 'a.jpg.tlog-proof'),
      path.join(dir, 'a.jpg'),
      '--key-file',
      path.join(log, 'log.pub'),
    ]);
    expect(r.code, r.out).toBe(0);
    r = await aigc([
      'log',
      'verify-proof',
      path.join(dir, 'a.jpg.tlog-proof'),
      path.join(dir, 'b.mp4'),
      '--key-file',
      path.join(log, 'log.pub'),
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/tlog\.inclusion\.invalid/);
    r = await aigc(['log', 'audit', log]);
    expect(r.code, r.out).toBe(0);
    await copyFile(path.join(log, 'checkpoint'), path.join(dir, 'old.checkpoint'));
    const tampered = path.join(dir, 'tampered');
    await cp(log, tampered, { recursive: true });
    const bundle = path.join(tampered, tilePath('entries', 0, 2));
    const bytes = await readFile(bundle);
    bytes[20] ^= 1;
    await writeFile(bundle, bytes);
    r = await aigc(['log', 'audit', tampered]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/tlog\.tile\.mismatch/);
    r = await aigc(['log', 'verify-consistency', path.join(dir, 'old.checkpoint'), path.join(log, 'checkpoint'), '--dir', log]);
    expect(r.code, r.out).toBe(0);
  });
});
