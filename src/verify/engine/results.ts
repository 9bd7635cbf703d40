/**
 * Turn the validation log into the report's `validation_results`, `validation_status` and
 * `validation_state`, as c2pa-rs's `ValidationResults::from_store` does:
 *  - entries logged outside any ingredient scope belong to the active manifest, scoped ones
 *    to the `ingredientDeltas` entry of their ingredient assertion (first-logged first);
 *  - an entry that an ingredient assertion of the store already recorded (same code and
 *    absolute url, in `validationResults` or v1/v2 `validationStatus`) is dropped — it is
 *    not a delta — unless its url points into the active manifest;
 *  - Valid: the active manifest has `claimSignature.validated` and `insideValidity`, and
 *    every failure (active or delta) is `signingCredential.untrusted`; Trusted: Valid with
 *    `signingCredential.trusted` in the active manifest and no failure at all.
 */
import type { ManifestStore } from '../../manifest/index.ts';
import type { ValidationResults, ValidationState } from '../report/report.ts';
import type { StatusEntry } from '../report/status-codes.ts';
import { toBuckets, type LoggedStatus, type StatusBuckets } from './tracker.ts';
import { ingredientLinks } from './ingredient-links.ts';
import { manifestLabelOf, toAbsolute } from './uri.ts';

const key = (code: string, url: string | undefined): string => `${code}\u0000${url ?? ''}`;

/** Every status the store's ingredient assertions recorded, keyed by code and absolute url. */
export function recordedStatuses(store: ManifestStore): Set<string> {
  const out = new Set<string>();
  for (const m of store.manifests) {
    for (const link of ingredientLinks(store, m)) {
      const ing = link.ingredient;
      if (!ing) continue;
      const vr = ing.validationResults;
      const lists = vr
        ? [vr.activeManifest, ...(vr.ingredientDeltas ?? []).map((d) => d.validationDeltas)]
        : [{ success: ing.validationStatus ?? [], informational: [], failure: [] }];
      for (const l of lists) {
        if (!l) continue;
        for (const e of [...l.success, ...l.informational, ...l.failure]) {
          const url = e.url !== undefined && link.targetLabel ? toAbsolute(e.url, link.targetLabel) : e.url;
          out.add(key(e.code, url));
        }
      }
    }
  }
  return out;
}

/** The report blocks computed from the log. */
export interface ComputedResults {
  readonly results: ValidationResults;
  readonly status: StatusEntry[];
  readonly state: Exclude<ValidationState, null>;
}

/** Partition and filter the log, then decide the state. */
export function computeResults(store: ManifestStore, activeLabel: string, logged: readonly LoggedStatus[]): ComputedResults {
  const recorded = recordedStatuses(store);
  const active: LoggedStatus[] = [];
  const deltas = new Map<string, LoggedStatus[]>();
  for (const item of logged) {
    const inActive = manifestLabelOf(item.entry.url) === activeLabel;
    if (!inActive && recorded.has(key(item.entry.code, item.entry.url))) continue;
    if (item.scope === undefined) active.push(item);
    else {
      const list = deltas.get(item.scope) ?? [];
      list.push(item);
      deltas.set(item.scope, list);
    }
  }
  const activeManifest = toBuckets(active);
  const ingredientDeltas = [...deltas].map(([uri, items]) => ({ ingredientAssertionURI: uri, validationDeltas: toBuckets(items) }));
  const status = [...activeManifest.failure, ...ingredientDeltas.flatMap((d) => d.validationDeltas.failure)];
  return {
    results: { activeManifest, ingredientDeltas },
    status,
    state: stateOf(
      activeManifest,
      ingredientDeltas.map((d) => d.validationDeltas),
    ),
  };
}

/** The c2pa-rs validation state of an active manifest's buckets and its deltas. */
export function stateOf(active: StatusBuckets, deltas: readonly StatusBuckets[]): Exclude<ValidationState, null> {
  const has = (code: string) => active.success.some((e) => e.code === code);
  const allFailures = [...active.failure, ...deltas.flatMap((d) => d.failure)];
  const valid =
    has('claimSignature.validated') &&
    has('claimSignature.insideValidity') &&
    allFailures.every((e) => e.code === 'signingCredential.untrusted');
  if (!valid) return 'Invalid';
  return has('signingCredential.trusted') && allFailures.length === 0 ? 'Trusted' : 'Valid';
}

/** The state of one manifest judged on its own entries (for chain steps). */
export function manifestState(items: readonly LoggedStatus[]): Exclude<ValidationState, null> {
  const failures = items.filter((i) => i.kind === 'failure').map((i) => i.entry);
  if (failures.some((e) => e.code !== 'signingCredential.untrusted')) return 'Invalid';
  if (!items.some((i) => i.entry.code === 'claimSignature.validated')) return 'Invalid';
  return failures.length === 0 && items.some((i) => i.entry.code === 'signingCredential.trusted') ? 'Trusted' : 'Valid';
}
