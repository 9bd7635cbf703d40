/**
 * The `verify` / `inspect` task: verify one file and format it for the output mode. Runs in
 * the main thread (one file, `--jobs 1`) or in a worker thread. Never throws.
 */
import { verify, type VerifyOptions } from '../../src/service/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { formatVerifySummary } from '../../src/verify/render/format-summary.ts';
import { signerLine } from '../../src/verify/render/text-tree.ts';
import { formatInspectTree } from '../../src/verify/render/format-tree.ts';
import { kindOf } from '../../src/verify/report/status-codes.ts';
import { errorLine } from '../exit-codes.ts';
import { VERDICT_EXIT, meets, verdictOf } from './verdict.ts';
import { IoError } from '../../src/errors.ts';
import { jsonlRecord } from './fields.ts';
import type { BatchConfig, Task, TaskResult } from './types.ts';
import path from 'node:path';
import type { Lang } from '../../src/i18n/lang.ts';
import { verdictWord } from '../lang.ts';

export { VERDICT_EXIT, exitCodeOf, meets, verdictOf } from './verdict.ts';

function oneLine(r: VerifyReport, verdict: string, file: string, lang: Lang): string {
  const m = r.active_manifest ? r.manifests[r.active_manifest] : undefined;
  const parts = [`${file}: ${verdictWord(verdict, lang)}`];
  if (m?.signature_info) parts.push(signerLine(m.signature_info, lang));
  const l = r.labels.gb45438;
  if (l) parts.push(`Label=${l.fields.Label}`);
  const failures = [...r.validation_status, ...r.labels.status.filter((e) => kindOf(e.code) === 'failure')];
  if (failures.length)
    parts.push(
      failures
        .slice(0, 3)
        .map((f) => f.code)
        .join(', ') + (failures.length > 3 ? ` (+${failures.length - 3})` : ''),
    );
  if (r.error && r.error.code !== 'IO_ERROR') parts.push(`[${r.error.code}] ${r.error.message}`);
  return `${parts.join(' — ')}\n`;
}

/** Create the verify (or inspect, with `config.command === 'inspect'`) task. */
export async function createTask(config: BatchConfig): Promise<Task> {
  const options = { ...(config.options as VerifyOptions), detail: config.command === 'inspect' };
  const lang = config.lang ?? 'en';
  return async ({ seq, path: file }): Promise<TaskResult> => {
    const report = await verify(file, options);
    const verdict = verdictOf(report);
    const exit = VERDICT_EXIT[verdict]!;
    const pass = config.require ? meets(verdict, config.require) : verdict === 'Trusted';
    const base = { seq, path: file, verdict, pass, exit };
    if (config.mode === 'jsonl') return { ...base, stdout: jsonlRecord(file, verdict, report, config.fields), stderr: '' };
    if (verdict === 'Unreadable') {
      return { ...base, stdout: '', stderr: `${errorLine(new IoError(report.error!.message, file))}\n` };
    }
    if (config.mode === 'json') return { ...base, stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: '' };
    if (config.command === 'inspect')
      return { ...base, stdout: `${formatInspectTree(report, file, lang)}\n${config.mode === 'lines' ? '\n' : ''}`, stderr: '' };
    if (config.mode === 'single') return { ...base, stdout: `${formatVerifySummary(report, path.basename(file), lang)}\n`, stderr: '' };
    return { ...base, stdout: oneLine(report, verdict, file, lang), stderr: '' };
  };
}
