/**
 * A tiny text-tree renderer (`├─`, `└─`, `│`) and the small formatters the human outputs of
 * `aigc verify` and `aigc inspect` share, in English or Chinese (texts from src/i18n/).
 */
import type { ProviderCode } from '../../labels/provider-code.ts';
import type { SignatureInfo } from '../report/report.ts';
import type { OcspDescription } from '../../ocsp/describe.ts';
import type { StatusEntry } from '../report/status-codes.ts';
import { isStatusCode, kindOf } from '../report/status-codes.ts';
import { isMessageKey, t, type Lang } from '../../i18n/lang.ts';

/** One node of a text tree. */
export interface TreeNode {
  readonly text: string;
  readonly children?: readonly TreeNode[];
}

/** A node (children that are undefined are dropped). */
export function node(text: string, children: readonly (TreeNode | undefined)[] = []): TreeNode {
  const kids = children.filter((c): c is TreeNode => c !== undefined);
  return kids.length ? { text, children: kids } : { text };
}

/** Render a forest of nodes, one line each. */
export function renderTree(nodes: readonly TreeNode[], prefix = ''): string[] {
  const out: string[] = [];
  nodes.forEach((n, i) => {
    const last = i === nodes.length - 1;
    const [first, ...rest] = n.text.split('\n');
    out.push(`${prefix}${last ? '└─ ' : '├─ '}${first}`);
    for (const r of rest) out.push(`${prefix}${last ? '   ' : '│  '}${r}`);
    if (n.children?.length) out.push(...renderTree(n.children, `${prefix}${last ? '   ' : '│  '}`));
  });
  return out;
}

/** A provider code's parts decoded (the subject and service types in `lang`). */
export function providerParts(p: ProviderCode, lang: Lang = 'en'): string {
  const word = (key: string, fallback: string) => (isMessageKey(key) ? t(lang, key) : fallback);
  return t(lang, 'provider.parts', {
    uscc: p.uscc,
    subject: word(`provider.subject.${p.subjectType}`, p.subjectTypeName),
    service: word(`provider.service.${p.serviceType}`, p.serviceTypeName),
    model: p.modelCode,
  });
}

/** A provider code with its parts decoded. */
export function describeProvider(p: ProviderCode, lang: Lang = 'en'): string {
  return `${p.code} (${providerParts(p, lang)})`;
}

/** Shorten a long value for one line of text. */
export function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line naming a signer. */
export function signerLine(s: SignatureInfo | undefined, lang: Lang = 'en'): string {
  if (!s) return t(lang, 'signer.unsigned');
  const who = s.common_name ?? s.subject ?? t(lang, 'signer.unknown');
  return `${who}${s.issuer ? ` (${s.issuer})` : ''}${s.provider_code ? t(lang, 'signer.code', { code: s.provider_code }) : ''}`;
}

/** When a signature was made, from its time-stamp. */
function timeText(s: SignatureInfo, lang: Lang): string {
  if (s.time) {
    const form = s.timestamp_form ? t(lang, 'time.form', { header: s.timestamp_form.header, token: s.timestamp_form.token }) : '';
    return t(lang, 'time.stamped', { time: s.time, trust: t(lang, s.timestamp_trusted ? 'time.trusted' : 'time.tsaUntrusted'), form });
  }
  return s.timestamp_form
    ? t(lang, 'time.unusable', { header: s.timestamp_form.header, token: s.timestamp_form.token, status: s.timestamp_form.status })
    : t(lang, 'time.none');
}

/** A signer's GB 45438 role in `lang` (the role word of the report catalogue, else as written). */
export function roleWord(role: string, lang: Lang = 'en'): string {
  const key = `role.${role}`;
  return lang !== 'en' && isMessageKey(key) ? `${t(lang, key)}（${role}）` : role;
}

/** A stapled OCSP response as a tree node: status for the signer, validity window, responder. */
export function ocspNode(o: OcspDescription): TreeNode {
  if (o.error || o.response_status !== 'successful')
    return node(`OCSP response stapled (rVals): ${o.error ?? `status ${o.response_status}`}`);
  const mine = o.responses?.find((r) => r.for_signer);
  const head = mine
    ? `OCSP response stapled (rVals): the responder says ${mine.status}${mine.revoked_at ? ` (revoked ${mine.revoked_at}${mine.reason ? `, ${mine.reason}` : ''})` : ''} for this certificate`
    : 'OCSP response stapled (rVals): no entry for this certificate';
  const kids: TreeNode[] = [];
  if (mine) kids.push(node(`thisUpdate ${mine.this_update}${mine.next_update ? `, nextUpdate ${mine.next_update}` : ''}`));
  kids.push(node(`responder: ${o.responder}${o.produced_at ? `, produced ${o.produced_at}` : ''}`));
  for (const r of o.responses ?? []) if (!r.for_signer) kids.push(node(`other entry: serial ${r.serial} ${r.status}`));
  return node(head, kids);
}

/** Signer details as tree nodes. */
export function signerNodes(s: SignatureInfo, lang: Lang = 'en'): TreeNode[] {
  const out: TreeNode[] = [];
  if (s.subject) out.push(node(t(lang, 'tree.subject', { v: s.subject })));
  if (s.issuer_dn) out.push(node(t(lang, 'tree.issuer', { v: s.issuer_dn })));
  if (s.cert_serial_number) out.push(node(t(lang, 'tree.serial', { v: s.cert_serial_number })));
  if (s.cert_sha256) out.push(node(t(lang, 'tree.fingerprint', { v: s.cert_sha256 })));
  if (s.not_before) out.push(node(t(lang, 'tree.valid', { from: s.not_before, to: s.not_after ?? '' })));
  out.push(node(t(lang, 'tree.algorithm', { v: s.alg })));
  out.push(node(t(lang, 'tree.time', { v: timeText(s, lang) })));
  if (s.ocsp) out.push(ocspNode(s.ocsp));
  else if (s.ocsp_stapled) out.push(node(t(lang, 'tree.ocsp')));
  if (s.provider) out.push(node(t(lang, 'tree.providerCode', { v: describeProvider(s.provider, lang) })));
  else if (s.provider_code) out.push(node(t(lang, 'tree.providerCode', { v: s.provider_code })));
  if (s.role) out.push(node(t(lang, 'tree.role', { v: roleWord(s.role, lang) })));
  if (s.credential) out.push(node(t(lang, 'tree.credential', { v: s.credential })));
  return out;
}

const MARK = { success: '✓', informational: 'i', failure: '✗' } as const;

/**
 * A status entry's explanation in `lang`. English: the entry's own text. Chinese: the code's
 * standard explanation, followed by the entry's own (English) text in brackets when it says more.
 */
export function explanationText(e: StatusEntry, lang: Lang = 'en'): string {
  if (lang === 'en' || !isStatusCode(e.code)) return e.explanation;
  const own = e.explanation;
  const std = t(lang, `code.${e.code}`);
  return own && own !== t('en', `code.${e.code}`) ? `${std}（${own}）` : std;
}

/** One status entry: mark, code, explanation and url. */
export function statusLine(e: StatusEntry, lang: Lang = 'en'): string {
  const url = e.url ? `  [${e.url}]` : '';
  const mark = isStatusCode(e.code) ? (MARK[kindOf(e.code)] ?? '?') : '?';
  return t(lang, 'status.line', { mark, code: e.code, explanation: explanationText(e, lang), url });
}

/** Words for a `Label` value (GB 45438's own terms in Chinese). */
export function labelMeaning(v: string, lang: Lang = 'en'): string {
  const key = `meaning.${v}`;
  return t(lang, v !== 'unknown' && isMessageKey(key) ? key : 'meaning.unknown');
}

/** A validation state (or none) in `lang`: the state as written in English, the word and the state in Chinese. */
export function stateWord(
  state: string | null | undefined,
  lang: Lang = 'en',
  none: 'state.none' | 'state.noneWord' = 'state.none',
): string {
  if (!state) return t(lang, none);
  const key = `state.${state}`;
  return isMessageKey(key) ? t(lang, key) : state;
}
