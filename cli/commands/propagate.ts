/** `aigc propagate`: a platform's upload check, propagation label and manifest. */
import { parse, required } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { SIGNER_FLAGS, SIGNER_USAGE, signerFromFlags } from './signer-flags.ts';
import { propagate } from '../../src/service/propagate.ts';
import { parseTranscodeSpec } from '../../src/service/transcode.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { kindOf } from '../../src/verify/report/status-codes.ts';
import { TRUST_FLAGS, TRUST_USAGE, trustFromFlags } from './common.ts';
import { SIGNING_AID_FLAGS, SIGNING_AID_USAGE, signingAidOptions } from './signing-flags.ts';
import { printDecision } from './decide.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { formatPropagation } from '../../src/service/human-text.ts';
import { t } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';

export const summary = 'platform upload check + propagation label and manifest';
export const usage = `Usage: aigc propagate IN -o OUT --cert platform-chain.pem --key platform-key.pem --propagator CODE [options]

Verifies an upload, decides the display prompt (ai-generated / possibly-ai-generated /
suspected-ai-generated / none, CAC Labeling Measures Art. 6), writes the platform's
propagation fields (ContentPropagator, PropagateID, signed ReservedCode2; Label "2"/"3"
when inferred) without altering the producer's, and adds a C2PA manifest signed by the
platform: c2pa.opened on the incoming manifest (a parentOf ingredient with its validation
results), then c2pa.published or c2pa.transcoded. Prints the decision as JSON with --json.

Options:
  -o, --output OUT          output file (written atomically)
      --in-place            allow OUT to be IN
${SIGNER_USAGE}      --propagator CODE     the platform's 27-character provider code (ContentPropagator)
      --propagate-id ID     PropagateID (default: a fresh unique ID)
      --declared-ai         the uploader declared the content AI-generated
${TRUST_USAGE}      --transcode SPEC      re-encode before publishing: max=PIXELS,quality=1..100 ("" = quality 80)
      --accept-invalid      sign over an upload that fails verification (default: refuse it,
                            exit 77, nothing written); its failures are recorded in the ingredient
      --dry-run             print the decision and the policy verdict only: no certificate,
                            no output file (same as 'aigc decide IN')
      --force               replace an existing OUT (default: refuse)
      --record DIR          record OUT in the manifest repository DIR (created on first use), with
                            an entry in its transparency log ('aigc recover')
      --json                print the decision and result as JSON
${SIGNING_AID_USAGE}
`;

/** Run `aigc propagate`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...SIGNER_FLAGS,
      output: { type: 'string', short: 'o' },
      'in-place': { type: 'boolean' },
      propagator: { type: 'string' },
      'propagate-id': { type: 'string' },
      'declared-ai': { type: 'boolean' },
      ...TRUST_FLAGS,
      transcode: { type: 'string' },
      json: { type: 'boolean' },
      ...SIGNING_AID_FLAGS,
      'accept-invalid': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      record: { type: 'string' },
    },
    usage,
  );
  if (positionals.length !== 1)
    throw new InvalidArgumentError(`expected exactly one input file\n\n${usage}`, { detail: { key: 'err.exactlyOne', params: {} } });
  const input = positionals[0]!;
  if (values['dry-run']) {
    return printDecision(input, {
      json: values.json === true,
      declaredAi: values['declared-ai'] === true,
      acceptInvalid: values['accept-invalid'] === true,
      trust: await trustFromFlags(values, usage),
    });
  }
  const output = values['in-place'] && !values.output ? input : required(values.output, '-o/--output', usage);
  const aids = signingAidOptions(values);
  const { signer, close } = await signerFromFlags(values, usage);
  const trust = await trustFromFlags(values, usage).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  const repo = values.record
    ? await ManifestRepository.open(values.record).catch(async (err: unknown) => {
        await close();
        throw err;
      })
    : undefined;
  const r = await propagate(input, {
    ...aids,
    signer,
    propagator: required(values.propagator, '--propagator', usage),
    output,
    inPlace: values['in-place'] === true,
    declaredAi: values['declared-ai'] === true,
    acceptInvalid: values['accept-invalid'] === true,
    force: values.force === true,
    ...(values['propagate-id'] ? { propagateId: values['propagate-id'] } : {}),
    trust,
    ...(values.transcode !== undefined ? { transcode: parseTranscodeSpec(values.transcode) } : {}),
    ...(repo ? { record: repo } : {}),
  }).finally(async () => {
    await close();
    await repo?.close();
  });
  const labelFailures = r.incoming.labels.status.filter((e) => kindOf(e.code) === 'failure');
  const out = {
    decision: r.decision,
    output: r.path,
    manifest: r.manifestLabel,
    label: r.label ?? null,
    warnings: r.warnings,
    ...(r.recorded ? { recorded: r.recorded } : {}),
    incoming: {
      validation_state: r.incoming.validation_state,
      c2pa_validation_state: r.incoming.c2pa_validation_state,
      failures: [...r.incoming.validation_status, ...labelFailures],
    },
  };
  if (values.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else {
    process.stdout.write(formatPropagation(input, r, out.incoming.failures, cliLang()));
    for (const w of r.warnings) process.stderr.write(`${t(cliLang(), 'sum.warning', { text: w })}\n`);
  }
  return EXIT.OK;
}
