/**
 * The short human summary `aigc verify` prints: verdict, signer, label, chain and every
 * failure with its explanation.
 */
import { watermarkLine } from '../../watermark/describe.ts';
import type { VerifyReport } from '../report/report.ts';
import { labelMeaning, signerLine, statusLine } from './text-tree.ts';
import { kindOf } from '../report/status-codes.ts';

/** Render the summary (several lines, no trailing newline). */
export function formatVerifySummary(r: VerifyReport, title?: string): string {
  const out: string[] = [];
  const state = r.validation_state ?? (r.labels.gb45438 ? 'no manifest (unsigned label only)' : 'no manifest');
  out.push(`${title ?? 'asset'}: ${state}${r.c2pa_validation_state && r.c2pa_validation_state !== r.validation_state ? ` (C2PA alone: ${r.c2pa_validation_state})` : ''}`);
  if (r.error) out.push(`  error: [${r.error.code}] ${r.error.message}`);
  if (r.active_manifest) {
    const m = r.manifests[r.active_manifest];
    out.push(`  signer: ${signerLine(m?.signature_info)}${m?.signature_info?.time ? ` at ${m.signature_info.time}` : ''}`);
    const anchor = m?.signature_info?.trust_anchor;
    if (anchor) out.push(`  trusted: anchor "${anchor.subject}" in ${anchor.list}`);
  }
  if (r.chain.length > 1) {
    // A step that is worse than the verdict of the C2PA checks is marked: that is where the chain broke.
    const mark = (s: VerifyReport['chain'][number]) => (s.validation_state === 'Invalid' ? '[Invalid]' : '');
    out.push(`  chain: ${r.chain.map((s) => `${s.role}(${s.signer?.common_name ?? '?'})${mark(s)}`).join(' → ')}`);
  }
  const l = r.labels.gb45438;
  if (l) {
    out.push(`  label: Label=${l.fields.Label} (${labelMeaning(l.fields.Label)}) producer=${l.fields.ContentProducer || '-'} id=${l.fields.ProduceID || '-'}`
      + `${l.fields.ContentPropagator ? ` propagator=${l.fields.ContentPropagator}` : ''} [${l.found_in.join(', ')}]`);
  } else out.push('  label: none');
  const failures = [
    ...r.validation_status,
    ...r.labels.status.filter((e) => kindOf(e.code) === 'failure'),
  ];
  for (const f of failures) out.push(`  ${statusLine(f)}`);
  if (r.watermark) out.push(`  ${watermarkLine(r.watermark)}`);
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}
