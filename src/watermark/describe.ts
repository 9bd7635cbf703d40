/** Text rendering of a watermark finding (for the verify summary and the inspect tree), in English or Chinese. */
import type { WatermarkFinding } from '../verify/report/report.ts';
import { t, type Lang } from '../i18n/lang.ts';
import { AUDIO_PERIOD_SECONDS } from './audio-constants.ts';

/** The audio's length and the watermark period, in seconds, for the "too short" messages. */
export function tooShortArgs(durationMs = 0): { seconds: string; period: string } {
  return { seconds: (durationMs / 1000).toFixed(1), period: AUDIO_PERIOD_SECONDS.toFixed(2) };
}

/** One line describing a finding, for the text renderers. */
export function watermarkLine(w: WatermarkFinding, lang: Lang = 'en'): string {
  if ('error' in w) return t(lang, 'wm.error', { message: w.error.message });
  const p = w.log10PValue < -300 ? `1e${Math.round(w.log10PValue)}` : w.pValue.toExponential(1);
  if (w.found) return t(lang, 'wm.found', { id: w.id ?? '', alg: w.alg, p, margin: w.margin.toFixed(2) });
  if (w.tooShort) return t(lang, 'wm.tooShort', tooShortArgs(w.durationMs));
  return t(lang, 'wm.none', { margin: w.margin.toFixed(2) });
}
