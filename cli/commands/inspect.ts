/**
 * `aigc inspect FILE|DIR|-...` — the investigator's view: every manifest (active first), signer,
 * actions, ingredients and assertions, the GB 45438 label decoded, the provenance chain
 * and every validation code, as a tree or as the full JSON report.
 */
import { BATCH_USAGE } from '../batch/options.ts';
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

/** One-line description for `aigc --help`. */
export const summary = "the investigator's view of every manifest and label";

/** Full usage text. */
export const usage = `Usage: aigc inspect FILE|DIR|-... [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                    [--settings FILE] [--allowed list.pem] [--crl crl.pem]... [--at ISO-DATE] [--json|--jsonl]
       aigc inspect FILE [trust options] [--html REPORT.html] [--pdf REPORT.pdf] [--lang zh|en] | --certs | --detailed | --extract DIR

Show everything in each file: the C2PA manifest store (every manifest, active first, with its
signer — subject, issuer, serial, time, provider code —, actions, ingredients and
assertions), the GB 45438 label with provider codes decoded and where it was found, the
provenance chain (creation at the root) and each validation code with its explanation.
Trust options as for 'aigc verify'. --json prints the full report. --html writes the
investigator's report as one self-contained page (no network, opens offline), --pdf prints it
through headless Chromium; --lang picks Chinese or English (default from LC_ALL/LANG).

  --certs         print the active manifest's signer chain as PEM (leaf first), nothing else
  --detailed      also show each manifest's raw claim and COSE headers (x5chain certificates,
                  time-stamp tokens, padding); with --json, as the report's "detailed"
  --extract DIR   write the manifest store (manifest_store.c2pa) and, per manifest, a store of
                  its own (NN-LABEL.c2pa: the manifests up to it, so an ingredient's can be read
                  alone), its claim (CBOR), its COSE signature, its signer chain (PEM) and its
                  thumbnails into DIR

${BATCH_USAGE}
Exit codes: as 'aigc verify' (0 Trusted, 1 Invalid, 2 nothing found, 3 Valid but not trusted
or label only, 66 unreadable; a batch or --require: 0 when every file meets the bar, else 1;
64 usage error).
`;

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
