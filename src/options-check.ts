/**
 * Library options are checked (issue #12 §7): an unknown key (a misspelling) or a value of
 * the wrong shape is an {@link InvalidArgumentError} in the project's wording
 * (`Expected X for name but received Y`), never silently ignored.
 */
import { InvalidArgumentError, said } from './errors.ts';

/** A predicate on one option's value, and what it expects (for the message). */
export interface OptionRule {
  readonly expected: string;
  test(v: unknown): boolean;
}

const rule = (expected: string, test: (v: unknown) => boolean): OptionRule => ({ expected, test });
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Common rules. */
export const is = {
  boolean: rule('a boolean', (v) => typeof v === 'boolean'),
  number: rule('a finite number', (v) => typeof v === 'number' && Number.isFinite(v)),
  bytesOrString: rule('a string or a Uint8Array', (v) => typeof v === 'string' || v instanceof Uint8Array),
  string: rule('a string', (v) => typeof v === 'string'),
  date: rule('a valid Date', (v) => v instanceof Date && Number.isFinite(v.getTime())),
  object: rule('an object', isObject),
  signer: rule(
    'a Signer (loadSigner())',
    (v) => isObject(v) && typeof v.sign === 'function' && Array.isArray(v.certChain) && typeof v.alg === 'string',
  ),
  explicit: rule('false or an object of explicit-label options', (v) => v === false || isObject(v)),
  trust: rule(
    'an object of trust options { anchorsPem?, trustListPem?, tsaTrustListPem?, defaultTrust?, allowedListPem?, ekus?, crlsPem?, cawgAnchorsPem?, tsaAnchorsPem?, publicTsaRoots?, ocspFetch?, sourceNames? }',
    (v) => {
      if (!isObject(v)) return false;
      const pem = (x: unknown) => x === undefined || typeof x === 'string';
      const pems = (x: unknown) => pem(x) || (Array.isArray(x) && x.every((y) => typeof y === 'string'));
      const bool = (x: unknown) => x === undefined || typeof x === 'boolean';
      return (
        Object.keys(v).every((k) => TRUST_KEYS.includes(k)) &&
        pems(v.anchorsPem) &&
        pem(v.trustListPem) &&
        pem(v.tsaTrustListPem) &&
        bool(v.defaultTrust) &&
        pem(v.allowedListPem) &&
        pems(v.ekus) &&
        pem(v.crlsPem) &&
        pem(v.cawgAnchorsPem) &&
        pems(v.tsaAnchorsPem) &&
        bool(v.publicTsaRoots) &&
        bool(v.ocspFetch) &&
        (v.sourceNames === undefined || isObject(v.sourceNames))
      );
    },
  ),
} as const;

/** Every key of `TrustOptions` (verify/engine/trust-options.ts). */
export const TRUST_KEYS: readonly string[] = [
  'anchorsPem',
  'trustListPem',
  'tsaTrustListPem',
  'defaultTrust',
  'allowedListPem',
  'ekus',
  'crlsPem',
  'cawgAnchorsPem',
  'tsaAnchorsPem',
  'publicTsaRoots',
  'ocspFetch',
  'sourceNames',
];

/**
 * Check `options` of `fn` against `rules`: no unknown key, every present value passes its rule.
 * `undefined` values are treated as absent.
 * @throws {InvalidArgumentError} naming the option.
 */
export function checkOptions(fn: string, options: unknown, rules: Readonly<Record<string, OptionRule>>): void {
  if (options === undefined) return;
  if (!isObject(options)) throw InvalidArgumentError.expected('an options object', `${fn}() options`, options);
  for (const [k, v] of Object.entries(options)) {
    const r = rules[k];
    if (!r) {
      throw new InvalidArgumentError(
        said('err.opt.unknownOptionExpectedOne', 'Unknown option {v1} for {fn}(); expected one of: {v3}', {
          v1: JSON.stringify(k),
          fn,
          v3: Object.keys(rules).join(', '),
        }),
      );
    }
    if (v !== undefined && !r.test(v)) throw InvalidArgumentError.expected(r.expected, `${fn}() option ${k}`, v);
  }
}
