/**
 * `decide()`: the platform's Art. 6 decision on an upload without signing anything — what
 * `aigc decide FILE` and `aigc propagate --dry-run` print. No certificate, no output file.
 */
import type { VerifyReport } from '../verify/report/report.ts';
import type { TrustOptions } from '../verify/engine/trust-options.ts';
import { decidePrompt, type PlatformDecision } from './decision.ts';
import { materializeInput, type InputLike } from './input-kinds.ts';
import { checkOptions, is } from '../options-check.ts';
import { unreadablePolicy, uploadPolicy, withPolicy } from './upload-policy.ts';
import { verify } from './verify.ts';

/** Options of {@link decide}. */
export interface DecideOptions {
  /** Trust for verifying the upload. */
  readonly trust?: TrustOptions;
  /** The uploader declared the content AI-generated. */
  readonly declaredAi?: boolean;
  /** Judge as `propagate({ acceptInvalid })` would (the policy verdict becomes `accept-invalid`). */
  readonly acceptInvalid?: boolean;
}

const RULES = { trust: is.trust, declaredAi: is.boolean, acceptInvalid: is.boolean } as const;

/**
 * Verify an upload and decide its display prompt and whether `propagate` would sign over it.
 * Never throws on bad media: a damaged upload is refused by the policy, and so is one that cannot be
 * read or parsed at all (`policy.unreadable`: the report error's code).
 * @throws {InvalidArgumentError} for an unknown or wrongly shaped option or input.
 * @throws {CertificateError} {@link LimitExceededError} for unusable trust options or a too large stream.
 */
export async function decide(
  upload: InputLike,
  options: DecideOptions = {},
): Promise<{ decision: PlatformDecision; incoming: VerifyReport }> {
  checkOptions('decide', options, RULES);
  const incoming = await verify(await materializeInput(upload), options.trust ? { trust: options.trust } : {});
  const policy = unreadablePolicy(incoming) ?? uploadPolicy(incoming, options.acceptInvalid === true);
  const decision = withPolicy(decidePrompt(incoming, options.declaredAi === true), policy);
  return { decision, incoming };
}
