/**
 * A tiny text-tree renderer (`├─`, `└─`, `│`) and the small formatters the human outputs of
 * `aigc verify` and `aigc inspect` share.
 */
import type { ProviderCode } from '../../labels/provider-code.ts';
import type { SignatureInfo } from '../report/report.ts';
import type { OcspDescription } from '../../ocsp/describe.ts';
import type { StatusEntry } from '../report/status-codes.ts';
import { isStatusCode, kindOf } from '../report/status-codes.ts';

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

/** A provider code's parts decoded. */
export function providerParts(p: ProviderCode): string {
  return `USCC ${p.uscc}, ${p.subjectTypeName}, service ${p.serviceTypeName}, model ${p.modelCode}`;
}

/** A provider code with its parts decoded. */
export function describeProvider(p: ProviderCode): string {
  return `${p.code} (${providerParts(p)})`;
}

/** Shorten a long value for one line of text. */
export function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line naming a signer. */
export function signerLine(s: SignatureInfo | undefined): string {
  if (!s) return 'unsigned';
  const who = s.common_name ?? s.subject ?? 'unknown signer';
  return `${who}${s.issuer ? ` (${s.issuer})` : ''}${s.provider_code ? ` code ${s.provider_code}` : ''}`;
}

/** A stapled OCSP response as a tree node: status for the signer, validity window, responder. */
export function ocspNode(o: OcspDescription): TreeNode {
  if (o.error || o.response_status !== 'successful') return node(`OCSP response stapled (rVals): ${o.error ?? `status ${o.response_status}`}`);
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
export function signerNodes(s: SignatureInfo): TreeNode[] {
  const out: TreeNode[] = [];
  if (s.subject) out.push(node(`subject: ${s.subject}`));
  if (s.issuer_dn) out.push(node(`issuer: ${s.issuer_dn}`));
  if (s.cert_serial_number) out.push(node(`serial: ${s.cert_serial_number}`));
  if (s.cert_sha256) out.push(node(`SHA-256 fingerprint: ${s.cert_sha256}`));
  if (s.not_before) out.push(node(`valid: ${s.not_before} .. ${s.not_after}`));
  out.push(node(`algorithm: ${s.alg}`));
  const form = s.timestamp_form ? `, ${s.timestamp_form.header} ${s.timestamp_form.token}` : '';
  out.push(node(`time: ${s.time ? `${s.time} (RFC 3161 time-stamp${s.timestamp_trusted ? ', trusted' : ', TSA not trusted'}${form})` : s.timestamp_form ? `unusable time-stamp (${s.timestamp_form.header} ${s.timestamp_form.token}: ${s.timestamp_form.status})` : 'no time-stamp'}`));
  if (s.ocsp) out.push(ocspNode(s.ocsp));
  else if (s.ocsp_stapled) out.push(node('OCSP response stapled (rVals)'));
  if (s.provider) out.push(node(`provider code: ${describeProvider(s.provider)}`));
  else if (s.provider_code) out.push(node(`provider code: ${s.provider_code}`));
  if (s.role) out.push(node(`role: ${s.role}`));
  if (s.credential) out.push(node(`credential: ${s.credential}`));
  return out;
}

const MARK = { success: '✓', informational: 'i', failure: '✗' } as const;

/** One status entry: mark, code, explanation and url. */
export function statusLine(e: StatusEntry): string {
  const url = e.url ? `  [${e.url}]` : '';
  return `${isStatusCode(e.code) ? MARK[kindOf(e.code)] ?? '?' : '?'} ${e.code}: ${e.explanation}${url}`;
}

/** Words for a `Label` value. */
export function labelMeaning(v: string): string {
  return { '1': 'AI-generated', '2': 'possibly AI-generated', '3': 'suspected AI-generated' }[v] ?? 'unknown value';
}
