/**
 * `aigc inspect FILE|DIR|-...` — the investigator's view: every manifest (active first), signer,
 * actions, ingredients and assertions, the GB 45438 label decoded, the provenance chain
 * and every validation code, as a tree or as the full JSON report.
 */
import { runVerifyLike } from './verify.ts';
import { extractTo, printCerts } from './inspect-extract.ts';
import { detailedOf, formatDetailed } from './inspect-detailed.ts';
import { optionsFrom } from './verify.ts';
import { parse } from '../args.ts';
import { TRUST_OPTIONS } from './verify.ts';
import { inspect } from '../../src/service/inspect.ts';
import { formatInspectTree } from '../../src/verify/render/format-tree.ts';
import { verdictOf, exitCodeOf } from '../batch/verdict.ts';
import { IoError } from '../../src/errors.ts';
import { writeHtmlReport } from '../../src/report/index.ts';
import { t } from '../../src/i18n/lang.ts';
import { stateWord } from '../../src/verify/render/text-tree.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = "the investigator's view of every manifest and label";

/** Full usage text. */
export const usage = usageText('inspect');

/** `--detailed`: the tree (or JSON report) of one FILE plus its raw claims and COSE headers; the verdict's exit code. */
async function detailed(file: string, argv: string[]): Promise<number> {
  const { values } = parse(
    argv.filter((a) => a !== '--detailed' && a !== file),
    TRUST_OPTIONS,
  );
  const report = await inspect(file, await optionsFrom(values));
  if (verdictOf(report) === 'Unreadable') throw new IoError(report.error!.message, file);
  const d = report.active_manifest ? await detailedOf(file) : {};
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ ...report, detailed: d }, null, 2)}\n`
      : `${formatInspectTree(report, file, cliLang())}\n${formatDetailed(d, cliLang())}`,
  );
  return exitCodeOf(report);
}

/** `--html` / `--pdf`: the investigator's report of one FILE as a page (and PDF); the verdict's exit code. */
async function htmlReport(file: string, v: Record<string, unknown>): Promise<number> {
  const options = await optionsFrom(v as Parameters<typeof optionsFrom>[0]);
  const lang = cliLang(); // --lang is taken by main for every command
  const html = v.html as string | undefined;
  const pdf = v.pdf as string | undefined;
  const report = await writeHtmlReport(file, html, { ...options, lang, ...(pdf ? { pdf } : {}) });
  if (verdictOf(report) === 'Unreadable') throw new IoError(report.error!.message, file);
  process.stdout.write(
    `${t(lang, 'inspect.written', { files: [html, pdf].filter(Boolean).join(', '), state: stateWord(report.validation_state, lang) })}\n`,
  );
  return exitCodeOf(report);
}

/** Run `aigc inspect`. */
export async function run(argv: string[]): Promise<number> {
  return runVerifyLike('inspect', argv, {
    options: {
      certs: { type: 'boolean' },
      extract: { type: 'string' },
      detailed: { type: 'boolean' },
      html: { type: 'string' },
      pdf: { type: 'string' },
    },
    run: (file, v) =>
      v.certs
        ? printCerts(file)
        : typeof v.extract === 'string'
          ? extractTo(file, v.extract)
          : v.detailed
            ? detailed(file, argv)
            : v.html !== undefined || v.pdf !== undefined
              ? htmlReport(file, v)
              : undefined,
  });
}
