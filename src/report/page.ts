/**
 * The service's report page (`aigc serve` at `/` and `/report/:jobId`): a file is dropped or chosen,
 * uploaded to the service's own `/v1/inspect`, and the report — the same sections as `inspect --html`,
 * rendered on the server from the same report object by {@link renderReportBody} — replaces the page's
 * report area; the address becomes `/report/:jobId`, a link to the finished report that renders it
 * server-side. The page loads only its own stylesheet and script (no third-party script or font), under
 * a strict Content-Security-Policy ({@link PAGE_CSP}).
 */
import type { VerifyReport } from '../verify/report/report.ts';
import { renderReportBody } from './html.ts';
import { esc } from './html-escape.ts';
import { REPORT_CSS } from './html-style.ts';
import { translator, type Lang } from './i18n.ts';

/** The page's Content-Security-Policy: its own script and stylesheet, data: images, fetches to itself only. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Where the page's stylesheet and script are served. */
export const PAGE_ASSETS = { css: '/assets/report-page.css', js: '/assets/report-page.js' } as const;

/** The page's stylesheet: the report's plus the upload area. */
export const PAGE_CSS = `${REPORT_CSS}
.upload{border:2px dashed var(--line);border-radius:8px;padding:18px;margin:16px 0;text-align:center}
.upload.over{border-color:var(--info);background:var(--infobg)}
.upload label{display:inline-block;padding:6px 14px;border:1px solid var(--info);border-radius:6px;color:var(--info);cursor:pointer;font-weight:600}
.upload input[type=file]{position:absolute;width:1px;height:1px;opacity:0}
.upload input[type=file]:focus+label{outline:3px solid var(--info);outline-offset:2px}
.status{min-height:1.5em;color:var(--muted)}
.status.error{color:var(--bad)}
.top{display:flex;justify-content:space-between;align-items:baseline;gap:12px}
`;

/** What the page shows under the upload area. */
export type PageContent =
  | { readonly kind: 'empty' }
  | { readonly kind: 'report'; readonly report: VerifyReport; readonly jobId: string }
  | { readonly kind: 'pending'; readonly jobId: string }
  | { readonly kind: 'notFound'; readonly jobId: string };

/** Render the page (`/` with no report, `/report/:jobId` with one). */
export function renderReportPage(content: PageContent, lang: Lang): string {
  const tr = translator(lang);
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const here = content.kind === 'empty' ? '/' : `/report/${encodeURIComponent(content.jobId)}`;
  const body =
    content.kind === 'report'
      ? renderReportBody(content.report, { lang })
      : content.kind === 'pending'
        ? `<p class="status">${esc(tr('page.pending'))}</p>`
        : content.kind === 'notFound'
          ? `<p class="status error">${esc(tr('page.notFound', { id: content.jobId }))}</p>`
          : '';
  const messages = { verifying: tr('page.verifying'), done: tr('page.done'), failed: tr('page.failed') };
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${content.kind === 'pending' ? '<meta http-equiv="refresh" content="2">' : ''}
<title>${esc(tr('page.title'))} — ${esc(tr('report.title'))}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${PAGE_ASSETS.css}">
<script src="${PAGE_ASSETS.js}" defer></script>
</head>
<body>
<main>
<div class="top"><h1>${esc(tr('page.title'))}</h1><a href="${esc(here)}?lang=${other}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${esc(tr('page.other'))}</a></div>
<p>${esc(tr('page.intro'))}</p>
<form class="upload" id="upload" data-verifying="${esc(messages.verifying)}" data-done="${esc(messages.done)}" data-failed="${esc(messages.failed)}">
<p>${esc(tr('page.drop'))}</p>
<input type="file" id="file" name="file"><label for="file">${esc(tr('page.choose'))}</label>
<noscript><p>${esc(tr('page.noscript'))}</p></noscript>
</form>
<p class="status" id="status" role="status" aria-live="polite"></p>
<p id="link-p"${content.kind === 'report' ? '' : ' hidden'}><a id="link" href="${esc(here)}?lang=${lang}">${esc(tr('page.link'))}</a></p>
<div id="report" aria-live="polite">
${body}
</div>
</main>
</body>
</html>
`;
}

/**
 * The page's script (served as a file, so the policy needs no 'unsafe-inline'): upload the dropped or
 * chosen file to `/v1/inspect`, wait for its job when the service answers 202, then fetch
 * `/report/:jobId?part=report` (the report's HTML, rendered on the server) and put it in the page.
 */
export const PAGE_SCRIPT = `'use strict';
(() => {
  const form = document.getElementById('upload');
  const input = document.getElementById('file');
  const status = document.getElementById('status');
  const out = document.getElementById('report');
  const link = document.getElementById('link');
  const linkP = document.getElementById('link-p');
  const lang = document.documentElement.dataset.lang;
  const say = (text, error) => { status.textContent = text; status.classList.toggle('error', !!error); };
  const fill = (template, values) => template.replace(/\\{(\\w+)\\}/g, (m, k) => (k in values ? values[k] : m));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  /** A failed upload or report fetch, shown in the status line (the page's own error type; the toolkit's typed errors do not run in the browser). */
  class UploadError extends Error {}
  async function failure(r) {
    try { const e = await r.json(); return (e && e.error && e.error.message) || String(r.status); } catch { return String(r.status); }
  }
  async function check(file) {
    say(fill(form.dataset.verifying, { name: file.name }));
    out.setAttribute('aria-busy', 'true');
    try {
      const r = await fetch('/v1/inspect', { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } });
      if (r.status !== 200 && r.status !== 202) throw new UploadError(await failure(r));
      let id = r.headers.get('x-aigc-job');
      if (r.status === 202) {
        id = (await r.json()).id;
        for (let i = 0; i < 900; i++) {
          await sleep(1000);
          const j = await fetch('/v1/jobs/' + encodeURIComponent(id));
          if (j.status === 200) break;
          if (j.status !== 202) throw new UploadError(await failure(j));
        }
      }
      const page = await fetch('/report/' + encodeURIComponent(id) + '?part=report&lang=' + lang);
      if (!page.ok) throw new UploadError(await failure(page));
      const doc = new DOMParser().parseFromString(await page.text(), 'text/html');
      out.replaceChildren(...Array.from(doc.body.childNodes));
      const href = '/report/' + encodeURIComponent(id) + '?lang=' + lang;
      link.href = href;
      linkP.hidden = false;
      history.pushState(null, '', href);
      say(fill(form.dataset.done, { name: file.name }));
    } catch (err) {
      say(fill(form.dataset.failed, { message: err && err.message ? err.message : String(err) }), true);
    } finally {
      out.removeAttribute('aria-busy');
    }
  }
  input.addEventListener('change', () => { if (input.files && input.files[0]) check(input.files[0]); });
  form.addEventListener('submit', (e) => { e.preventDefault(); if (input.files && input.files[0]) check(input.files[0]); });
  form.addEventListener('dragover', (e) => { e.preventDefault(); form.classList.add('over'); });
  form.addEventListener('dragleave', () => form.classList.remove('over'));
  form.addEventListener('drop', (e) => {
    e.preventDefault();
    form.classList.remove('over');
    const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (f) check(f);
  });
})();
`;
