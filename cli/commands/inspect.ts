/**
 * `aigc inspect FILE` — the investigator's view: every manifest (active first), signer,
 * actions, ingredients and assertions, the GB 45438 label decoded, the provenance chain
 * and every validation code, as a tree or as the full JSON report.
 */
import { parse } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { formatInspectTree, inspect } from '../../src/service/inspect.ts';
import { fileArg, optionsFrom, VERIFY_OPTIONS } from './verify.ts';
import { writeHtmlReport } from '../../src/report/index.ts';
import { langFromEnv, parseLang } from '../../src/report/i18n.ts';

const REPORT_OPTIONS = { html: { type: 'string' }, pdf: { type: 'string' }, lang: { type: 'string' } } as const;

/** One-line description for `aigc --help`. */
export const summary = "the investigator's view of every manifest and label";

/** Full usage text. */
export const usage = `Usage: aigc inspect FILE [--fragment SEGMENT]... [--trust roots.pem]... [--allowed list.pem] [--crl crl.pem]... [--at ISO-DATE] [--json]
                    [--html REPORT.html] [--pdf REPORT.pdf] [--lang zh|en]

Show everything in FILE: the C2PA manifest store (every manifest, active first, with its
signer — subject, issuer, serial, time, provider code —, actions, ingredients and
assertions), the GB 45438 label with provider codes decoded and where it was found, the
provenance chain (creation at the root) and each validation code with its explanation.
Trust options and --fragment as for 'aigc verify'. --json prints the full report. --html writes the
investigator's report as one self-contained page (no network, opens offline), --pdf prints it
through headless Chromium; --lang picks Chinese or English (default from LC_ALL/LANG).

Exit codes: 0 shown (whatever the verdict; use 'aigc verify' to test it), 64 usage error,
65 the file could not be parsed at all, 66 FILE cannot be read.
`;

/** Run `aigc inspect`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...VERIFY_OPTIONS, ...REPORT_OPTIONS }, usage);
  const file = fileArg(positionals, usage);
  const base = await optionsFrom(values, usage);
  const options = values.fragment?.length ? { ...base, fragments: values.fragment } : base;
  const lang = values.lang === undefined ? langFromEnv() : parseLang(values.lang);
  const report = values.html || values.pdf
    ? await writeHtmlReport(file, values.html, { ...options, lang, ...(values.pdf ? { pdf: values.pdf } : {}) })
    : await inspect(file, options);
  if (values.html || values.pdf) process.stdout.write(`${[values.html, values.pdf].filter(Boolean).join(', ')}: ${report.validation_state ?? 'no manifest'}\n`);
  else process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatInspectTree(report, file)}\n`);
  if (report.error?.code === 'IO_ERROR') return EXIT.NO_INPUT;
  if (report.error && !report.active_manifest && report.validation_state === null) return EXIT.DATA;
  return EXIT.OK;
}
