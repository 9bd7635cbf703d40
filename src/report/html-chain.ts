/**
 * The provenance chain drawn as a graph: one node per step (creation first), each with its thumbnail,
 * signer organisation, role, provider code, time and state; ingredients that are not themselves steps
 * hang under their step as branches. Failing steps stand out and say why. Nodes wrap onto new rows,
 * so a long chain stays readable.
 */
import type { VerifyReport } from '../verify/report/report.ts';
import type { Translate } from './i18n.ts';
import { esc } from './html-escape.ts';
import { explanationText } from '../verify/render/text-tree.ts';

function thumb(label: string, thumbnails: Readonly<Record<string, string>>, alt: string, tr: Translate): string {
  const src = thumbnails[label];
  return src && /^data:image\/(jpeg|png|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(src)
    ? `<figure><img src="${src}" alt="${esc(alt)}"></figure>`
    : `<figure><span>${esc(tr('node.noThumbnail'))}</span></figure>`;
}

/** The chain section. */
export function chainSection(r: VerifyReport, tr: Translate, thumbnails: Readonly<Record<string, string>>): string {
  const inChain = new Set(r.chain.map((s) => s.manifest));
  const last = r.chain.length - 1;
  const nodes = r.chain.map((s, i) => {
    const m = r.manifests[s.manifest];
    const si = s.signer ?? m?.signature_info;
    const org = si?.issuer ?? si?.common_name ?? '';
    const code = si?.provider_code ?? '';
    const role = tr(`role.${s.role}`);
    const certRole = si?.role === 'producer' || si?.role === 'propagator' ? tr(`role.${si.role}`) : si?.role;
    const failing = s.validation_state === 'Invalid';
    // A step can fail by its own checks or by what a later step recorded for it (issue #12).
    const why = s.failures[0] ?? s.recorded_failures?.[0];
    const branches = (m?.ingredients ?? []).filter((g) => !g.active_manifest || !inChain.has(g.active_manifest));
    const img = thumbnails[s.manifest] ? s.manifest : i === last ? 'file' : s.manifest;
    return `<li class="node ${failing ? 'fail' : 'ok'}" data-step="${i + 1}" data-state="${esc(s.validation_state)}">
${thumb(img, thumbnails, `${role} ${i + 1}: ${org}`, tr)}
<div class="role">${i + 1}. ${esc(role)}</div>
<dl>
<dt>${esc(tr('node.signer'))}</dt><dd>${esc(org)}${certRole ? ` (${esc(certRole)})` : ''}</dd>
${code ? `<dt>${esc(tr('node.code'))}</dt><dd><code>${esc(code)}</code></dd>` : ''}
${s.time ? `<dt>${esc(tr('node.time'))}</dt><dd>${esc(s.time)}</dd>` : ''}
<dt>${esc(tr('node.state'))}</dt><dd>${esc(s.validation_state)}</dd>
</dl>
${failing && why ? `<p class="why">${esc(why.code)}: ${esc(explanationText(why, tr.lang))}</p>` : ''}
${branches.length ? `<ul class="branches">${branches.map((g) => `<li>${esc(tr('node.ingredient'))}: ${esc(g.title ?? g.label)}${g.relationship ? ` (${esc(g.relationship)})` : ''}</li>`).join('')}</ul>` : ''}
</li>`;
  });
  const body = nodes.length ? `<ol class="chain">${nodes.join('\n')}</ol>` : `<p>${esc(tr('reason.nothing'))}</p>`;
  return `<section aria-labelledby="chain-h"><h2 id="chain-h">${esc(tr('section.chain'))}</h2>\n${body}</section>`;
}
