/**
 * What the platform's decision and upload policy read (issue #10 item 6), as neutral
 * structures from the one read of the upload: the C2PA digital source type from the parsed
 * manifest store's actions, the collected GB 45438 label with its security-data findings,
 * the IPTC type, the verdict and the failing codes. The decision never looks at the report's
 * JSON shape (its manifest summaries), so `propagate` decides from what it parsed.
 */
import type { Gb45438Label } from '../labels/implicit/types.ts';
import { isAiSourceType } from '../labels/implicit/types.ts';
import { interpretAssertion, type ManifestStore } from '../manifest/index.ts';
import type { SecurityDataFinding, VerifyReport } from '../verify/report/report.ts';
import { kindOf, type StatusEntry } from '../verify/report/status-codes.ts';

/** The facts about an upload that the Art. 6 decision and the upload policy weigh. */
export interface UploadFacts {
  /** Our verdict on the upload (null: no manifest, or unreadable). */
  readonly state: VerifyReport['validation_state'];
  /** The GB 45438 label found in the file's metadata, and where. */
  readonly label: { readonly fields: Gb45438Label; readonly foundIn: readonly string[] } | null;
  /** The ReservedCode1/2 findings of the verification (null when it made none). */
  readonly securityData: readonly SecurityDataFinding[] | null;
  /** The first AI digital source type in any manifest's actions (active first), else the first one at all. */
  readonly c2paSourceType: string | null;
  readonly iptcSourceType: string | null;
  /** Every failure that counts against the upload: C2PA (except `signingCredential.untrusted`), label and chain codes. */
  readonly failures: readonly StatusEntry[];
}

/**
 * The facts of a verification: `store` is the manifest store the verification parsed (the
 * digital source type is read from its action assertions); without it, from the report.
 */
export function uploadFacts(report: VerifyReport, store?: ManifestStore): UploadFacts {
  const label = report.labels.gb45438;
  return {
    state: report.validation_state,
    label: label ? { fields: label.fields, foundIn: label.found_in } : null,
    securityData: report.labels.security_data ?? null,
    c2paSourceType: store ? firstSourceType(storeSourceTypes(store)) : firstSourceType(reportSourceTypes(report)),
    iptcSourceType: report.labels.iptc?.digitalSourceType ?? null,
    failures: [
      ...report.validation_status.filter((e) => e.code !== 'signingCredential.untrusted'),
      ...report.labels.status.filter((e) => kindOf(e.code) === 'failure'),
    ],
  };
}

function firstSourceType(types: Iterable<string>): string | null {
  let first: string | null = null;
  for (const t of types) {
    if (isAiSourceType(t)) return t;
    first ??= t;
  }
  return first;
}

/** Digital source types of the store's actions, active manifest first. */
function* storeSourceTypes(store: ManifestStore): Generator<string> {
  const manifests = store.active ? [store.active, ...store.manifests.filter((m) => m !== store.active)] : store.manifests;
  for (const m of manifests) {
    for (const a of m.assertions) {
      let k: ReturnType<typeof interpretAssertion>;
      try {
        k = interpretAssertion(a);
      } catch {
        continue; // a malformed actions assertion is the verification's finding, not a trace
      }
      if (k?.type !== 'actions') continue;
      for (const x of k.value.actions) if (x.digitalSourceType) yield x.digitalSourceType;
    }
  }
}

/** The same from a report's manifest summaries (for a report without its parsed store). */
function* reportSourceTypes(report: VerifyReport): Generator<string> {
  const labels = Object.keys(report.manifests);
  if (report.active_manifest) labels.sort((a, b) => (a === report.active_manifest ? -1 : b === report.active_manifest ? 1 : 0));
  for (const l of labels) for (const a of report.manifests[l]!.actions) if (a.digitalSourceType) yield a.digitalSourceType;
}

/** Whether a value is already {@link UploadFacts} (rather than a report). */
export function isUploadFacts(v: VerifyReport | UploadFacts): v is UploadFacts {
  return 'failures' in v && 'c2paSourceType' in v;
}
