/**
 * The report's tabular sections: the GB 45438 label (seven fields, decoded provider codes, carriers,
 * comparison with the signed assertion, security data), the explicit label the manifest records, the
 * signers' certificates (validity, fingerprint, trust anchor, time-stamp, OCSP), and every validation
 * code grouped by kind with its explanation.
 */
import type { VerifyReport } from '../verify/report/report.ts';
import type { ProviderCode } from '../labels/provider-code.ts';
import type { Translate } from './i18n.ts';
import { esc, rows } from './html-escape.ts';
import { STATUS, isStatusCode } from '../verify/report/status-codes.ts';
import { explanationText } from '../verify/render/text-tree.ts';

const FIELDS = ['Label', 'ContentProducer', 'ProduceID', 'ReservedCode1', 'ContentPropagator', 'PropagateID', 'ReservedCode2'] as const;

function provider(p: ProviderCode | undefined, tr: Translate): string {
  return p ? tr('label.provider', { subject: p.subjectTypeName, service: p.serviceTypeName, model: p.modelCode }) : '';
}

/** The GB 45438 label section. */
export function labelSection(r: VerifyReport, tr: Translate): string {
  const head = `<section aria-labelledby="label-h"><h2 id="label-h">${esc(tr('section.label'))}</h2>`;
  const l = r.labels.gb45438;
  if (!l) return `${head}<p>${esc(tr('label.none'))}</p></section>`;
  const signed = r.labels.signed?.fields as Record<string, string> | undefined;
  const fields = l.fields as unknown as Record<string, string>;
  const trs = FIELDS.map((f) => {
    const v = fields[f] ?? '';
    const decoded =
      f === 'Label' && /^[123]$/.test(v)
        ? tr(`label.value.${v as '1'}`)
        : f === 'ContentProducer'
          ? provider(l.decoded.ContentProducer, tr)
          : f === 'ContentPropagator'
            ? provider(l.decoded.ContentPropagator, tr)
            : '';
    const shown = v.length > 120 ? `${v.slice(0, 117)}…` : v;
    return `<tr><th scope="row">${f}</th><td><code>${esc(shown)}</code></td><td>${esc(decoded)}</td></tr>`;
  }).join('');
  const same = signed ? FIELDS.every((f) => (signed[f] ?? '') === (fields[f] ?? '')) : undefined;
  const cmp = same === undefined ? tr('label.noSigned') : same ? tr('label.matches') : tr('label.differs');
  const sec = (r.labels.security_data ?? [])
    .map(
      (s) =>
        `<li><code>${esc(s.field)}</code> (${esc(s.party)}): ${esc(s.status)}${s.key ? `, key ${esc(s.key)}` : ''} — ${esc(s.explanation)}</li>`,
    )
    .join('');
  return `${head}
<table><thead><tr><th scope="col">${esc(tr('label.field'))}</th><th scope="col">${esc(tr('label.valueCol'))}</th><th scope="col">${esc(tr('label.decoded'))}</th></tr></thead><tbody>${trs}</tbody></table>
<p>${esc(tr('label.foundIn'))}: ${l.found_in.map((c) => `<code>${esc(c)}</code>`).join(', ')}</p>
<p class="cmp">${esc(cmp)}</p>
${sec ? `<h3>${esc(tr('label.security'))}</h3><ul>${sec}</ul>` : ''}
</section>`;
}

/** The explicit label section (what the manifest says was applied). */
export function explicitSection(r: VerifyReport, tr: Translate): string {
  const head = `<section aria-labelledby="explicit-h"><h2 id="explicit-h">${esc(tr('section.explicit'))}</h2>`;
  const found = Object.values(r.manifests)
    .map((m) => (m.gb45438 as { explicit?: Record<string, unknown> } | undefined)?.explicit)
    .find(Boolean);
  if (!found) return `${head}<p>${esc(tr('explicit.none'))}</p></section>`;
  return `${head}<table><tbody>${rows([
    [tr('explicit.kind'), found.kind],
    [tr('explicit.text'), found.text],
    [tr('explicit.position'), found.position],
    [tr('explicit.size'), found.relativeHeight],
    [tr('explicit.duration'), found.durationMs === undefined ? undefined : `${found.durationMs} ms`],
  ])}</tbody></table></section>`;
}

/** The certificates section: one table per signed manifest, chain order. */
export function certificatesSection(r: VerifyReport, tr: Translate): string {
  const tables = r.chain
    .map((s) => {
      const si = (s.signer ?? r.manifests[s.manifest]?.signature_info) as
        | (Record<string, unknown> & { time?: string; timestamp_trusted?: boolean })
        | undefined;
      if (!si) return '';
      const ts = si.time
        ? tr(si.timestamp_trusted ? 'cert.timestampTrusted' : 'cert.timestampUntrusted', { time: si.time })
        : tr('cert.none');
      const anchor = si.trust_anchor ?? si.anchor;
      return `<h3>${s.index + 1}. ${esc(tr(`role.${s.role}`))} — <code>${esc(s.manifest)}</code></h3><table><tbody>${rows([
        [tr('cert.subject'), si.subject ?? si.common_name],
        [tr('cert.issuer'), si.issuer_dn ?? si.issuer],
        [tr('cert.validity'), si.not_before ? `${si.not_before} — ${si.not_after}` : undefined],
        [tr('cert.serial'), si.cert_serial_number],
        [tr('cert.fingerprint'), si.cert_sha256 ?? si.fingerprint_sha256 ?? si.fingerprint],
        [tr('cert.credential'), si.credential],
        ['Trust anchor', typeof anchor === 'object' ? JSON.stringify(anchor) : anchor],
        [tr('cert.timestamp'), ts],
        ['OCSP', si.ocsp ? JSON.stringify(si.ocsp) : undefined],
      ])}</tbody></table>`;
    })
    .join('');
  return `<section aria-labelledby="cert-h"><h2 id="cert-h">${esc(tr('section.certificates'))}</h2>${tables || `<p>${esc(tr('codes.none'))}</p>`}</section>`;
}

function list(
  kind: 'success' | 'informational' | 'failure',
  entries: readonly { code: string; explanation?: string }[],
  tr: Translate,
): string {
  const explain = (e: { code: string; explanation?: string }) =>
    isStatusCode(e.code) && e.explanation !== undefined
      ? explanationText({ code: e.code, explanation: e.explanation }, tr.lang)
      : e.explanation;
  const items = entries.map((e) => `<li><code>${esc(e.code)}</code>${e.explanation ? ` — ${esc(explain(e))}` : ''}</li>`).join('');
  return `<h4>${esc(tr(`codes.${kind}`))} (${entries.length})</h4>${items ? `<ul class="codes ${kind}">${items}</ul>` : `<p>${esc(tr('codes.none'))}</p>`}`;
}

/** The kind of a code from the status table (codes it does not know count as failures when they read like one). */
export function codeKind(code: string): 'success' | 'informational' | 'failure' {
  const known = (STATUS as Record<string, readonly [string, ...unknown[]] | undefined>)[code];
  if (known) return known[0] as 'success' | 'informational' | 'failure';
  return /mismatch|invalid|malformed|missing|revoked|expired|untrusted|failure|outsideValidity/i.test(code) ? 'failure' : 'informational';
}

/** Every validation code, grouped by kind, with its explanation. */
export function codesSection(r: VerifyReport, tr: Translate): string {
  const am = r.validation_results?.activeManifest;
  const c2pa = am
    ? `<h3>C2PA</h3>${list('success', am.success, tr)}${list('informational', am.informational, tr)}${list('failure', am.failure, tr)}`
    : '';
  const ours = r.labels.status;
  const by = (k: string) => ours.filter((s) => codeKind(s.code) === k);
  return `<section aria-labelledby="codes-h"><h2 id="codes-h">${esc(tr('section.codes'))}</h2>${c2pa}
<h3>${esc(tr('codes.labels'))}</h3>${list('success', by('success'), tr)}${list('informational', by('informational'), tr)}${list('failure', by('failure'), tr)}</section>`;
}
