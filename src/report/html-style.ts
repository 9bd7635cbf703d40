/** The report's stylesheet (inline; the page loads nothing). Colours meet WCAG AA contrast. */
export const REPORT_CSS = `
:root{--fg:#1b1b1b;--muted:#4a4a4a;--line:#c9c9c9;--ok:#0b5d1e;--okbg:#e3f4e6;--warn:#6b4a00;--warnbg:#fff4d6;--bad:#8a1010;--badbg:#fde7e7;--info:#1f3f73;--infobg:#e6eefb}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:#fff}
main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}
h1{margin:0;font-size:1.6rem}
h2{font-size:1.2rem;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:28px}
.banner{border-radius:8px;padding:14px 18px;border:2px solid}
.verdict-Trusted{background:var(--okbg);border-color:var(--ok);color:var(--ok)}
.verdict-Valid,.verdict-unsignedLabel{background:var(--warnbg);border-color:var(--warn);color:var(--warn)}
.verdict-Invalid{background:var(--badbg);border-color:var(--bad);color:var(--bad)}
.verdict-nothing{background:var(--infobg);border-color:var(--info);color:var(--info)}
.banner .reason,.banner .file{color:var(--fg);margin:6px 0 0}
.chain{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:28px 36px;align-items:stretch}
.node{position:relative;width:240px;border:2px solid var(--line);border-radius:8px;padding:10px;background:#fafafa;overflow-wrap:anywhere}
.node:not(:last-child)::after{content:"\\2192";position:absolute;right:-30px;top:40%;font-size:22px;color:var(--muted)}
.node.fail{border-color:var(--bad);background:var(--badbg)}
.node.ok{border-color:var(--ok)}
.node .role{font-weight:700}
.node .why{color:var(--bad);font-weight:600;margin:6px 0 0}
.node figure{margin:0 0 8px;height:120px;display:flex;align-items:center;justify-content:center;background:#eee;border-radius:4px}
.node figure img{max-width:100%;max-height:120px}
.node figure span{color:var(--muted);font-size:.85rem}
.node dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:0;font-size:.88rem}
.node dt{color:var(--muted)}
.node dd{margin:0}
.branches{margin:8px 0 0;padding-left:16px;font-size:.85rem;border-left:3px solid var(--line)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f2f2f2;font-weight:600}
.codes li{margin:2px 0}
.codes .failure code{color:var(--bad)}
.codes .success code{color:var(--ok)}
.raw{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem;max-height:600px;overflow:auto;background:#f6f6f6;padding:8px}
footer{margin-top:32px;color:var(--muted);font-size:.85rem}
@media print{.node:not(:last-child)::after{display:none}details{display:none}}
`;
