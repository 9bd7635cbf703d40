/**
 * The CLI end to end: `aigc pki issue-tsa`, `aigc tsa serve` (a child process on a free
 * loopback port), `aigc stamp --tsa`, then `aigc verify --at` years later: still Trusted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aigc } from '../chain/helpers.ts';
import { repo } from '../helpers.ts';
import { CODE, makeKit, type Kit } from './pki-kit.ts';

let kit: Kit;
let child: ChildProcess | undefined;

beforeAll(async () => {
  kit = await makeKit('tsa-cli');
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const gone = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  await kit?.cleanup();
});

describe('aigc tsa serve + stamp --tsa', () => {
  it('stamps through the served TSA; verify --at after expiry stays Trusted', async () => {
    const issued = await aigc(['pki', 'issue-tsa', '--ca', kit.caDir, '--out', kit.file('tsa2')]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toContain('Time-Stamping Authority');
    child = spawn(
      process.execPath,
      [repo('cli', 'aigc.js'), 'tsa', 'serve', '--cert', kit.file('tsa2/chain.pem'), '--key', kit.file('tsa2/key.pem'), '--port', '0'],
      { cwd: repo() },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL from aigc tsa serve: ${out}`)), 20_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const out = kit.file('cli.jpg');
    const s = await aigc([
      'stamp',
      kit.image,
      '-o',
      out,
      '--cert',
      kit.signer.chainPath,
      '--key',
      kit.signer.keyPath,
      '--producer',
      CODE,
      '--no-explicit',
      '--tsa',
      url,
    ]);
    expect(s.code, s.stderr).toBe(0);
    const v = await aigc(['verify', out, '--trust', kit.file('ca/root.pem'), '--at', '2031-01-01T00:00:00Z', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toContain('"timeStamp.trusted"');
    const bad = await aigc([
      'stamp',
      kit.image,
      '-o',
      kit.file('x.jpg'),
      '--cert',
      kit.signer.chainPath,
      '--key',
      kit.signer.keyPath,
      '--producer',
      CODE,
      '--tsa-optional',
    ]);
    expect(bad.code).toBe(64);
  }, 60_000);
});
