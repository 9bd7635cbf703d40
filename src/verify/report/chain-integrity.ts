/**
 * The chain is only as good as its weakest link (issue #12 §1). After the manifests are
 * validated and the chain is built, this check looks at every manifest of the provenance
 * chain and every ingredient they name:
 *  - a step (other than the active one, which is the C2PA verdict itself) whose own
 *    validation failed → `chain.step.invalid`;
 *  - a failure that a later step *recorded* when it took the file as its ingredient
 *    (`validationResults` of `c2pa.ingredient.v3`, `validationStatus` of v1/v2): the
 *    recorded failure is attached to the step it names (`recorded_failures`), which becomes
 *    Invalid → `chain.step.invalid`. This is how a content hash the platform saw fail stays
 *    visible: ingredient manifests' content hashes cannot be rechecked (their bytes are gone),
 *    and c2pa-rs drops recorded failures from the deltas;
 *  - a recorded failure of an ingredient outside the chain (componentOf) → `chain.ingredient.invalid`;
 *  - an ingredient whose manifest reference names a manifest the store lacks → `chain.ingredient.missing`.
 * `signingCredential.untrusted` recorded by a platform that had no trust anchors is not a
 * failure here: trust is judged by this verifier with its own anchors (as c2pa-rs's Valid).
 * The codes go to `labels.status`, so `c2pa_validation_state` stays the SDK's verdict while
 * `validation_state` becomes Invalid.
 */
import type { Manifest, ManifestStore } from '../../manifest/index.ts';
import { findManifest, manifestUri } from '../../manifest/index.ts';
import { ingredientLinks, type IngredientLink } from '../engine/ingredient-links.ts';
import type { ChainStep } from './report.ts';
import { isStatusCode, kindOf, status, type StatusCode, type StatusEntry } from './status-codes.ts';
import { manifestLabelOf, toAbsolute, urls } from '../engine/uri.ts';

/** Recorded codes that do not make a step Invalid (trust is judged here, with our anchors). */
const NOT_A_FAILURE: ReadonlySet<string> = new Set(['signingCredential.untrusted']);

/** How a step is named in explanations: `step 0 (creation, urn:…, signed by X)`. */
export function stepName(s: ChainStep): string {
  const who = s.signer?.common_name ?? s.signer?.issuer;
  return `step ${s.index} (${s.role}, ${s.manifest}${who ? `, signed by ${who}` : ''})`;
}

/** Failures an ingredient assertion recorded, with absolute URLs. */
export function recordedFailures(link: IngredientLink): StatusEntry[] {
  const ing = link.ingredient;
  if (!ing) return [];
  const vr = ing.validationResults;
  const raw = vr
    ? [...(vr.activeManifest?.failure ?? []), ...(vr.ingredientDeltas ?? []).flatMap((d) => d.validationDeltas.failure)]
    : (ing.validationStatus ?? []).filter((e) => isStatusCode(e.code) && kindOf(e.code) === 'failure');
  const out: StatusEntry[] = [];
  const seen = new Set<string>();
  for (const e of raw) {
    if (NOT_A_FAILURE.has(e.code)) continue;
    const url = e.url !== undefined && link.targetLabel ? toAbsolute(e.url, link.targetLabel) : e.url;
    const key = `${e.code}\u0000${url ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Codes from other writers may be unknown to us; keep them verbatim as failures.
    out.push({
      code: e.code as StatusCode,
      ...(url !== undefined ? { url } : {}),
      explanation: e.explanation ?? (isStatusCode(e.code) ? status(e.code).explanation : e.code),
    });
  }
  return out;
}

const codesOf = (list: readonly StatusEntry[]): string => [...new Set(list.map((e) => e.code))].join(', ');

/**
 * Check the chain's integrity; fills each step's `recorded_failures` (and makes it Invalid)
 * and returns the `chain.*` entries for `labels.status`.
 */
export function checkChainIntegrity(store: ManifestStore, chain: ChainStep[]): StatusEntry[] {
  const out: StatusEntry[] = [];
  const byLabel = new Map(chain.map((s) => [s.manifest, s]));
  for (const step of chain) {
    const m: Manifest | undefined = findManifest(store, step.manifest);
    if (!m) continue;
    for (const link of ingredientLinks(store, m)) {
      const where = urls.assertion(m, link.assertion.label);
      if (link.targetLabel && !link.target) {
        out.push(
          status(
            'chain.ingredient.missing',
            where,
            `${stepName(step)}: its ingredient ${link.assertion.label} (${link.ingredient?.title ?? 'no title'}) names manifest ${link.targetLabel}, which is not in the store`,
          ),
        );
      }
      for (const f of recordedFailures(link)) {
        const named =
          byLabel.get(manifestLabelOf(f.url) ?? link.targetLabel ?? '') ?? (link.targetLabel ? byLabel.get(link.targetLabel) : undefined);
        if (named && named !== step) {
          named.recorded_failures ??= [];
          if (!named.recorded_failures.some((x) => x.code === f.code && x.url === f.url)) {
            named.recorded_failures.push({
              ...f,
              explanation: `${f.explanation} (recorded by step ${step.index}, ${step.manifest}, when it took the file as an ingredient)`,
            });
          }
          named.recorded_by ??= step.manifest;
        } else {
          out.push(
            status(
              'chain.ingredient.invalid',
              where,
              `${stepName(step)}: its ingredient ${link.assertion.label} (${link.ingredient?.title ?? 'no title'}) was recorded with ${f.code}${f.url ? ` at ${f.url}` : ''}`,
            ),
          );
        }
      }
    }
  }
  const last = chain.length - 1;
  for (const s of chain) {
    const recorded = s.recorded_failures ?? [];
    if (recorded.length > 0) s.validation_state = 'Invalid';
    const own = s.index === last ? [] : s.failures.filter((f) => !NOT_A_FAILURE.has(f.code));
    if (s.validation_state !== 'Invalid' || (own.length === 0 && recorded.length === 0)) continue;
    const by = s.recorded_by ? byLabel.get(s.recorded_by) : undefined;
    const parts = [
      own.length ? `its own validation failed (${codesOf(own)})` : '',
      recorded.length
        ? `${by ? `step ${by.index}` : 'a later step'} recorded ${codesOf(recorded)} when it took the file as its ingredient`
        : '',
    ].filter(Boolean);
    out.push(status('chain.step.invalid', manifestUri(s.manifest), `${stepName(s)} is Invalid: ${parts.join('; ')}`));
  }
  if (chain.length > 1 && out.length === 0)
    out.push(status('chain.validated', undefined, `all ${chain.length} steps of the provenance chain validated`));
  return out;
}
