/**
 * The GB 45438 label section and its cross-checks (issue #3 §3, issue #6 §3–4). Codes go to
 * `labels.status`, never into `validation_results`:
 *  - the file's label: present / missing / malformed / conflicting carriers / charset;
 *  - file label vs the latest signed GB 45438 assertion in the chain (`manifestMatch` /
 *    `manifestMismatch`; `label.unsigned` when no manifest signs one);
 *  - `ContentProducer` vs the creation signer's provider code, every `ContentPropagator`
 *    vs its step's signer; `Label` vs the creation `digitalSourceType`; `ProduceID`
 *    unchanged along the chain; `c2pa.created` only at the first step; a label that claims
 *    a producer while the chain's creation manifest was stripped (`label.orphaned`: the first
 *    step's parent ingredient names a manifest the store lacks; when the first step's parent
 *    simply has no C2PA provenance the producer is only `producer.unverified`); a label whose
 *    ProduceID no manifest of the chain signs (`label.copied`: taken from another item);
 *  - the label's ReservedCode1/2 security data and the keys' certificates (`security-check.ts`);
 *  - when a producer stamped a file that already had provenance (an `edit` step signing its own
 *    producer label), the producer and ProduceID checks start at that step.
 */
import { GB45438_FIELDS, type Gb45438Label } from '../labels/implicit/types.ts';
import { sameGb45438 } from '../labels/implicit/gb45438.ts';
import type { CollectedLabels } from '../labels/implicit/collect.ts';
import { findManifest, type ManifestStore } from '../manifest/index.ts';
import { ingredientLinks } from './ingredient-links.ts';
import type { ChainStep, LabelsSection } from './report.ts';
import { checkSecurityData, type SignerCertificates } from './security-check.ts';
import { status, type StatusCode, type StatusEntry } from './status-codes.ts';

/** What the verifier adds for the checks that need more than the chain summary. */
export interface LabelCheckContext extends SignerCertificates {
  /** The manifest store, to tell a stripped creation manifest from one that never existed. */
  readonly store?: ManifestStore;
}

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
/** IPTC digital source types that mean the content was made by AI. */
export const AI_SOURCE_TYPES: ReadonlySet<string> = new Set(
  ['trainedAlgorithmicMedia', 'compositeWithTrainedAlgorithmicMedia', 'algorithmicMedia', 'compositeSynthetic'].map((t) => IPTC + t),
);

/** Whether a digital source type URI names AI output (`https:` spellings accepted). */
export function isAiSourceType(uri: string): boolean {
  return AI_SOURCE_TYPES.has(uri.replace(/^https:/, 'http:'));
}

function full(fields: Partial<Gb45438Label> | undefined): Gb45438Label | undefined {
  if (!fields) return undefined;
  const out = {} as Gb45438Label;
  for (const f of GB45438_FIELDS) out[f] = typeof fields[f] === 'string' ? fields[f]! : '';
  return out;
}

const short = (v: string | undefined): string => JSON.stringify((v ?? '').length > 40 ? `${v!.slice(0, 39)}…` : v ?? '');

function differences(a: Gb45438Label, b: Gb45438Label): string {
  return GB45438_FIELDS.filter((f) => (a[f] ?? '') !== (b[f] ?? '')).map((f) => `${f} ${short(a[f])} vs ${short(b[f])}`).join('; ');
}

/**
 * Build `labels` from the collected carriers and the chain (empty chain: no manifest).
 * `context` (from the verifier) gives the signers' certificates and the store; without them
 * keys cannot be tied to certificates and a chain without creation step counts as stripped.
 */
export function checkLabels(collected: CollectedLabels, chain: readonly ChainStep[], hasStore: boolean, context?: LabelCheckContext): LabelsSection {
  const out: StatusEntry[] = [];
  const add = (code: StatusCode, url: string | undefined, explanation?: string) => out.push(status(code, url, explanation));
  const file = collected.gb45438;
  for (const m of collected.malformed) add('gb45438.label.malformed', m.found_in, m.message);
  if (file) {
    add('gb45438.label.present', file.found_in[0], `GB 45438 label found in ${file.found_in.join(', ')}`);
    for (const w of file.warnings) if (/Annex E/.test(w)) add('gb45438.label.charset', file.found_in[0], w);
    for (const c of file.conflicts) add('gb45438.label.conflict', c.found_in, `${c.found_in} differs from ${file.found_in[0]}: ${differences(c.fields, file.fields)}`);
  } else if (collected.malformed.length === 0) {
    add('gb45438.label.missing', undefined);
  }

  const signedStep = [...chain].reverse().find((s) => s.label_fields);
  const signed = signedStep ? { manifest: signedStep.manifest, fields: full(signedStep.label_fields)! } : null;
  if (file && signed) {
    if (sameGb45438(file.fields, signed.fields)) add('gb45438.label.manifestMatch', signed.manifest, `file label equals the assertion signed in ${signed.manifest}`);
    else add('gb45438.label.manifestMismatch', signed.manifest, `file label differs from the assertion signed in ${signed.manifest}: ${differences(file.fields, signed.fields)}`);
  } else if (file) {
    add('gb45438.label.unsigned', file.found_in[0], hasStore ? 'no manifest in the chain signs a GB 45438 assertion' : 'the file has no C2PA manifest');
  }

  const first = chain[0]?.role === 'creation' ? chain[0] : undefined;
  // A producer that stamped a file which already had provenance (issue #12 §4) starts a new
  // content item: its edit step, signing its own producer label, is where the label's producer
  // and ProduceID are checked from; the earlier steps are history (their validity is the chain's).
  const restamp = [...chain].reverse().find((s) => s !== first && s.role === 'edit' && s.label_fields?.ContentProducer
    && s.signer?.provider_code === s.label_fields.ContentProducer);
  const creation = restamp ?? first;
  const producer = signed?.fields.ContentProducer || file?.fields.ContentProducer;
  if (hasStore && chain.length > 0 && !creation && producer) {
    const first = chain[0]!;
    const missing = context?.store ? strippedParent(context.store, first.manifest) : undefined;
    if (!context?.store || missing) {
      add('gb45438.label.orphaned', first.manifest, `the label names producer ${producer} but the chain has no creation manifest${missing ? ` (${missing}, the parent of ${first.manifest}, was stripped from the store)` : ''}`);
    } else {
      add('gb45438.producer.unverified', first.manifest, `the label names producer ${producer} but the chain starts at a ${first.role} step whose parent has no C2PA provenance: no creation manifest vouches for it`);
    }
  }
  if (creation) checkProducer(creation, [file?.fields.ContentProducer, creation.label_fields?.ContentProducer], add);
  for (const s of chain) if (s.role === 'propagation' && s.label_fields?.ContentPropagator) checkPropagator(s, add);

  const labelValue = file?.fields.Label || signed?.fields.Label;
  if (creation?.digital_source_type && labelValue) {
    const ai = isAiSourceType(creation.digital_source_type);
    if (labelValue === '1' && !ai) add('gb45438.label.sourceTypeMismatch', creation.manifest, `Label "1" (AI-generated) but digitalSourceType is ${creation.digital_source_type}`);
    else if (ai && !['1', '2', '3'].includes(labelValue)) add('gb45438.label.sourceTypeMismatch', creation.manifest, `digitalSourceType is AI but Label is ${JSON.stringify(labelValue)}`);
    else add('gb45438.label.sourceTypeMatch', creation.manifest);
  }

  const ids = [...chain.filter((s) => s.index >= (restamp?.index ?? 0) && s.label_fields?.ProduceID).map((s) => ({ where: s.manifest, id: s.label_fields!.ProduceID! })),
    ...(file?.fields.ProduceID ? [{ where: file.found_in[0]!, id: file.fields.ProduceID }] : [])];
  if (ids.length > 1) {
    const changed = ids.find((x) => x.id !== ids[0]!.id);
    if (changed) add('gb45438.produceId.changed', changed.where, `ProduceID ${JSON.stringify(changed.id)} in ${changed.where} differs from ${JSON.stringify(ids[0]!.id)} in ${ids[0]!.where}`);
    else add('gb45438.produceId.unchanged', undefined, `ProduceID ${JSON.stringify(ids[0]!.id)} in ${ids.length} places`);
  }
  const signedIds = [...new Set(chain.filter((s) => s.index >= (restamp?.index ?? 0)).map((s) => s.label_fields?.ProduceID).filter((v): v is string => !!v))];
  if (file?.fields.ProduceID && signedIds.length > 0 && !signedIds.includes(file.fields.ProduceID)) {
    add('gb45438.label.copied', file.found_in[0], `the label's ProduceID ${JSON.stringify(file.fields.ProduceID)} is signed by no manifest of this file's chain (which signs ${signedIds.map((v) => JSON.stringify(v)).join(', ')}): the label was taken from another content item`);
  }
  for (const s of chain.slice(1)) if (s.actions.includes('c2pa.created')) add('chain.created.notFirst', s.manifest, `step ${s.index} (${s.manifest}) claims c2pa.created`);

  const checked = file ? { fields: file.fields, where: file.found_in[0]! } : signed ? { fields: signed.fields, where: signed.manifest } : undefined;
  const security = checked ? checkSecurityData(checked.fields, checked.where, chain, context, add) : undefined;
  return { gb45438: file, iptc: collected.iptc, malformed: collected.malformed, signed, ...(security ? { security_data: security } : {}), status: out };
}

/** The label of the manifest `label`'s parentOf ingredient names when the store lacks it. */
function strippedParent(store: ManifestStore, label: string): string | undefined {
  const m = findManifest(store, label);
  if (!m) return undefined;
  return ingredientLinks(store, m).find((l) => l.ingredient?.relationship === 'parentOf' && l.targetLabel && !l.target)?.targetLabel;
}

type Add = (code: StatusCode, url: string | undefined, explanation?: string) => void;

function checkProducer(step: ChainStep, claimed: (string | undefined)[], add: Add): void {
  const values = [...new Set(claimed.filter((v): v is string => !!v))];
  if (values.length === 0) return;
  const cert = step.signer?.provider_code;
  if (!cert) {
    add('gb45438.producer.unverified', step.manifest, `creation signer ${step.signer?.common_name ?? 'unknown'} carries no provider code`);
    return;
  }
  const bad = values.filter((v) => v !== cert);
  if (bad.length) add('gb45438.producer.mismatch', step.manifest, `ContentProducer ${bad.join(', ')} but the creation signer's provider code is ${cert}`);
  else add('gb45438.producer.match', step.manifest, `ContentProducer ${cert} is the creation signer's provider code`);
}

function checkPropagator(step: ChainStep, add: Add): void {
  const claimed = step.label_fields!.ContentPropagator!;
  const cert = step.signer?.provider_code;
  if (!cert) add('gb45438.propagator.unverified', step.manifest, `signer of step ${step.index} carries no provider code`);
  else if (cert !== claimed) add('gb45438.propagator.mismatch', step.manifest, `ContentPropagator ${claimed} but the signer's provider code is ${cert}`);
  else add('gb45438.propagator.match', step.manifest, `ContentPropagator ${claimed} is the signer's provider code`);
}
