/**
 * The human output of `aigc decide`, `aigc propagate` and `aigc stamp`, in English or Chinese
 * (texts from src/i18n/). Codes, prompts and policy verdicts are kept (Chinese adds words before
 * them); the decision's reasons come from the same data as its JSON `reasons`.
 */
import { t, type Lang, type MessageKey } from '../i18n/lang.ts';
import type { StatusEntry } from '../verify/report/status-codes.ts';
import { explanationText, stateWord } from '../verify/render/text-tree.ts';
import { decisionReasons } from './decision-reasons.ts';
import type { PlatformDecision } from './decision.ts';
import type { PropagateResult } from './propagate.ts';
import type { StampResult } from './stamp.ts';

function promptLine(d: PlatformDecision, lang: Lang): string {
  return t(lang, 'dec.prompt', { prompt: t(lang, `prompt.${d.prompt}`), label: d.label ? t(lang, 'dec.label', { label: d.label }) : '' });
}

function failureLines(failures: readonly StatusEntry[], lang: Lang): string {
  return failures.map((f) => `  ${t(lang, 'dec.failure', { code: f.code, explanation: explanationText(f, lang) })}\n`).join('');
}

/** `aigc decide`: the prompt, the policy verdict, the reasons and the upload's failures (lines ending in a newline). */
export function formatDecision(d: PlatformDecision, lang: Lang): string {
  const verdict = d.policy ? t(lang, `policy.${d.policy.verdict}` as MessageKey) : '-';
  return (
    `${promptLine(d, lang)}\n${t(lang, 'dec.policy', { verdict })}\n` +
    decisionReasons(d, lang)
      .map((r) => `  - ${r}\n`)
      .join('') +
    failureLines(d.policy?.failures ?? [], lang)
  );
}

/** `aigc propagate`: the warning for an accepted invalid upload, the prompt and reasons, what was written, the upload's failures. */
export function formatPropagation(input: string, r: PropagateResult, failures: readonly StatusEntry[], lang: Lang): string {
  const out: string[] = [];
  if (r.decision.policy?.verdict === 'accept-invalid') out.push(t(lang, 'prop.warnInvalid'));
  out.push(promptLine(r.decision, lang));
  for (const reason of decisionReasons(r.decision, lang)) out.push(`  - ${reason}`);
  out.push(t(lang, 'prop.published', { input, output: r.path ?? '' }));
  out.push(`  ${t(lang, 'prop.manifest', { v: r.manifestLabel ?? t(lang, 'prop.noEmbedding') })}`);
  out.push(`  ${t(lang, 'prop.incoming', { v: stateWord(r.incoming.validation_state, lang) })}`);
  if (r.recorded) out.push(`  ${recordedText(r.recorded, lang)}`);
  return `${out.join('\n')}\n${failureLines(failures, lang)}`;
}

/** `aigc stamp`: one line saying what was written (ending in a newline). */
export function formatStampLine(input: string, r: StampResult, lang: Lang): string {
  const explicit = r.explicit
    ? t(lang, 'stamp.explicit', {
        kind: r.explicit.kind,
        text: r.explicit.text ? ` "${r.explicit.text}"` : '',
        position: r.explicit.position ? ` ${r.explicit.position}` : '',
      })
    : t(lang, 'stamp.noExplicit');
  const extra =
    `${r.watermark ? t(lang, 'stamp.watermark', { alg: r.watermark.alg, id: r.watermark.id }) : ''}` +
    `${r.earlier ? t(lang, 'stamp.earlier', { message: r.earlier.message }) : ''}${r.sidecar ? t(lang, 'stamp.sidecar', { path: r.sidecar }) : ''}`;
  return `${t(lang, 'stamp.done', {
    input,
    output: r.path ?? '',
    format: r.format,
    manifest: r.manifestLabel ?? t(lang, 'prop.noEmbedding'),
    id: r.label.ProduceID,
    explicit,
    extra,
  })}\n`;
}

/** Where `--record` put an output (repository, log entry, watermark), without a newline. */
export function recordedText(
  rec: { repository: string; logIndex: number | bigint; logOrigin: string; watermarkId?: string | null | undefined },
  lang: Lang,
): string {
  const watermark = rec.watermarkId ? t(lang, 'rec.watermark', { id: rec.watermarkId }) : '';
  return t(lang, 'rec.recorded', { repo: rec.repository, index: String(rec.logIndex), origin: rec.logOrigin, watermark });
}
