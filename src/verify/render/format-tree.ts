/**
 * The investigator's view (`aigc inspect`): the report as a readable tree — the store with
 * every manifest (active first) and its signer, actions, ingredients and assertions; the
 * GB 45438 label with provider codes decoded and where it was found; the provenance chain
 * with creation at the root; every validation code with its explanation.
 */
import type { ManifestGeneration } from '../report/generation.ts';
import { watermarkLine } from '../../watermark/describe.ts';
import { GB45438_FIELDS } from '../../labels/implicit/types.ts';
import type { ChainStep, ManifestSummary, VerifyReport } from '../report/report.ts';
import { clip, labelMeaning, providerParts, node, renderTree, signerLine, signerNodes, statusLine, type TreeNode } from './text-tree.ts';
import type { StatusBuckets } from '../engine/tracker.ts';

function buckets(b: StatusBuckets): TreeNode[] {
  return [...b.success, ...b.informational, ...b.failure].map((e) => node(statusLine(e)));
}

const X5CHAIN_TEXT: Readonly<Record<string, string>> = {
  'protected-33': 'protected header, label 33',
  'protected-text': 'protected header, text key "x5chain"',
  'unprotected-text': 'unprotected header, text key "x5chain" (C2PA 1.x)',
};

function generationNode(g: ManifestGeneration): TreeNode {
  const ts = g.timestamp?.map((t) => `${t.header} (${t.tokens.join(', ') || 'no token'})`).join(', ') ?? 'none';
  return node(`generation: C2PA ${g.c2pa}, ${g.claim_label ?? `claim v${g.claim_version}`}, ${g.label_form} label`, [
    node(`certificate chain: ${g.x5chain ? X5CHAIN_TEXT[g.x5chain] ?? g.x5chain : 'unreadable'}`),
    node(`time-stamp: ${ts}${g.ocsp_stapled ? '; OCSP stapled (rVals)' : ''}`),
    g.assertions.length ? node(`versions: ${g.assertions.map((a) => `${a.label} v${a.version}`).join(', ')}`) : undefined,
  ]);
}

function manifestNode(m: ManifestSummary, active: boolean): TreeNode {
  const gen = (m.claim_generator_info ?? []).map((g) => {
    const x = g as { name?: string; version?: string };
    return [x.name, x.version].filter(Boolean).join(' ');
  }).join(', ') || m.claim_generator;
  const head = `${active ? '[active] ' : ''}${m.label} (${m.manifest_type ?? 'standard'}, claim v${m.claim_version})`;
  const s = m.signature_info;
  return node(head, [
    m.title ? node(`title: ${m.title}`) : undefined,
    gen ? node(`claim generator: ${gen}`) : undefined,
    m.instance_id ? node(`instance: ${m.instance_id}`) : undefined,
    m.generation ? generationNode(m.generation) : undefined,
    node(`signer: ${signerLine(s)}`, s ? signerNodes(s) : []),
    node(`actions (${m.actions.length})`, m.actions.map((a) => node(
      [a.action, a.when && `at ${a.when}`, a.digitalSourceType && `source ${a.digitalSourceType.split('/').at(-1)}`,
        a.softwareAgent ? `by ${agentName(a.softwareAgent)}` : undefined, a.description && `"${a.description}"`].filter(Boolean).join(' '),
    ))),
    node(`ingredients (${m.ingredients.length})`, m.ingredients.map((i) => node(
      `${i.label}: ${i.relationship ?? '?'} ${i.title ? `"${i.title}" ` : ''}${i.format ?? ''}${i.active_manifest ? ` → ${i.active_manifest}` : ' (no manifest)'}`,
    ))),
    m.gb45438 ? node('GB 45438 assertion', Object.entries(m.gb45438).map(([k, v]) => node(`${k}: ${clip(typeof v === 'string' ? v : JSON.stringify(v))}`))) : undefined,
    m.thumbnail ? node(`thumbnail: ${m.thumbnail.format}`) : undefined,
    node(`assertions (${m.details?.length ?? m.assertions.length})`, (m.details ?? m.assertions.map((a) => ({ label: a.label, kind: a.kind ?? 'cbor' }))).map((d) => {
      const x = d as { label: string; kind: string; listed?: string; media_type?: string; size?: number; error?: string; data?: unknown };
      const what = x.media_type ? `${x.media_type}, ${x.size} bytes` : x.kind;
      const data = x.data !== undefined && !x.media_type ? JSON.stringify(x.data) : undefined;
      return node(`${x.label} (${what}${x.listed ? `, ${x.listed}` : ''})${x.error ? ` ERROR ${x.error}` : ''}`,
        data ? [node(clip(data, 400))] : []);
    })),
  ]);
}

function labelNodes(r: VerifyReport): TreeNode[] {
  const l = r.labels.gb45438;
  const out: TreeNode[] = [];
  if (l) {
    out.push(node(`GB 45438 label${l.wrapped ? ' ({"AIGC":…} wrapper)' : ''}`, [
      ...GB45438_FIELDS.map((f) => {
        const v = l.fields[f];
        const p = f === 'ContentProducer' ? l.decoded.ContentProducer : f === 'ContentPropagator' ? l.decoded.ContentPropagator : undefined;
        const extra = f === 'Label' && v ? ` (${labelMeaning(v)})` : p ? ` (${providerParts(p)})` : '';
        return node(`${f}: ${v === '' ? '(empty)' : clip(v)}${extra}`);
      }),
      node(`found in: ${l.found_in.join(', ')}`),
      ...l.conflicts.map((c) => node(`CONFLICTING value in ${c.found_in}: ${JSON.stringify(c.fields)}`)),
      r.labels.signed ? node(`signed in manifest: ${r.labels.signed.manifest}`) : node('not covered by any signed manifest'),
      securityNode(r),
    ]));
  } else out.push(node('GB 45438 label: none found'));
  for (const m of r.labels.malformed) out.push(node(`unreadable label in ${m.found_in}: ${m.message}`));
  if (r.labels.iptc) out.push(node(`IPTC DigitalSourceType: ${r.labels.iptc.digitalSourceType} (found in ${r.labels.iptc.found_in.join(', ')})`));
  return out;
}

const KEY_TEXT = { bound: 'key tied to the signer certificate', unbound: 'KEY NOT TIED to the named signer\'s certificate', unverified: 'key not tied to any certificate' } as const;

/** The label's ReservedCode1/2 security data checks. */
function securityNode(r: VerifyReport): TreeNode | undefined {
  const findings = r.labels.security_data;
  if (!findings?.length) return undefined;
  return node('security data', findings.map((f) => {
    const head = `${f.field} (${f.party} ${f.provider_code || '(no code)'}): ${f.status === 'invalid' ? 'INVALID' : f.status}${f.alg ? ` ${f.alg}` : ''}`;
    const key = f.key ? `, ${KEY_TEXT[f.key]}${f.manifest ? ` (${f.manifest})` : ''}` : '';
    return node(`${head}${key}`, [node(f.explanation)]);
  }));
}

/** The index of the step that recorded `s`'s failures. */
function recorder(steps: readonly ChainStep[], s: ChainStep): string {
  return String(steps.find((x) => x.manifest === s.recorded_by)?.index ?? '?');
}

function chainNode(steps: readonly ChainStep[]): TreeNode | undefined {
  let tree: TreeNode | undefined;
  for (const s of [...steps].reverse()) {
    const shown = ['Label', 'ContentProducer', 'ProduceID', 'ContentPropagator', 'PropagateID'] as const;
    const fields = s.label_fields ? shown.filter((k) => s.label_fields![k]).map((k) => `${k}=${s.label_fields![k]}`).join(' ') : '';
    tree = node(`[${s.index}] ${s.role}: ${s.manifest} — ${s.validation_state}`, [
      node(`signer: ${signerLine(s.signer)}${s.time ? ` at ${s.time}` : ''}`),
      node(`actions: ${s.actions.join(', ') || 'none'}${s.digital_source_type ? ` (${s.digital_source_type.split('/').at(-1)})` : ''}`),
      fields ? node(`label fields: ${fields}`) : undefined,
      ...s.failures.map((f) => node(statusLine(f))),
      ...(s.recorded_failures ?? []).map((f) => node(`recorded by step ${recorder(steps, s)}: ${f.code}: ${f.explanation}${f.url ? `  [${f.url}]` : ''}`)),
      tree,
    ]);
  }
  return tree;
}

/** Render a report (ideally from `inspect`, which adds assertion details) as a text tree. */
export function formatInspectTree(r: VerifyReport, title?: string): string {
  const lines: string[] = [];
  lines.push(`${title ?? 'asset'}: ${r.format.id ?? 'unknown format'}${r.format.mime ? ` (${r.format.mime})` : ''}`);
  lines.push(`verdict: ${r.validation_state ?? 'no manifest'}${r.c2pa_validation_state !== r.validation_state ? ` (C2PA alone: ${r.c2pa_validation_state ?? 'none'})` : ''}`);
  if (r.error) lines.push(`error: [${r.error.code}] ${r.error.message}`);
  const labels = Object.keys(r.manifests);
  const roots: TreeNode[] = [];
  if (labels.length) {
    const ordered = r.active_manifest ? [r.active_manifest, ...labels.filter((l) => l !== r.active_manifest)] : labels;
    roots.push(node(`manifest store: ${labels.length} manifest(s)`, ordered.map((l) => manifestNode(r.manifests[l]!, l === r.active_manifest))));
  } else roots.push(node('manifest store: none'));
  roots.push(node('labels', labelNodes(r)));
  const chain = chainNode(r.chain);
  if (chain) roots.push(node('provenance chain (creation first)', [chain]));
  const vr = r.validation_results;
  const validation: TreeNode[] = [];
  if (vr) {
    validation.push(node('active manifest', buckets(vr.activeManifest)));
    for (const d of vr.ingredientDeltas) validation.push(node(`ingredient ${d.ingredientAssertionURI}`, buckets(d.validationDeltas)));
  }
  validation.push(node('labels and chain', r.labels.status.map((e) => node(statusLine(e)))));
  roots.push(node('validation', validation));
  if (r.watermark) roots.push(node(watermarkLine(r.watermark)));
  if (r.warnings.length) roots.push(node('warnings', r.warnings.map((w) => node(w))));
  return [...lines, ...renderTree(roots)].join('\n');
}

/** A software agent by name (`name version`, as claim_generator_info is shown), not as raw JSON. */
export function agentName(agent: unknown): string {
  if (typeof agent === 'string') return agent;
  if (agent && typeof agent === 'object') {
    const a = agent as { name?: unknown; version?: unknown };
    if (typeof a.name === 'string') return typeof a.version === 'string' || typeof a.version === 'number' ? `${a.name} ${a.version}` : a.name;
  }
  return JSON.stringify(agent);
}
