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
import {
  clip,
  explanationText,
  labelMeaning,
  providerParts,
  node,
  renderTree,
  signerLine,
  signerNodes,
  stateWord,
  statusLine,
  type TreeNode,
} from './text-tree.ts';
import type { StatusBuckets } from '../engine/tracker.ts';
import { isMessageKey, t, type Lang } from '../../i18n/lang.ts';

function buckets(b: StatusBuckets, lang: Lang): TreeNode[] {
  return [...b.success, ...b.informational, ...b.failure].map((e) => node(statusLine(e, lang)));
}

function generationNode(g: ManifestGeneration, lang: Lang): TreeNode {
  const ts =
    g.timestamp?.map((x) => `${x.header} (${x.tokens.join(', ') || t(lang, 'gen.noToken')})`).join(', ') ?? t(lang, 'state.noneWord');
  const x5 = g.x5chain ? `gen.x5.${g.x5chain}` : undefined;
  return node(
    t(lang, 'gen.head', { c2pa: g.c2pa, claim: g.claim_label ?? t(lang, 'gen.claimV', { v: g.claim_version }), form: g.label_form }),
    [
      node(t(lang, 'gen.x5chain', { v: x5 ? (isMessageKey(x5) ? t(lang, x5) : g.x5chain!) : t(lang, 'gen.unreadable') })),
      node(t(lang, 'gen.timestamp', { v: ts, ocsp: g.ocsp_stapled ? t(lang, 'gen.ocsp') : '' })),
      g.assertions.length
        ? node(t(lang, 'gen.versions', { v: g.assertions.map((a) => `${a.label} v${a.version}`).join(', ') }))
        : undefined,
    ],
  );
}

function manifestNode(m: ManifestSummary, active: boolean, lang: Lang): TreeNode {
  const gen =
    (m.claim_generator_info ?? [])
      .map((g) => {
        const x = g as { name?: string; version?: string };
        return [x.name, x.version].filter(Boolean).join(' ');
      })
      .join(', ') || m.claim_generator;
  const head = t(lang, 'tree.manifestHead', {
    active: active ? t(lang, 'tree.active') : '',
    label: m.label,
    type: m.manifest_type ?? 'standard',
    version: m.claim_version,
  });
  const s = m.signature_info;
  return node(head, [
    m.title ? node(t(lang, 'tree.title', { v: m.title })) : undefined,
    gen ? node(t(lang, 'tree.generator', { v: gen })) : undefined,
    m.instance_id ? node(t(lang, 'tree.instance', { v: m.instance_id })) : undefined,
    m.generation ? generationNode(m.generation, lang) : undefined,
    node(t(lang, 'tree.signer', { v: signerLine(s, lang) }), s ? signerNodes(s, lang) : []),
    node(
      t(lang, 'tree.actions', { n: m.actions.length }),
      m.actions.map((a) =>
        node(
          [
            a.action,
            a.when && t(lang, 'act.at', { v: a.when }),
            a.digitalSourceType && t(lang, 'act.source', { v: a.digitalSourceType.split('/').at(-1)! }),
            a.softwareAgent ? t(lang, 'act.by', { v: agentName(a.softwareAgent) }) : undefined,
            a.description && `"${a.description}"`,
          ]
            .filter(Boolean)
            .join(' '),
        ),
      ),
    ),
    node(
      t(lang, 'tree.ingredients', { n: m.ingredients.length }),
      m.ingredients.map((i) =>
        node(
          `${i.label}: ${i.relationship ?? '?'} ${i.title ? `"${i.title}" ` : ''}${i.format ?? ''}${i.active_manifest ? ` → ${i.active_manifest}` : t(lang, 'ingr.noManifest')}`,
        ),
      ),
    ),
    m.gb45438
      ? node(
          t(lang, 'tree.gbAssertion'),
          Object.entries(m.gb45438).map(([k, v]) => node(`${k}: ${clip(typeof v === 'string' ? v : JSON.stringify(v))}`)),
        )
      : undefined,
    m.thumbnail ? node(t(lang, 'tree.thumbnail', { v: m.thumbnail.format })) : undefined,
    node(
      t(lang, 'tree.assertions', { n: m.details?.length ?? m.assertions.length }),
      (m.details ?? m.assertions.map((a) => ({ label: a.label, kind: a.kind ?? 'cbor' }))).map((d) => {
        const x = d as { label: string; kind: string; listed?: string; media_type?: string; size?: number; error?: string; data?: unknown };
        const what = x.media_type ? t(lang, 'tree.bytes', { type: x.media_type, n: String(x.size) }) : x.kind;
        const data = x.data !== undefined && !x.media_type ? JSON.stringify(x.data) : undefined;
        return node(
          `${x.label} (${what}${x.listed ? `, ${x.listed}` : ''})${x.error ? t(lang, 'tree.assertionError', { v: x.error }) : ''}`,
          data ? [node(clip(data, 400))] : [],
        );
      }),
    ),
  ]);
}

function labelNodes(r: VerifyReport, lang: Lang): TreeNode[] {
  const l = r.labels.gb45438;
  const out: TreeNode[] = [];
  if (l) {
    out.push(
      node(t(lang, 'lbl.head', { wrapped: l.wrapped ? t(lang, 'lbl.wrapped') : '' }), [
        ...GB45438_FIELDS.map((f) => {
          const v = l.fields[f];
          const p =
            f === 'ContentProducer' ? l.decoded.ContentProducer : f === 'ContentPropagator' ? l.decoded.ContentPropagator : undefined;
          const extra = f === 'Label' && v ? ` (${labelMeaning(v, lang)})` : p ? ` (${providerParts(p, lang)})` : '';
          return node(`${f}: ${v === '' ? t(lang, 'lbl.empty') : clip(v)}${extra}`);
        }),
        node(t(lang, 'lbl.foundIn', { v: l.found_in.join(', ') })),
        ...l.conflicts.map((c) => node(t(lang, 'lbl.conflict', { where: c.found_in, fields: JSON.stringify(c.fields) }))),
        r.labels.signed ? node(t(lang, 'lbl.signed', { v: r.labels.signed.manifest })) : node(t(lang, 'lbl.unsigned')),
        securityNode(r, lang),
      ]),
    );
  } else out.push(node(t(lang, 'lbl.none')));
  for (const m of r.labels.malformed) out.push(node(t(lang, 'lbl.unreadable', { where: m.found_in, message: m.message })));
  if (r.labels.iptc) out.push(node(t(lang, 'lbl.iptc', { v: r.labels.iptc.digitalSourceType, where: r.labels.iptc.found_in.join(', ') })));
  return out;
}

/** The label's ReservedCode1/2 security data checks. */
function securityNode(r: VerifyReport, lang: Lang): TreeNode | undefined {
  const findings = r.labels.security_data;
  if (!findings?.length) return undefined;
  return node(
    t(lang, 'sec.head'),
    findings.map((f) => {
      const head = t(lang, 'sec.line', {
        field: f.field,
        party: f.party,
        code: f.provider_code || t(lang, 'sec.noCode'),
        status: f.status === 'invalid' ? t(lang, 'sec.invalid') : f.status,
        alg: f.alg ? ` ${f.alg}` : '',
      });
      const key = f.key ? `, ${t(lang, `sec.key.${f.key}`)}${f.manifest ? ` (${f.manifest})` : ''}` : '';
      return node(`${head}${key}`, [node(f.explanation)]);
    }),
  );
}

/** The index of the step that recorded `s`'s failures. */
function recorder(steps: readonly ChainStep[], s: ChainStep): string {
  return String(steps.find((x) => x.manifest === s.recorded_by)?.index ?? '?');
}

function chainNode(steps: readonly ChainStep[], lang: Lang): TreeNode | undefined {
  let tree: TreeNode | undefined;
  for (const s of [...steps].reverse()) {
    const shown = ['Label', 'ContentProducer', 'ProduceID', 'ContentPropagator', 'PropagateID'] as const;
    const fields = s.label_fields
      ? shown
          .filter((k) => s.label_fields![k])
          .map((k) => `${k}=${s.label_fields![k]}`)
          .join(' ')
      : '';
    tree = node(
      t(lang, 'chain.step', {
        index: s.index,
        role: t(lang, `step.${s.role}`),
        manifest: s.manifest,
        state: lang === 'en' ? String(s.validation_state) : stateWord(s.validation_state, lang, 'state.noneWord'),
      }),
      [
        node(t(lang, 'chain.signer', { signer: signerLine(s.signer, lang), time: s.time ? t(lang, 'sum.at', { time: s.time }) : '' })),
        node(
          t(lang, 'chain.actions', {
            v: s.actions.join(', ') || t(lang, 'state.noneWord'),
            source: s.digital_source_type ? ` (${s.digital_source_type.split('/').at(-1)})` : '',
          }),
        ),
        fields ? node(t(lang, 'chain.fields', { v: fields })) : undefined,
        ...s.failures.map((f) => node(statusLine(f, lang))),
        ...(s.recorded_failures ?? []).map((f) =>
          node(
            t(lang, 'chain.recorded', {
              step: recorder(steps, s),
              code: f.code,
              explanation: explanationText(f, lang),
              url: f.url ? `  [${f.url}]` : '',
            }),
          ),
        ),
        tree,
      ],
    );
  }
  return tree;
}

/** Render a report (ideally from `inspect`, which adds assertion details) as a text tree, in `lang` (default English). */
export function formatInspectTree(r: VerifyReport, title?: string, lang: Lang = 'en'): string {
  const lines: string[] = [];
  lines.push(
    t(lang, 'tree.head', {
      title: title ?? t(lang, 'sum.asset'),
      format: r.format.id ?? t(lang, 'tree.unknownFormat'),
      mime: r.format.mime ? ` (${r.format.mime})` : '',
    }),
  );
  const c2pa =
    r.c2pa_validation_state !== r.validation_state
      ? t(lang, 'sum.c2paAlone', { state: stateWord(r.c2pa_validation_state, lang, 'state.noneWord') })
      : '';
  lines.push(t(lang, 'tree.verdict', { state: stateWord(r.validation_state, lang), c2pa }));
  if (r.error) lines.push(t(lang, 'sum.error', { code: r.error.code, message: r.error.message }));
  const labels = Object.keys(r.manifests);
  const roots: TreeNode[] = [];
  if (labels.length) {
    const ordered = r.active_manifest ? [r.active_manifest, ...labels.filter((l) => l !== r.active_manifest)] : labels;
    roots.push(
      node(
        t(lang, 'tree.store', { n: labels.length }),
        ordered.map((l) => manifestNode(r.manifests[l]!, l === r.active_manifest, lang)),
      ),
    );
  } else roots.push(node(t(lang, 'tree.storeNone')));
  roots.push(node(t(lang, 'tree.labels'), labelNodes(r, lang)));
  const chain = chainNode(r.chain, lang);
  if (chain) roots.push(node(t(lang, 'tree.chain'), [chain]));
  const vr = r.validation_results;
  const validation: TreeNode[] = [];
  if (vr) {
    validation.push(node(t(lang, 'tree.activeManifest'), buckets(vr.activeManifest, lang)));
    for (const d of vr.ingredientDeltas)
      validation.push(node(t(lang, 'tree.ingredient', { uri: d.ingredientAssertionURI }), buckets(d.validationDeltas, lang)));
  }
  validation.push(
    node(
      t(lang, 'tree.labelsAndChain'),
      r.labels.status.map((e) => node(statusLine(e, lang))),
    ),
  );
  roots.push(node(t(lang, 'tree.validation'), validation));
  if (r.watermark) roots.push(node(watermarkLine(r.watermark, lang)));
  if (r.warnings.length)
    roots.push(
      node(
        t(lang, 'tree.warnings'),
        r.warnings.map((w) => node(w)),
      ),
    );
  return [...lines, ...renderTree(roots)].join('\n');
}

/** A software agent by name (`name version`, as claim_generator_info is shown), not as raw JSON. */
export function agentName(agent: unknown): string {
  if (typeof agent === 'string') return agent;
  if (agent && typeof agent === 'object') {
    const a = agent as { name?: unknown; version?: unknown };
    if (typeof a.name === 'string')
      return typeof a.version === 'string' || typeof a.version === 'number' ? `${a.name} ${a.version}` : a.name;
  }
  return JSON.stringify(agent);
}
