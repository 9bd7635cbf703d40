/**
 * GB 45438 service-provider codes (TC260-PG-20252A): 27 characters, digits and A–Z.
 *
 * | positions | meaning |
 * |---|---|
 * | 1–2 | format code `00` |
 * | 3 | subject type (`1` = organisation) |
 * | 4 | binding type (`1` = unified social credit code) |
 * | 5–22 | 18-character USCC (GB 32100, mod-31 check character) |
 * | 23 | service type: `0` unused, `1` generation/synthesis, `2` content propagation |
 * | 24–27 | model/app code chosen by the provider (`0000` when unused) |
 */
import { InvalidArgumentError, said } from '../errors.ts';

/** Length of a provider code. */
export const PROVIDER_CODE_LENGTH = 27;
/** The 31 characters used by GB 32100 (no I, O, Z, S, V), in value order. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A decoded provider code. */
export interface ProviderCode {
  readonly code: string;
  readonly format: string;
  readonly subjectType: string;
  readonly subjectTypeName: string;
  readonly bindingType: string;
  readonly bindingTypeName: string;
  /** Unified social credit code (18 characters). */
  readonly uscc: string;
  readonly serviceType: string;
  readonly serviceTypeName: string;
  readonly modelCode: string;
}

/** Compute the GB 32100 check character for the first 17 characters of a USCC. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) throw InvalidArgumentError.expected('a USCC character (0-9, A-Y without I O S V Z)', `USCC position ${i + 1}`, first17[i]);
    sum += v * USCC_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[check]!;
}

/**
 * Validate an 18-character unified social credit code.
 * @throws {InvalidArgumentError} with the reason.
 */
export function validateUscc(uscc: string): void {
  if (uscc.length !== 18) throw InvalidArgumentError.expected('an 18-character unified social credit code', 'USCC', uscc);
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(uscc)) {
    throw new InvalidArgumentError(
      said(
        'err.lbl.unifiedSocialCreditCode',
        "Unified social credit code {uscc} has characters outside GB 32100's set (0-9, A-Y without I O S V Z)",
        { uscc },
      ),
    );
  }
  const expected = usccCheckChar(uscc.slice(0, 17));
  if (uscc[17] !== expected) {
    throw new InvalidArgumentError(
      said(
        'err.lbl.unifiedSocialCreditCode2',
        'Unified social credit code {uscc} fails the GB 32100 check: last character should be {expected}, not {v3}',
        { uscc, expected, v3: uscc[17] },
      ),
    );
  }
}

const SUBJECT_TYPES: Record<string, string> = { '1': 'organisation', '2': 'individual' };
const BINDING_TYPES: Record<string, string> = { '1': 'unified social credit code' };
const SERVICE_TYPES: Record<string, string> = { '0': 'unused', '1': 'generation/synthesis', '2': 'content propagation' };

/**
 * Parse and validate a 27-character provider code.
 * @throws {InvalidArgumentError} naming what is wrong: length, characters, fixed positions or the USCC check.
 */
export function parseProviderCode(code: string): ProviderCode {
  if (typeof code !== 'string' || code.length !== PROVIDER_CODE_LENGTH) {
    throw InvalidArgumentError.expected('a 27-character provider code', 'provider code', code);
  }
  if (!/^[0-9A-Z]{27}$/.test(code)) {
    throw new InvalidArgumentError(
      said('err.lbl.providerCodeMustUse', 'Provider code {code} must use only digits and uppercase A-Z', { code }),
    );
  }
  const format = code.slice(0, 2);
  if (format !== '00')
    throw new InvalidArgumentError(
      said('err.lbl.providerCodePositionsFormat', 'Provider code {code}: positions 1-2 (format code) must be 00, not {format}', {
        code,
        format,
      }),
    );
  const subjectType = code[2]!;
  if (subjectType !== '1')
    throw new InvalidArgumentError(
      said(
        'err.lbl.providerCodePositionSubject',
        'Provider code {code}: position 3 (subject type) must be 1 (organisation), not {subjectType}',
        { code, subjectType },
      ),
    );
  const bindingType = code[3]!;
  if (bindingType !== '1')
    throw new InvalidArgumentError(
      said(
        'err.lbl.providerCodePositionBinding',
        'Provider code {code}: position 4 (binding type) must be 1 (unified social credit code), not {bindingType}',
        { code, bindingType },
      ),
    );
  const uscc = code.slice(4, 22);
  try {
    validateUscc(uscc);
  } catch (err) {
    throw new InvalidArgumentError(said('err.lbl.providerCode', 'Provider code {code}: {v2}', { code, v2: (err as Error).message }), {
      cause: err,
    });
  }
  const serviceType = code[22]!;
  const modelCode = code.slice(23);
  if (!(serviceType in SERVICE_TYPES)) {
    throw new InvalidArgumentError(
      said('err.lbl.providerCodePositionService', 'Provider code {code}: position 23 (service type) must be 0, 1 or 2, not {serviceType}', {
        code,
        serviceType,
      }),
    );
  }
  if (serviceType === '0' && modelCode !== '0000') {
    throw new InvalidArgumentError(
      said(
        'err.lbl.providerCodePositionsMust',
        'Provider code {code}: positions 23-27 must be 00000 when the service extension is unused',
        { code },
      ),
    );
  }
  return {
    code,
    format,
    subjectType,
    subjectTypeName: SUBJECT_TYPES[subjectType]!,
    bindingType,
    bindingTypeName: BINDING_TYPES[bindingType]!,
    uscc,
    serviceType,
    serviceTypeName: SERVICE_TYPES[serviceType]!,
    modelCode,
  };
}

/** Like {@link parseProviderCode} but returns undefined instead of throwing (for reports). */
export function tryParseProviderCode(code: string): ProviderCode | undefined {
  try {
    return parseProviderCode(code);
  } catch {
    return undefined;
  }
}

/**
 * Build a provider code from a USCC, a service type and a 4-character model code.
 * @throws {InvalidArgumentError} when the parts are invalid.
 */
export function makeProviderCode(uscc: string, serviceType: '0' | '1' | '2', modelCode = '0000'): string {
  return parseProviderCode(`0011${uscc}${serviceType}${modelCode}`).code;
}
