/**
 * The GB 45438 label section and its cross-checks (issue #3 §3, issue #6 §3–4): the fixed
 * list {@link LABEL_CHECKS}, one file per check in `checks/`, run in order. Codes go to
 * `labels.status`, never into `validation_results`. A new label check is one file in
 * `checks/` and one row here.
 */
import type { CollectedLabels } from './collect.ts';
import type { ChainStep, LabelsSection } from '../report/report.ts';
import { status, type StatusCode, type StatusEntry } from '../report/status-codes.ts';
import { fullLabel, type LabelCheck, type LabelCheckContext, type LabelCheckInput } from './label-check.ts';
import { carriersCheck } from './checks/carriers.ts';
import { manifestMatchCheck } from './checks/manifest-match.ts';
import { orphanedCheck } from './checks/orphaned.ts';
import { signersCheck } from './checks/signers.ts';
import { sourceTypeCheck } from './checks/source-type.ts';
import { produceIdCheck } from './checks/produce-id.ts';
import { createdFirstCheck } from './checks/created-first.ts';
import { securityDataCheck } from './checks/security-data.ts';
import { c2paUndefinedCheck } from './checks/c2pa-undefined.ts';

export type { LabelCheckContext } from './label-check.ts';

/** The label checks, in the order their codes are reported. */
export const LABEL_CHECKS: readonly LabelCheck[] = [
  carriersCheck, // present / missing / malformed / conflicting carriers / charset
  manifestMatchCheck, // file label vs the latest signed assertion; unsigned
  orphanedCheck, // a producer claimed while the creation manifest was stripped
  signersCheck, // ContentProducer / ContentPropagator vs the signers' provider codes
  sourceTypeCheck, // Label vs the creation digitalSourceType
  produceIdCheck, // ProduceID unchanged along the chain; label copied from another item
  createdFirstCheck, // c2pa.created only at the first step
  securityDataCheck, // ReservedCode1/2 and their keys' certificates
  c2paUndefinedCheck, // the container has no C2PA embedding (MKV/WebM, FLV, Ogg)
];

/**
 * Build `labels` from the collected carriers and the chain (empty chain: no manifest).
 * `context` (from the verifier) gives the signers' certificates and the store; without them
 * keys cannot be tied to certificates and a chain without creation step counts as stripped.
 */
export function checkLabels(
  collected: CollectedLabels,
  chain: readonly ChainStep[],
  hasStore: boolean,
  context?: LabelCheckContext,
): LabelsSection {
  const out: StatusEntry[] = [];
  const add = (code: StatusCode, url: string | undefined, explanation?: string) => out.push(status(code, url, explanation));
  const signedStep = [...chain].reverse().find((s) => s.label_fields);
  const first = chain[0]?.role === 'creation' ? chain[0] : undefined;
  // A producer that stamped a file which already had provenance (issue #12 §4) starts a new
  // content item: its edit step, signing its own producer label, is where the label's producer
  // and ProduceID are checked from; the earlier steps are history (their validity is the chain's).
  const restamp = [...chain]
    .reverse()
    .find(
      (s) =>
        s !== first && s.role === 'edit' && s.label_fields?.ContentProducer && s.signer?.provider_code === s.label_fields.ContentProducer,
    );
  const input: LabelCheckInput = {
    collected,
    file: collected.gb45438,
    chain,
    hasStore,
    signed: signedStep ? { manifest: signedStep.manifest, fields: fullLabel(signedStep.label_fields)! } : null,
    creation: restamp ?? first,
    itemStart: restamp?.index ?? 0,
    context,
  };
  let extra: Partial<Pick<LabelsSection, 'security_data'>> = {};
  for (const check of LABEL_CHECKS) extra = { ...extra, ...(check.run(input, add) ?? {}) };
  return { gb45438: input.file, iptc: collected.iptc, malformed: collected.malformed, signed: input.signed, ...extra, status: out };
}
