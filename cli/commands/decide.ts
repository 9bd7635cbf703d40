/** `aigc decide FILE` (and `aigc propagate --dry-run`): the platform's decision, nothing signed or written. */
import { parse } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { decide } from '../../src/service/decide.ts';
import { InvalidArgumentError, IoError } from '../../src/errors.ts';
import { verdictOf } from '../batch/verdict.ts';
import type { TrustOptions } from '../../src/verify/engine/trust-options.ts';
import { TRUST_FLAGS, trustFromFlags } from './common.ts';
import { formatDecision } from '../../src/service/human-text.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

export const summary = 'the platform decision on an upload (Art. 6 prompt and policy), nothing written';
export const usage = usageText('decide');

/**
 * Print the decision for `input` (trust from {@link trustFromFlags}); returns the exit code (0 accept, 77 refuse).
 * @throws {IoError} when the input cannot be read (exit 66).
 */
export async function printDecision(
  input: string,
  o: { json: boolean; declaredAi: boolean; acceptInvalid: boolean; trust: TrustOptions },
): Promise<number> {
  const { decision, incoming } = await decide(input, { declaredAi: o.declaredAi, acceptInvalid: o.acceptInvalid, trust: o.trust });
  // An upload that cannot be read (missing, a folder, no permission) is an error, as for `inspect`,
  // never a decision: nothing was seen, so nothing may be accepted.
  if (verdictOf(incoming) === 'Unreadable') throw new IoError(incoming.error!.message, input);
  const policy = decision.policy!;
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({ decision, incoming: { validation_state: incoming.validation_state, c2pa_validation_state: incoming.c2pa_validation_state, chain: incoming.chain.map((s) => ({ index: s.index, role: s.role, manifest: s.manifest, validation_state: s.validation_state })) } }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(formatDecision(decision, cliLang()));
  }
  return policy.verdict === 'refuse' ? EXIT.REFUSED : EXIT.OK;
}

/** Run `aigc decide`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...TRUST_FLAGS,
      'declared-ai': { type: 'boolean' },
      'accept-invalid': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length !== 1)
    throw new InvalidArgumentError(`expected exactly one input file\n\n${usage}`, { detail: { key: 'err.exactlyOne', params: {} } });
  return printDecision(positionals[0]!, {
    json: values.json === true,
    declaredAi: values['declared-ai'] === true,
    acceptInvalid: values['accept-invalid'] === true,
    trust: await trustFromFlags(values, usage),
  });
}
