/**
 * The seam of the GB 45438 label cross-checks: each check is one file in `checks/` and one
 * row of `LABEL_CHECKS` (`labels-check.ts`), like the manifest steps of `MANIFEST_STEPS`.
 * A check reads what the verifier found ({@link LabelCheckInput}) and logs status codes
 * that go to `labels.status`, never into `validation_results`.
 */
import { GB45438_FIELDS, type Gb45438Label } from '../../labels/implicit/types.ts';
import type { ManifestStore } from '../../manifest/index.ts';
import type { ChainStep, LabelReport, LabelsSection } from '../report/report.ts';
import type { StatusCode } from '../report/status-codes.ts';
import type { CollectedLabels } from './collect.ts';
import type { SignerCertificates } from './security-check.ts';

/** What the verifier adds for the checks that need more than the chain summary. */
export interface LabelCheckContext extends Partial<SignerCertificates> {
  /** The manifest store, to tell a stripped creation manifest from one that never existed. */
  readonly store?: ManifestStore;
  /** The container's name when C2PA defines no manifest embedding for it (MKV/WebM, FLV, Ogg). */
  readonly c2paUndefinedFor?: string;
}

/** Everything a label check may read. */
export interface LabelCheckInput {
  readonly collected: CollectedLabels;
  /** The file's authoritative GB 45438 label, if any. */
  readonly file: LabelReport | null;
  /** The provenance chain, creation first (empty: no manifest). */
  readonly chain: readonly ChainStep[];
  readonly hasStore: boolean;
  /** The latest GB 45438 assertion signed in the chain. */
  readonly signed: { readonly manifest: string; readonly fields: Gb45438Label } | null;
  /**
   * Where the label's producer is checked: the chain's first step when it is a creation step,
   * or the latest `edit` step of a producer that stamped a file which already had provenance
   * (issue #12 §4: it signs its own producer label and starts a new content item).
   */
  readonly creation: ChainStep | undefined;
  /** The index of the step where the label's content item starts (0, or that restamp step's). */
  readonly itemStart: number;
  readonly context: LabelCheckContext | undefined;
}

/** Log one status code (with the URL or carrier it is about). */
export type AddStatus = (code: StatusCode, url: string | undefined, explanation?: string) => void;

/** One label cross-check. What it returns is merged into the `labels` section. */
export interface LabelCheck {
  readonly name: string;
  run(input: LabelCheckInput, add: AddStatus): Partial<Pick<LabelsSection, 'security_data'>> | void;
}

/** All seven fields of a (partial) label, absent ones empty. */
export function fullLabel(fields: Partial<Gb45438Label> | undefined): Gb45438Label | undefined {
  if (!fields) return undefined;
  const out = {} as Gb45438Label;
  for (const f of GB45438_FIELDS) out[f] = typeof fields[f] === 'string' ? fields[f]! : '';
  return out;
}

const short = (v: string | undefined): string => JSON.stringify((v ?? '').length > 40 ? `${v!.slice(0, 39)}…` : (v ?? ''));

/** The fields in which two labels differ, for an explanation. */
export function labelDifferences(a: Gb45438Label, b: Gb45438Label): string {
  return GB45438_FIELDS.filter((f) => (a[f] ?? '') !== (b[f] ?? ''))
    .map((f) => `${f} ${short(a[f])} vs ${short(b[f])}`)
    .join('; ');
}
