/**
 * The reasons of a platform decision as data — a catalogue key and its parameters — derived from
 * the decision's evidence and policy alone. The decision's `reasons` (English, in its JSON) are
 * these rendered in English; the CLI renders the same list in the reader's language, so the two
 * never say different things.
 */
import { t, type Lang, type MessageKey } from '../i18n/lang.ts';
import { isAiSourceType } from '../labels/implicit/types.ts';
import type { PlatformDecision } from './decision.ts';
import type { UploadPolicy } from './upload-policy.ts';

/** One reason: a message and its parameters (a parameter may itself be a message). */
export interface Reason {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number | Reason>>;
}

const state = (s: string | null): Reason => ({ key: s ? (`state.${s}` as MessageKey) : 'state.none' });

/** The reasons for the prompt, in order of weight (see `decidePrompt`). */
export function reasonsOf(e: PlatformDecision['evidence']): Reason[] {
  const out: Reason[] = [];
  const v = e.gb45438Label;
  if (v === '1' || v === '2' || v === '3') {
    out.push({ key: 'reason.labelFound', params: { label: v, where: e.labelFoundIn.join(', ') } });
    if (e.producerSecurityData === 'valid')
      out.push({ key: 'reason.rc1Valid', params: { key: { key: `reason.key.${e.producerKey ?? 'unverified'}` } } });
    else if (e.producerSecurityData !== 'absent') out.push({ key: 'reason.rc1Status', params: { status: e.producerSecurityData } });
    const rc2 = e.propagatorSecurityData;
    if (rc2 && rc2 !== 'valid' && rc2 !== 'absent') out.push({ key: 'reason.rc2Status', params: { status: rc2 } });
    if (e.declaredAi) out.push({ key: 'reason.alsoDeclared' });
    if (e.c2paState) out.push({ key: 'reason.c2pa', params: { state: state(e.c2paState) } });
    return out;
  }
  if (e.declaredAi) return [{ key: 'reason.declared' }];
  const trace: Reason | null =
    e.c2paDigitalSourceType && isAiSourceType(e.c2paDigitalSourceType)
      ? {
          key: 'reason.trace.c2pa',
          params: { state: e.c2paState ? state(e.c2paState) : String(e.c2paState), type: e.c2paDigitalSourceType },
        }
      : e.iptcDigitalSourceType && isAiSourceType(e.iptcDigitalSourceType)
        ? { key: 'reason.trace.iptc', params: { type: e.iptcDigitalSourceType } }
        : null;
  return [trace ? { key: 'reason.traces', params: { trace } } : { key: 'reason.noTraces' }];
}

/** The policy's reason, first in the list, when the upload fails verification. */
export function policyReason(policy: UploadPolicy | undefined): Reason | undefined {
  if (!policy || policy.verdict === 'accept') return undefined;
  if (policy.unreadable) return { key: 'reason.unreadable', params: { code: policy.unreadable } };
  const codes = [...new Set(policy.failures.map((f) => f.code))].join(', ');
  const params = { state: state(policy.state), codes: codes || { key: 'reason.damaged' as const } };
  return { key: policy.verdict === 'refuse' ? 'reason.refused' : 'reason.acceptedInvalid', params };
}

/** Render a reason in `lang`. */
export function reasonText(r: Reason, lang: Lang): string {
  const params = Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, typeof v === 'object' ? reasonText(v, lang) : v]));
  return t(lang, r.key, params);
}

/** A decision's reasons in `lang` (English: exactly its `reasons`). */
export function decisionReasons(d: PlatformDecision, lang: Lang): string[] {
  const policy = policyReason(d.policy);
  return [...(policy ? [policy] : []), ...reasonsOf(d.evidence)].map((r) => reasonText(r, lang));
}
