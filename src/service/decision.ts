/**
 * The distribution platform's duty on each upload (CAC Labeling Measures Art. 6), as a pure decision over a verification report:
 * 1. the implicit label says AI → "ai-generated";
 * 2. no label, the uploader declares AI → "possibly-ai-generated" (Label "2");
 * 3. neither, but traces are detected (a C2PA or IPTC digital source type of AI media) →
 *    "suspected-ai-generated" (Label "3");
 * 4. otherwise no prompt.
 */
import type { SecurityDataFinding, VerifyReport } from '../verify/report/report.ts';
import { isAiSourceType } from '../labels/implicit/types.ts';
import { checkSecurityData } from '../verify/labels/security-check.ts';
import type { UploadPolicy } from './upload-policy.ts';
import { isUploadFacts, uploadFacts, type UploadFacts } from './upload-facts.ts';
import { reasonsOf, reasonText } from './decision-reasons.ts';

/** Whether a digital source type URI names AI output (re-exported from the verifier's label checks). */
export { isAiSourceType };

/** What the platform's UI shows. */
export type DisplayPrompt = 'ai-generated' | 'possibly-ai-generated' | 'suspected-ai-generated' | 'none';

/** The decision, printed as JSON for the platform's UI. */
export interface PlatformDecision {
  prompt: DisplayPrompt;
  /** The `Label` value the platform writes ("1" kept from the producer, "2"/"3" inferred), or null. */
  label: '1' | '2' | '3' | null;
  /** Why, in order of weight. */
  reasons: string[];
  /** Whether the platform signs over the upload (set by `propagate` / `decide`, see `upload-policy.ts`). */
  policy?: UploadPolicy;
  evidence: {
    gb45438Label: string | null;
    labelFoundIn: string[];
    /** ReservedCode1 security data: valid / invalid / absent / unsupported / malformed / opaque. */
    producerSecurityData: SecurityDataFinding['status'];
    /** Whether the ReservedCode1 key is the creation signer's certificate key (null: not checked). */
    producerKey: SecurityDataFinding['key'];
    /** The previous platform's ReservedCode2, when the upload carries one. */
    propagatorSecurityData: SecurityDataFinding['status'] | null;
    /** Every security data finding of the verification. */
    securityData: SecurityDataFinding[];
    c2paState: VerifyReport['validation_state'];
    c2paDigitalSourceType: string | null;
    iptcDigitalSourceType: string | null;
    declaredAi: boolean;
  };
}

/**
 * Decide the display prompt for an upload, from its facts (see `upload-facts.ts`; `propagate`
 * passes the facts of what it parsed) or from a verification report. The reasons are the English
 * rendering of `decision-reasons.ts` (the CLI renders the same list in the user's language). Never throws.
 */
export function decidePrompt(input: VerifyReport | UploadFacts, declaredAi = false): PlatformDecision {
  const facts = isUploadFacts(input) ? input : uploadFacts(input);
  const label = facts.label;
  const c2paDst = facts.c2paSourceType;
  const iptcDst = facts.iptcSourceType;
  const findings =
    facts.securityData ?? (label ? checkSecurityData(label.fields, label.foundIn[0] ?? 'label', [], undefined, () => undefined) : []);
  const rc1 = findings.find((f) => f.field === 'ReservedCode1');
  const rc2 = findings.find((f) => f.field === 'ReservedCode2');
  const evidence: PlatformDecision['evidence'] = {
    gb45438Label: label?.fields.Label ?? null,
    labelFoundIn: [...(label?.foundIn ?? [])],
    producerSecurityData: rc1?.status ?? 'absent',
    producerKey: rc1?.key ?? null,
    propagatorSecurityData: rc2?.status ?? null,
    securityData: [...findings],
    c2paState: facts.state,
    c2paDigitalSourceType: c2paDst,
    iptcDigitalSourceType: iptcDst,
    declaredAi,
  };
  const reasons = reasonsOf(evidence).map((r) => reasonText(r, 'en'));
  const v = label?.fields.Label;
  if (v === '1' || v === '2' || v === '3') {
    const prompt: DisplayPrompt = v === '1' ? 'ai-generated' : v === '2' ? 'possibly-ai-generated' : 'suspected-ai-generated';
    return { prompt, label: v, reasons, evidence };
  }
  if (declaredAi) return { prompt: 'possibly-ai-generated', label: '2', reasons, evidence };
  const traced = (c2paDst && isAiSourceType(c2paDst)) || (iptcDst && isAiSourceType(iptcDst));
  return traced ? { prompt: 'suspected-ai-generated', label: '3', reasons, evidence } : { prompt: 'none', label: null, reasons, evidence };
}
