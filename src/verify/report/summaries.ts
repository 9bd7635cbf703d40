/**
 * The `manifests` map of the report: one c2pa-rs-like summary per manifest (claim fields,
 * thumbnail, signer, assertions, actions, ingredients, our GB 45438 assertion) and, for
 * `inspect`, every assertion with its decoded content.
 */
import { generationOf } from './generation.ts';
import {
  interpretAssertion,
  isHardBindingLabel,
  isThumbnailLabel,
  withoutInstance,
  readEmbeddedFile,
  GB45438_ASSERTION_LABEL,
  type KnownAssertion,
  type Manifest,
  type ManifestStore,
  type StoredAssertion,
} from '../../manifest/index.ts';
import type { ManifestResult } from '../engine/context.ts';
import { ingredientLinks, isIngredientLabel } from '../engine/ingredient-links.ts';
import { jsonSafe } from './json-safe.ts';
import type { ActionSummary, AssertionDetail, IngredientSummary, ManifestSummary } from './report.ts';
import { signatureInfoOf } from './signer-info.ts';
import { toAbsolute, urls } from '../engine/uri.ts';

function known(a: StoredAssertion, result: ManifestResult | undefined): KnownAssertion | undefined {
  const k = result?.known.get(a.label);
  if (k) return k;
  try {
    return interpretAssertion(a);
  } catch {
    return undefined;
  }
}

/** The actions of a manifest, in order (all actions assertions). */
export function actionsOf(m: Manifest, result?: ManifestResult): ActionSummary[] {
  const out: ActionSummary[] = [];
  for (const a of m.assertions) {
    const k = known(a, result);
    if (k?.type !== 'actions') continue;
    for (const x of k.value.actions) {
      const s: ActionSummary = { action: x.action };
      if (x.when) s.when = x.when;
      if (x.softwareAgent) s.softwareAgent = jsonSafe(x.softwareAgent);
      if (x.digitalSourceType) s.digitalSourceType = x.digitalSourceType;
      if (x.description) s.description = x.description;
      if (x.parameters) s.parameters = jsonSafe(x.parameters);
      out.push(s);
    }
  }
  return out;
}

/** Our GB 45438 assertion's fields, when the manifest has a readable one. */
export function gb45438Of(m: Manifest, result?: ManifestResult): Record<string, unknown> | undefined {
  for (const a of m.assertions) {
    if (withoutInstance(a.label) !== GB45438_ASSERTION_LABEL) continue;
    const k = known(a, result);
    if (k?.type === 'gb45438') return { ...k.value.label, ...(k.value.explicit ? { explicit: jsonSafe(k.value.explicit) } : {}) };
  }
  return undefined;
}

function ingredientSummaries(store: ManifestStore, m: Manifest): IngredientSummary[] {
  return ingredientLinks(store, m).map((l) => {
    const s: IngredientSummary = { label: l.assertion.label };
    const i = l.ingredient;
    if (!i) return s;
    if (i.title) s.title = i.title;
    if (i.format) s.format = i.format;
    if (i.instanceID) s.instance_id = i.instanceID;
    s.relationship = i.relationship;
    if (l.targetLabel) s.active_manifest = l.targetLabel;
    if (i.validationResults) s.validation_results = jsonSafe(i.validationResults) as IngredientSummary['validation_results'];
    if (i.validationStatus) s.validation_status = i.validationStatus.map((e) => ({ ...e }));
    if (i.thumbnail) s.thumbnail = { identifier: toAbsolute(i.thumbnail.url, m.label) };
    return s;
  });
}

function detailOf(a: StoredAssertion, listed: Map<string, 'created' | 'gathered'>): AssertionDetail {
  const d: AssertionDetail = { label: a.label, kind: a.kind, listed: listed.get(a.label) ?? 'unlisted' };
  if (a.error) d.error = a.error.message;
  if (a.kind === 'embedded-file') {
    try {
      const f = readEmbeddedFile(a.box);
      d.media_type = f.mediaType;
      d.size = f.data.length;
    } catch (err) {
      d.error = (err as Error).message;
    }
  } else if (a.data !== undefined) d.data = jsonSafe(a.data);
  return d;
}

/** Summarise one manifest. `detail` adds every assertion's decoded content. */
export function summarizeManifest(store: ManifestStore, m: Manifest, result: ManifestResult | undefined, detail = false): ManifestSummary {
  const c = m.claim;
  const s: ManifestSummary = {
    label: m.label,
    claim_version: c?.version ?? 2,
    manifest_type: m.type,
    generation: generationOf(m, result),
    assertions: [],
    actions: actionsOf(m, result),
    ingredients: ingredientSummaries(store, m),
  };
  if (c) {
    if (c.claimGeneratorInfo.length) s.claim_generator_info = c.claimGeneratorInfo.map((x) => jsonSafe(x));
    if (c.claimGenerator) s.claim_generator = c.claimGenerator;
    if (c.title) s.title = c.title;
    if (c.format) s.format = c.format;
    s.instance_id = c.instanceID;
  }
  for (const a of m.assertions) {
    const base = withoutInstance(a.label);
    if (isThumbnailLabel(base)) {
      if (base.startsWith('c2pa.thumbnail.claim') && !s.thumbnail) {
        const k = known(a, result);
        s.thumbnail = {
          format: k?.type === 'thumbnail' ? k.value.mediaType : 'application/octet-stream',
          identifier: urls.assertion(m, a.label),
        };
      }
      continue;
    }
    if (isHardBindingLabel(a.label) || isIngredientLabel(a.label) || a.data === undefined) continue;
    s.assertions.push({ label: a.label, data: jsonSafe(a.data), kind: a.kind === 'json' ? 'Json' : 'Cbor' });
  }
  const info = signatureInfoOf(m, result);
  if (info) s.signature_info = info;
  const gb = gb45438Of(m, result);
  if (gb) s.gb45438 = gb;
  if (detail) {
    const listed = new Map<string, 'created' | 'gathered'>();
    const label = (u: string) => u.split('/').at(-1) ?? u;
    for (const u of c?.gatheredAssertions ?? []) listed.set(label(u.url), 'gathered');
    for (const u of c?.createdAssertions ?? []) listed.set(label(u.url), 'created');
    s.details = m.assertions.map((a) => detailOf(a, listed));
  }
  return s;
}
