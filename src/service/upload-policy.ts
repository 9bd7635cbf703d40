/**
 * What a platform does with an upload that fails verification (issue #12 §2). By default
 * `propagate` refuses to sign over it: a platform manifest over tampered or forged content
 * would lend it the platform's name. `acceptInvalid` signs anyway; the upload's validation
 * results are then recorded in the ingredient (as always), so every later verifier sees the
 * failure, and the decision says so.
 */
import { RefusedError } from '../errors.ts';
import type { VerifyReport } from '../verify/report/report.ts';
import type { StatusEntry } from '../verify/report/status-codes.ts';
import { isUploadFacts, uploadFacts, type UploadFacts } from './upload-facts.ts';
import type { PlatformDecision } from './decision.ts';
import { policyReason, reasonText } from './decision-reasons.ts';

/** The policy verdict on an upload. */
export interface UploadPolicy {
  /** `accept`: the upload verifies (Trusted, Valid, or no manifest and no failing label);
   * `refuse`: it fails and would be refused; `accept-invalid`: it fails and is signed anyway. */
  verdict: 'accept' | 'refuse' | 'accept-invalid';
  /** Our verdict on the upload (null: no manifest). */
  state: VerifyReport['validation_state'];
  /** Every failure: C2PA (except `signingCredential.untrusted`), label and chain codes. */
  failures: StatusEntry[];
  /** Set when the upload could not be read or parsed at all: the error's code (the verdict is then `refuse`). */
  unreadable?: string;
}

/** The upload's failures that count against it. */
export function uploadFailures(r: VerifyReport): StatusEntry[] {
  return [...uploadFacts(r).failures];
}

/** Judge an upload from its facts (see `upload-facts.ts`) or its verification report. Never throws. */
export function uploadPolicy(r: VerifyReport | UploadFacts, acceptInvalid: boolean): UploadPolicy {
  const facts = isUploadFacts(r) ? r : uploadFacts(r);
  const failures = [...facts.failures];
  // A file that cannot be read at all (an error without a verdict) is not judged here: the
  // embed step of `propagate` then throws its typed error (IoError, MalformedInputError, ...);
  // `decide()` refuses it ({@link unreadablePolicy}).
  const failed = facts.state === 'Invalid' || failures.length > 0;
  return { verdict: !failed ? 'accept' : acceptInvalid ? 'accept-invalid' : 'refuse', state: facts.state, failures };
}

/**
 * The policy for an upload that could not be read or parsed at all (the report's `error` without a
 * verdict): `refuse`, even with acceptInvalid, since there is nothing to sign over; undefined otherwise.
 */
export function unreadablePolicy(r: VerifyReport): UploadPolicy | undefined {
  if (!r.error || r.validation_state !== null) return undefined;
  return { verdict: 'refuse', state: null, failures: [], unreadable: r.error.code };
}

/** Add the policy's reason to a decision (in place) and return the decision. */
export function withPolicy(decision: PlatformDecision, policy: UploadPolicy): PlatformDecision {
  decision.policy = policy;
  const reason = policyReason(policy);
  if (reason) decision.reasons.unshift(reasonText(reason, 'en'));
  return decision;
}

/**
 * Throw when the policy refuses the upload.
 * @throws {RefusedError} naming the failures and `--accept-invalid`.
 */
export function enforcePolicy(policy: UploadPolicy, what: string): void {
  if (policy.verdict !== 'refuse') return;
  const listed = policy.failures
    .slice(0, 6)
    .map((e) => `${e.code}${e.explanation ? ` (${e.explanation})` : ''}`)
    .join('; ');
  const detail = `${listed || 'the file is damaged'}${policy.failures.length > 6 ? `; and ${policy.failures.length - 6} more` : ''}`;
  const state = policy.state ?? 'no manifest';
  throw new RefusedError(
    `refusing to sign over ${what}: it fails verification (${state}): ${detail}. ` +
      'Nothing was written. Pass --accept-invalid (acceptInvalid: true) to publish it anyway with the failure recorded in the ingredient',
    '--accept-invalid',
    { detail: { key: 'err.refused.upload', params: { what, state, detail } } },
  );
}
