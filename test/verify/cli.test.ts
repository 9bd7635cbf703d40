/**
 * `aigc verify` / `aigc inspect` exit codes and outputs, through real child processes
 * (`node cli/aigc.js ...`), run concurrently to keep the file quick.
 */
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { gen, repo } from '../helpers.ts';
import { vfx } from './helpers.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aigc(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repo('cli', 'aigc.js'), ...args],
      { cwd: repo(), env: { ...process.env, AIGC_TRUST: '', ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const ROOTS = gen('pki', 'roots.pem');
const CASES: Record<string, [args: string[], env?: NodeJS.ProcessEnv]> = {
  trusted: [['verify', vfx('sdk-es256.jpg'), '--trust', ROOTS]],
  trustedJson: [['verify', vfx('chain-2.jpg'), '--trust', ROOTS, '--json']],
  trustedByEnv: [['verify', vfx('sdk-ed25519.png')], { AIGC_TRUST: ROOTS }],
  invalid: [['verify', vfx('tamper-data.jpg'), '--trust', ROOTS]],
  damaged: [['verify', vfx('truncated.jpg'), '--trust', ROOTS]],
  nothing: [['verify', gen('images', 'seed.jpg')]],
  unsupported: [['verify', gen('audio', 'recipes.json')]],
  untrusted: [['verify', vfx('sdk-es256.jpg')]],
  labelOnly: [['verify', gen('images', 'doubao-like.jpg')]],
  noArgs: [['verify']],
  badOption: [['verify', vfx('sdk-es256.jpg'), '--bogus']],
  badTrust: [['verify', vfx('sdk-es256.jpg'), '--trust', '/nonexistent/roots.pem']],
  badDate: [['verify', vfx('sdk-es256.jpg'), '--at', 'yesterday']],
  missing: [['verify', '/nonexistent/file.jpg']],
  inspect: [['inspect', vfx('chain-2.jpg'), '--trust', ROOTS]],
  inspectJson: [['inspect', vfx('sdk-es256.jpg'), '--json']],
  inspectMissing: [['inspect', '/nonexistent/file.jpg']],
};

const runs: Record<string, Run> = {};
beforeAll(async () => {
  const names = Object.keys(CASES);
  const results = await Promise.all(names.map((n) => aigc(CASES[n]![0], CASES[n]![1])));
  names.forEach((n, i) => {
    runs[n] = results[i]!;
  });
});

describe('aigc verify exit codes', () => {
  it.each([
    ['trusted', 0],
    ['trustedJson', 0],
    ['trustedByEnv', 0],
    ['invalid', 1],
    ['damaged', 1],
    ['nothing', 2],
    ['unsupported', 2],
    ['untrusted', 3],
    ['labelOnly', 3],
    ['noArgs', 64],
    ['badOption', 64],
    ['badTrust', 64],
    ['badDate', 64],
    ['missing', 66],
    ['inspect', 0],
    ['inspectJson', 3],
    ['inspectMissing', 66], // inspect: the same codes as verify
  ])('%s exits %i', (name, code) => {
    expect(runs[name]!.code, runs[name]!.stderr).toBe(code);
  });
});

describe('aigc verify output', () => {
  it('prints a short summary with the verdict, signer and failures', () => {
    expect(runs.trusted!.stdout).toMatch(/^sdk-es256\.jpg: Trusted/);
    expect(runs.trusted!.stdout).toContain('signer: Example Image Generator (ES256)');
    expect(runs.invalid!.stdout).toContain('✗ assertion.dataHash.mismatch');
    expect(runs.untrusted!.stdout).toContain('signingCredential.untrusted');
    expect(runs.labelOnly!.stdout).toContain('unsigned label only');
  });

  it('--json prints the full report', () => {
    const r = JSON.parse(runs.trustedJson!.stdout);
    expect(r.validation_state).toBe('Trusted');
    expect(r.chain).toHaveLength(2);
    expect(r.validation_results.ingredientDeltas[0].validationDeltas.success[0].code).toBe('ingredient.manifest.validated');
  });

  it('usage errors name the problem', () => {
    expect(runs.noArgs!.stderr).toContain('expected at least one FILE');
    expect(runs.badTrust!.stderr).toContain('cannot read --trust file');
    expect(runs.badDate!.stderr).toContain('--at');
  });

  it('inspect prints the tree with the chain and codes; --json the report with assertion details', () => {
    const out = runs.inspect!.stdout;
    expect(out).toContain('[active] urn:c2pa:');
    expect(out).toContain('provenance chain (creation first)');
    expect(out).toMatch(/\[0\] creation: urn:c2pa:[^\n]+Trusted/);
    expect(out).toContain('✓ ingredient.manifest.validated: ingredient hash matched');
    const r = JSON.parse(runs.inspectJson!.stdout);
    const details = r.manifests[r.active_manifest].details as { label: string; media_type?: string; size?: number }[];
    expect(details.find((d) => d.label === 'c2pa.thumbnail.claim')).toMatchObject({ media_type: 'image/jpeg' });
  });
});
