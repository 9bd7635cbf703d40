/** Shared helpers of the verifier tests: fixture paths, trust, and code-set comparison. */
import { readFileSync } from 'node:fs';
import { gen } from '../helpers.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import type { ManifestStore } from '../../scripts/support/sdk.ts';

/** Path of a `verify` family fixture. */
export const vfx = (file: string): string => gen('verify', file);

/** Both test roots (Ed25519 and ES256 CAs), PEM. */
export const roots = (): string => readFileSync(gen('pki', 'roots.pem'), 'utf8');

interface Entry {
  readonly code: string;
  readonly url?: string;
}
interface Buckets {
  readonly success: readonly Entry[];
  readonly informational: readonly Entry[];
  readonly failure: readonly Entry[];
}
interface Results {
  readonly activeManifest?: Buckets;
  readonly ingredientDeltas?: readonly unknown[];
}

/**
 * Every entry of a `validation_results` block as a sorted list of
 * `scope|kind|code|url` strings (duplicates kept, so multiplicity is compared too).
 */
export function codeSet(vr: Results | null | undefined): string[] {
  const out: string[] = [];
  const add = (b: Buckets | undefined, scope: string) => {
    for (const kind of ['success', 'informational', 'failure'] as const) {
      for (const e of b?.[kind] ?? []) out.push(`${scope}|${kind}|${e.code}|${e.url ?? ''}`);
    }
  };
  add(vr?.activeManifest, 'active');
  for (const d of (vr?.ingredientDeltas ?? []) as { ingredientAssertionURI: string; validationDeltas: Buckets }[])
    add(d.validationDeltas, d.ingredientAssertionURI);
  return out.sort();
}

/** Failure codes of our report (active and deltas). */
export const failureCodes = (r: VerifyReport): string[] => r.validation_status.map((e) => e.code);

/** Failure codes of the SDK's report (active and deltas). */
export function sdkFailureCodes(s: ManifestStore | null): string[] {
  return codeSet(s?.validation_results)
    .filter((x) => x.split('|')[1] === 'failure')
    .map((x) => x.split('|')[2]!);
}
