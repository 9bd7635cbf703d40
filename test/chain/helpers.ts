/** Shared helpers of the distribution-chain tests: credentials, fixture paths, the CLI, temp dirs. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { kindOf } from '../../src/verify/report/status-codes.ts';
import { gen, repo } from '../helpers.ts';

/** Provider codes of the test PKI's service certificates (scripts/fixtures/README-pki.md). */
export const CODES = {
  producer: '001191000000EXAMPLE01P10000',
  platformA: '001191000000EXAMPLEA2520000',
  platformB: '001191000000EXAMPLEB3920001',
} as const;

/** Path of a `chain` family fixture. */
export const cfx = (file: string): string => gen('chain', file);

/** The PEM bundle of both test roots. */
export const ROOTS = gen('pki', 'roots.pem');
/** Trust options anchored on the test roots. */
export const trust = (): { anchorsPem: string } => ({ anchorsPem: readFileSync(ROOTS, 'utf8') });

/** Certificate chain and key paths of a test credential folder. */
export const cred = (name: string): { chainPath: string; keyPath: string } => ({
  chainPath: gen('pki', name, 'chain.pem'),
  keyPath: gen('pki', name, 'key.pem'),
});

/** A signer for a test credential folder (`es256`, `platform-a`, ...). */
export const signerFor = (name: string): Promise<Signer> => loadSigner(cred(name));

/** Every code of a report: our label/chain codes and the C2PA failure list. */
export const allCodes = (r: VerifyReport): string[] => [...r.labels.status.map((e) => e.code), ...r.validation_status.map((e) => e.code)];

/** Our label/chain codes of a given kind. */
export const labelCodes = (r: VerifyReport, kind?: 'success' | 'informational' | 'failure'): string[] =>
  r.labels.status.filter((e) => !kind || kindOf(e.code) === kind).map((e) => e.code);

/** A fresh temporary directory and its cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; file: (n: string) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `aigc-${prefix}-`));
  return { dir, file: (n) => path.join(dir, n), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `node cli/aigc.js ...args` (no AIGC_TRUST from the environment). */
export function aigc(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repo('cli', 'aigc.js'), ...args],
      { cwd: repo(), env: { ...process.env, AIGC_TRUST: '' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}
