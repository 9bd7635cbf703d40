/**
 * GB 45438 Annex E label values: building, serialising (fixed key order, string
 * values, Annex E j) character set) and parsing (bare or `{"AIGC":{…}}`-wrapped JSON).
 */
import { InvalidArgumentError, MalformedInputError, said } from '../../errors.ts';
import { GB45438_FIELDS, type Gb45438Field, type Gb45438Label } from './types.ts';

/**
 * Annex E j): values consist of GB18030 code points 0x21, 0x23–0x5B, 0x5D–0x7E, plus the
 * escape `\"`. So, once JSON-unescaped: printable ASCII without space or `\` (0x22 `"` is
 * the unescaped `\"`, hence 0x21–0x5B in one range).
 */
const CHARSET = /^[\x21-\x5b\x5d-\x7e]*$/;

/** Whether `value` fits the Annex E j) character set (after JSON unescaping, `"` is allowed). */
export function isAnnexECharset(value: string): boolean {
  return CHARSET.test(value);
}

/**
 * Make a complete label from partial fields (missing optional ones become "").
 * @throws {InvalidArgumentError} for a non-string value, a bad `Label`, or characters outside Annex E j).
 */
export function makeGb45438Label(fields: Partial<Record<Gb45438Field, string>>): Gb45438Label {
  const out = {} as Record<Gb45438Field, string>;
  for (const f of GB45438_FIELDS) {
    const v = fields[f] ?? '';
    if (typeof v !== 'string') throw InvalidArgumentError.expected('a string', `AIGC.${f}`, v);
    if (!isAnnexECharset(v)) {
      throw new InvalidArgumentError(
        said(
          'err.lbl.aigcHasCharactersOutside',
          'AIGC.{f} has characters outside GB 45438 Annex E j) (no spaces, backslashes, control characters or CJK): {v2}',
          { f, v2: JSON.stringify(v) },
        ),
      );
    }
    out[f] = v;
  }
  if (!['1', '2', '3'].includes(out.Label)) throw InvalidArgumentError.expected('"1", "2" or "3"', 'AIGC.Label', out.Label);
  return out;
}

/** Serialise as the bare 7-field JSON object, in the standard's key order. */
export function serializeGb45438(label: Gb45438Label): string {
  return `{${GB45438_FIELDS.map((f) => `${JSON.stringify(f)}:${JSON.stringify(label[f] ?? '')}`).join(',')}}`;
}

/** Serialise wrapped as `{"AIGC":{…}}` (EXIF UserComment, Annex E b). */
export function serializeGb45438Wrapped(label: Gb45438Label): string {
  return `{"AIGC":${serializeGb45438(label)}}`;
}

/** Result of parsing a label value. */
export interface ParsedGb45438 {
  readonly label: Gb45438Label;
  /** Whether it came wrapped in `{"AIGC": …}`. */
  readonly wrapped: boolean;
  /** Oddities a reader tolerates (non-string values, unknown keys, charset). */
  readonly warnings: string[];
}

/**
 * Parse a label value: bare 7-field JSON or `{"AIGC":{…}}`. Requires at least one TC260
 * field so that an unrelated `AIGC` key is not mistaken for a label.
 * @throws {MalformedInputError} when it is not JSON or carries no TC260 field.
 */
export function parseGb45438(text: string): ParsedGb45438 {
  let obj: unknown;
  try {
    obj = JSON.parse(text.trim());
  } catch (err) {
    throw new MalformedInputError(
      'gb45438',
      said('err.lbl.labelNotJSON', 'label is not JSON: {v1}', { v1: JSON.stringify(text.slice(0, 80)) }),
      undefined,
      { cause: err },
    );
  }
  let wrapped = false;
  if (isRecord(obj) && isRecord(obj.AIGC)) {
    obj = obj.AIGC;
    wrapped = true;
  } else if (isRecord(obj) && typeof obj.AIGC === 'string') {
    return { ...parseGb45438(obj.AIGC), wrapped: true };
  }
  if (!isRecord(obj)) throw new MalformedInputError('gb45438', said('err.lbl.labelNotJSONObject', 'label is not a JSON object'));
  const warnings: string[] = [];
  const label = {} as Record<Gb45438Field, string>;
  let seen = 0;
  for (const f of GB45438_FIELDS) {
    const v = obj[f];
    if (v === undefined || v === null) {
      label[f] = '';
      continue;
    }
    seen++;
    if (typeof v !== 'string') warnings.push(`AIGC.${f} is a ${typeof v}, not a string`);
    label[f] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (!isAnnexECharset(label[f])) warnings.push(`AIGC.${f} has characters outside Annex E j)`);
  }
  if (seen === 0)
    throw new MalformedInputError('gb45438', said('err.lbl.jsonObjectCarriesNone', 'JSON object carries none of the GB 45438 fields'));
  for (const k of Object.keys(obj)) if (!(GB45438_FIELDS as readonly string[]).includes(k)) warnings.push(`unknown key ${k}`);
  return { label, wrapped, warnings };
}

/** Field-by-field equality of two labels. */
export function sameGb45438(a: Gb45438Label, b: Gb45438Label): boolean {
  return GB45438_FIELDS.every((f) => (a[f] ?? '') === (b[f] ?? ''));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
