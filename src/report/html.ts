/**
 * The investigator's report as one self-contained HTML page, rendered from the same report object
 * that `--json` prints (one model, two views): no script, no external asset, no network; images are
 * `data:` URIs and a Content-Security-Policy forbids everything else. Sections: verdict banner,
 * provenance chain (creation → each step, ingredients as branches, thumbnails), GB 45438 label,
 * explicit label, certificates, validation codes, raw JSON. Text in Chinese or English.
 */
import type { VerifyReport } from '../verify/report/report.ts';
import { translator, type Lang, type Translate } from './i18n.ts';
import { certificatesSection, codeKind, codesSection, explicitSection, labelSection } from './html-sections.ts';
import { chainSection } from './html-chain.ts';
import { esc } from './html-escape.ts';
import { explanationText } from '../verify/render/text-tree.ts';
import { REPORT_CSS } from './html-style.ts';
import { tooShortArgs } from '../watermark/describe.ts';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  readonly lang: Lang;
  /** The file name shown in the banner. */
  readonly fileName?: string;
  /** Thumbnails as data URIs: by manifest label, and `file` for the file itself. */
  readonly thumbnails?: Readonly<Record<string, string>>;
  /** Time shown as the report's creation time (default now). */
  readonly now?: Date;
  readonly version?: string;
}

/** The five verdicts a reader sees. */
export type ReportVerdict = 'Trusted' | 'Valid' | 'Invalid' | 'unsignedLabel' | 'nothing';

/** The banner's verdict: the report's state, or what the file holds when it has no manifest. */
export function verdictOf(r: VerifyReport): ReportVerdict {
  if (r.validation_state) return r.validation_state;
  if (r.labels.gb45438) return r.labels.status.some((s) => codeKind(s.code) === 'failure') ? 'Invalid' : 'unsignedLabel';
  return 'nothing';
}

/** One sentence saying why the verdict is what it is. */
export function reasonOf(r: VerifyReport, tr: Translate): string {
  const v = verdictOf(r);
  if (v !== 'Invalid') return tr(`reason.${v}`);
  const step = r.chain.find((s) => s.validation_state === 'Invalid' && s.failures.length > 0);
  if (step)
    return tr('reason.InvalidChain', {
      step: step.index + 1,
      role: tr(`role.${step.role}`),
      explanation: explanationText(step.failures[0]!, tr.lang),
    });
  const failure = r.error ? undefined : [...r.validation_status, ...r.labels.status].find((s) => codeKind(s.code) === 'failure');
  const explanation = r.error ? r.error.message : failure ? explanationText(failure, tr.lang) : 'see the validation codes below';
  return tr('reason.Invalid', { explanation });
}

/** The report's sections (the content of the page's `<main>`), for pages that embed the report (the service's `/`). */
export function renderReportBody(r: VerifyReport, opts: HtmlReportOptions): string {
  const tr = translator(opts.lang);
  const v = verdictOf(r);
  const now = (opts.now ?? new Date()).toISOString().replace('T', ' ').slice(0, 19);
  const warnings = r.warnings.length
    ? `<section aria-labelledby="warn-h"><h2 id="warn-h">${esc(tr('section.warnings'))}</h2><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`
    : '';
  const wm = r.watermark;
  const watermark = wm
    ? `<section aria-labelledby="wm-h"><h2 id="wm-h">${esc(tr('section.watermark'))}</h2><p>${esc(
        'error' in wm
          ? tr('watermark.error', { message: wm.error.message })
          : wm.found
            ? tr('watermark.found', {
                id: wm.id ?? '',
                alg: wm.alg,
                p: wm.log10PValue < -300 ? `1e${Math.round(wm.log10PValue)}` : wm.pValue.toExponential(1),
                margin: wm.margin.toFixed(2),
              })
            : wm.tooShort
              ? tr('watermark.tooShort', tooShortArgs(wm.durationMs))
              : tr('watermark.none', { margin: wm.margin.toFixed(2) }),
      )}</p></section>`
    : '';
  return `<header class="banner verdict-${v}" role="status" data-verdict="${v}">
<h1><span class="verdict">${esc(tr(`verdict.${v}`))}</span></h1>
<p class="reason">${esc(reasonOf(r, tr))}</p>
${opts.fileName ? `<p class="file">${esc(tr('report.file'))}: <code>${esc(opts.fileName)}</code></p>` : ''}
</header>
${chainSection(r, tr, opts.thumbnails ?? {})}
${labelSection(r, tr)}
${explicitSection(r, tr)}
${certificatesSection(r, tr)}
${codesSection(r, tr)}
${watermark}
${warnings}
<section aria-labelledby="raw-h"><h2 id="raw-h">${esc(tr('section.raw'))}</h2>
<details><summary>JSON</summary><pre class="raw">${esc(JSON.stringify(r, null, 2))}</pre></details></section>
<footer><p>${esc(tr('report.generated', { time: now, version: opts.version ?? '0.1.0' }))}</p></footer>`;
}

/** Render the report page. */
export function renderHtmlReport(r: VerifyReport, opts: HtmlReportOptions): string {
  const tr = translator(opts.lang);
  const title = `${tr('report.title')}${opts.fileName ? ` — ${opts.fileName}` : ''}`;
  return `<!doctype html>
<html lang="${opts.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${renderReportBody(r, opts)}
</main>
</body>
</html>
`;
}
