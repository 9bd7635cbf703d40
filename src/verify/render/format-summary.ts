/**
 * The short human summary `aigc verify` prints: verdict, signer, label, chain and every
 * failure with its explanation — in English or Chinese (texts from src/i18n/; codes as they are).
 */
import { watermarkLine } from '../../watermark/describe.ts';
import type { VerifyReport } from '../report/report.ts';
import { labelMeaning, signerLine, stateWord, statusLine } from './text-tree.ts';
import { kindOf } from '../report/status-codes.ts';
import { t, type Lang } from '../../i18n/lang.ts';

/** Render the summary (several lines, no trailing newline) in `lang` (default English). */
export function formatVerifySummary(r: VerifyReport, title?: string, lang: Lang = 'en'): string {
  const out: string[] = [];
  const state = r.validation_state ? stateWord(r.validation_state, lang) : t(lang, r.labels.gb45438 ? 'state.unsignedOnly' : 'state.none');
  const c2pa =
    r.c2pa_validation_state && r.c2pa_validation_state !== r.validation_state
      ? t(lang, 'sum.c2paAlone', { state: stateWord(r.c2pa_validation_state, lang) })
      : '';
  out.push(t(lang, 'sum.head', { title: title ?? t(lang, 'sum.asset'), state, c2pa }));
  if (r.error) out.push(`  ${t(lang, 'sum.error', { code: r.error.code, message: r.error.message })}`);
  if (r.active_manifest) {
    const m = r.manifests[r.active_manifest];
    out.push(
      `  ${t(lang, 'sum.signer', { signer: signerLine(m?.signature_info, lang), time: m?.signature_info?.time ? t(lang, 'sum.at', { time: m.signature_info.time }) : '' })}`,
    );
    const anchor = m?.signature_info?.trust_anchor;
    if (anchor) out.push(`  ${t(lang, 'sum.trusted', { subject: anchor.subject, list: anchor.list })}`);
  }
  if (r.chain.length > 1) {
    // A step that is worse than the verdict of the C2PA checks is marked: that is where the chain broke.
    const mark = (s: VerifyReport['chain'][number]) => (s.validation_state === 'Invalid' ? `[${stateWord('Invalid', lang)}]` : '');
    const steps = r.chain.map((s) => `${t(lang, `step.${s.role}`)}(${s.signer?.common_name ?? '?'})${mark(s)}`).join(' → ');
    out.push(`  ${t(lang, 'sum.chain', { steps })}`);
  }
  const l = r.labels.gb45438;
  if (l) {
    out.push(
      `  ${t(lang, 'sum.label', {
        label: l.fields.Label,
        meaning: labelMeaning(l.fields.Label, lang),
        producer: l.fields.ContentProducer || '-',
        id: l.fields.ProduceID || '-',
        propagator: l.fields.ContentPropagator ? t(lang, 'sum.propagator', { code: l.fields.ContentPropagator }) : '',
        where: l.found_in.join(', '),
      })}`,
    );
  } else out.push(`  ${t(lang, 'sum.labelNone')}`);
  const failures = [...r.validation_status, ...r.labels.status.filter((e) => kindOf(e.code) === 'failure')];
  for (const f of failures) out.push(`  ${statusLine(f, lang)}`);
  if (r.watermark) out.push(`  ${watermarkLine(r.watermark, lang)}`);
  for (const w of r.warnings) out.push(`  ${t(lang, 'sum.warning', { text: w })}`);
  return out.join('\n');
}
