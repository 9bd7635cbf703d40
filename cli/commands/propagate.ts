/** `aigc propagate`: a platform's upload check, propagation label and manifest. */
import { parse, required } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { SIGNER_FLAGS, signerFromFlags } from './signer-flags.ts';
import { propagate } from '../../src/service/propagate.ts';
import { parseTranscodeSpec } from '../../src/service/transcode.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { kindOf } from '../../src/verify/report/status-codes.ts';
import { TRUST_FLAGS, trustFromFlags } from './common.ts';
import { SIGNING_AID_FLAGS, signingAidOptions } from './signing-flags.ts';
import { printDecision } from './decide.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { formatPropagation } from '../../src/service/human-text.ts';
import { t } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

export const summary = 'platform upload check + propagation label and manifest';
export const usage = usageText('propagate');

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
