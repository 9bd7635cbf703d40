/**
 * Issue #12 §2 and §5 through the CLI: `aigc propagate` refuses a tampered upload (exit 77,
 * the message names --accept-invalid, nothing written); `aigc decide` and `propagate
 * --dry-run` print the decision without a certificate or output; `--accept-invalid` publishes
 * with a warning and `aigc verify`/`inspect` of the result show the failed creation step;
 * an existing output is refused without --force; `pki issue` twice into one folder fails
 * the second time and leaves the first key byte-identical.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gen } from '../helpers.ts';
import { tamper } from '../verify/tamper.ts';
import { aigc, cfx, CODES, cred, ROOTS, tempDir, type CliRun } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let bad: string;
const platform = cred('platform-a');
const signing = (): string[] => [
  '--cert',
  platform.chainPath,
  '--key',
  platform.keyPath,
  '--propagator',
  CODES.platformA,
  '--trust',
  ROOTS,
];

beforeAll(async () => {
  tmp = await tempDir('policy-cli');
  bad = tmp.file('tampered.jpg');
  await writeFile(bad, await tamper(await readFile(cfx('stamped.jpg')), { op: 'flip-content' }));
});
afterAll(() => tmp.cleanup());

describe('aigc propagate on a tampered upload', () => {
  let refused: CliRun;
  let decided: CliRun;
  let dry: CliRun;
  let accepted: CliRun;
  let verified: CliRun;
  let inspected: CliRun;

  beforeAll(async () => {
    [refused, decided, dry] = await Promise.all([
      aigc(['propagate', bad, '-o', tmp.file('refused.jpg'), ...signing()]),
      aigc(['decide', bad, '--trust', ROOTS, '--json']),
      aigc(['propagate', bad, '--dry-run', '--trust', ROOTS]),
    ]);
    accepted = await aigc(['propagate', bad, '-o', tmp.file('accepted.jpg'), ...signing(), '--accept-invalid']);
    [verified, inspected] = await Promise.all([
      aigc(['verify', tmp.file('accepted.jpg'), '--trust', ROOTS]),
      aigc(['inspect', tmp.file('accepted.jpg'), '--trust', ROOTS]),
    ]);
  });

  it('refuses by default: exit 77, the flag named, nothing written', () => {
    expect(refused.code).toBe(77);
    expect(refused.stderr).toMatch(
      /^aigc: error \[REFUSED\]: refusing to sign over .*tampered\.jpg: it fails verification \(Invalid\): assertion\.dataHash\.mismatch.*Nothing was written\. Pass --accept-invalid/,
    );
    expect(existsSync(tmp.file('refused.jpg'))).toBe(false);
  });

  it('decide and --dry-run print the decision and the policy, exit 77, need no certificate', () => {
    expect(decided.code).toBe(77);
    const d = JSON.parse(decided.stdout) as {
      decision: { prompt: string; policy: { verdict: string; failures: { code: string }[] } };
      incoming: { chain: { validation_state: string }[] };
    };
    expect(d.decision.prompt).toBe('ai-generated');
    expect(d.decision.policy.verdict).toBe('refuse');
    expect(d.decision.policy.failures.map((f) => f.code)).toContain('assertion.dataHash.mismatch');
    expect(dry.code).toBe(77);
    expect(dry.stdout).toMatch(/^prompt: ai-generated \(Label "1"\)\npolicy: refuse\n {2}- REFUSED: /);
    expect(dry.stdout).toContain('! assertion.dataHash.mismatch');
  });

  it('--accept-invalid publishes with a warning; verify and inspect show the failed creation step', () => {
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^WARNING: the upload fails verification; signed anyway \(--accept-invalid\)/);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/^accepted\.jpg: Invalid \(C2PA alone: Trusted\)/);
    expect(verified.stdout).toMatch(
      /chain: creation\(Example Image Generator \(ES256\)\)\[Invalid\] → propagation\(Platform A Publishing\)/,
    );
    expect(verified.stdout).toMatch(
      /chain\.step\.invalid.*step 0 \(creation, urn:c2pa:.*\) is Invalid: step 1 recorded assertion\.dataHash\.mismatch/,
    );
    expect(inspected.stdout).toMatch(/\[0\] creation: urn:c2pa:\S+ — Invalid/);
    expect(inspected.stdout).toMatch(/recorded by step 1: assertion\.dataHash\.mismatch/);
  });
});

describe('nothing is overwritten silently', () => {
  it('stamp and propagate refuse an existing output without --force and replace it with it', async () => {
    const s = cred('es256');
    const out = tmp.file('exists.jpg');
    await writeFile(out, 'keep me');
    const stampArgs = [
      'stamp',
      gen('images', 'seed.jpg'),
      '-o',
      out,
      '--cert',
      s.chainPath,
      '--key',
      s.keyPath,
      '--producer',
      CODES.producer,
      '--no-explicit',
    ];
    const [st, pr] = await Promise.all([aigc(stampArgs), aigc(['propagate', cfx('stamped.jpg'), '-o', out, ...signing()])]);
    for (const r of [st, pr]) {
      expect(r.code).toBe(77);
      expect(r.stderr).toMatch(/refusing to overwrite the existing output .*exists\.jpg; pass --force/);
    }
    expect(await readFile(out, 'utf8')).toBe('keep me');
    const forced = await aigc([...stampArgs, '--force']);
    expect(forced.code).toBe(0);
    expect((await readFile(out)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('stamp keeps an earlier manifest and writes a sidecar, and says both; verify reads the sidecar', async () => {
    const s = cred('es256');
    const out = tmp.file('kept-side.jpg');
    const st = await aigc([
      'stamp',
      cfx('sdk-created.jpg'),
      '-o',
      out,
      '--cert',
      s.chainPath,
      '--key',
      s.keyPath,
      '--producer',
      CODES.producer,
      '--no-explicit',
      '--sidecar',
      '--trust',
      ROOTS,
    ]);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(
      /earlier manifest: kept the earlier manifest urn:c2pa:\S+ \(Trusted\) as a parentOf ingredient; pass --replace-manifest/,
    );
    expect(st.stdout).toContain(`manifest store written to the sidecar ${tmp.file('kept-side.c2pa')} (not embedded)`);
    const v = await aigc(['verify', out, '--trust', ROOTS]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^kept-side\.jpg: Trusted\n/);
    expect(v.stdout).toContain(`warning: no embedded manifest: the manifest store was read from the sidecar ${tmp.file('kept-side.c2pa')}`);
  });

  it('pki issue twice into one folder fails the second time and leaves the first key intact', async () => {
    const ca = tmp.file('ca');
    expect((await aigc(['pki', 'init', '--out', ca, '--alg', 'es256'])).code).toBe(0);
    const again = await aigc(['pki', 'init', '--out', ca]);
    expect(again.code).toBe(77);
    expect(again.stderr).toMatch(/already holds a CA .*pass --force/);
    const svc = tmp.file('svc');
    const issue = [
      'pki',
      'issue',
      '--ca',
      ca,
      '--out',
      svc,
      '--service',
      'Example Service',
      '--org',
      'Example Org (fictitious)',
      '--code',
      CODES.producer,
    ];
    expect((await aigc(issue)).code).toBe(0);
    const key = await readFile(`${svc}/key.pem`);
    const chain = await readFile(`${svc}/chain.pem`);
    const second = await aigc(issue);
    expect(second.code).toBe(77);
    expect(second.stderr).toMatch(/^aigc: error \[REFUSED\]: .*key\.pem already exists; choose another --out directory, or pass --force/);
    expect(await readFile(`${svc}/key.pem`)).toEqual(key);
    expect(await readFile(`${svc}/chain.pem`)).toEqual(chain);
    expect((await aigc([...issue, '--force'])).code).toBe(0);
    expect(await readFile(`${svc}/key.pem`)).not.toEqual(key);
  });
});
