/** The time-stamp and OCSP flags shared by `stamp` and `propagate`. */
import { usageError } from '../args.ts';
import { said } from '../../src/errors.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import type { SigningAidOptions } from '../../src/service/signing-aids.ts';

/** parseArgs option definitions. */
export const SIGNING_AID_FLAGS = {
  tsa: { type: 'string' },
  'tsa-optional': { type: 'boolean' },
  'tsa-timeout': { type: 'string' },
  'tsa-retries': { type: 'string' },
  ocsp: { type: 'boolean' },
  'ocsp-url': { type: 'string' },
  'no-ocsp': { type: 'boolean' },
} as const;

function count(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw InvalidArgumentError.expected('a whole number', flag, v);
  return Number(v);
}

/**
 * Library options from the parsed flags.
 * @throws {InvalidArgumentError} for a bad URL or number, or --ocsp with --no-ocsp.
 */
export function signingAidOptions(v: {
  tsa?: string;
  'tsa-optional'?: boolean;
  'tsa-timeout'?: string;
  'tsa-retries'?: string;
  ocsp?: boolean;
  'ocsp-url'?: string;
  'no-ocsp'?: boolean;
}): SigningAidOptions {
  const out: SigningAidOptions = {};
  for (const [flag, url] of [
    ['--tsa', v.tsa],
    ['--ocsp-url', v['ocsp-url']],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s/]+/i.test(url)) throw InvalidArgumentError.expected('an http(s) URL', flag, url);
  }
  if (v.tsa) {
    const timeoutMs = count(v['tsa-timeout'], '--tsa-timeout');
    const retries = count(v['tsa-retries'], '--tsa-retries');
    out.tsa = {
      url: v.tsa,
      ...(v['tsa-optional'] ? { optional: true } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(retries !== undefined ? { retries } : {}),
    };
  } else if (v['tsa-optional'] || v['tsa-timeout'] || v['tsa-retries']) {
    throw usageError(said('err.cli.tsaNeedsUrl', '--tsa-optional, --tsa-timeout and --tsa-retries need --tsa URL'));
  }
  if (v['no-ocsp'] && (v.ocsp || v['ocsp-url'])) throw usageError(said('err.cli.noOcsp', '--no-ocsp contradicts --ocsp/--ocsp-url'));
  if (v['no-ocsp']) out.ocsp = false;
  else if (v['ocsp-url']) out.ocsp = { url: v['ocsp-url'] };
  else if (v.ocsp) out.ocsp = true;
  return out;
}
