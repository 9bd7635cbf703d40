/**
 * Distinguished names: a neutral model (attribute list + display string), building a
 * `Name` for certificates we issue, and RFC 5280 §7.1-style comparison (case-folded,
 * whitespace-collapsed) for path building.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { InvalidArgumentError } from '../errors.ts';
import { ATTR_NAMES } from './oids.ts';
import { toHex } from './der.ts';
import { bytesEqual } from '../binary/bytes.ts';

/** One attribute of a distinguished name. */
export interface NameAttribute {
  readonly oid: string;
  /** Short name (`CN`, `O`, ...) or the OID when unknown. */
  readonly name: string;
  readonly value: string;
}

/** A parsed distinguished name. */
export interface DistinguishedName {
  /** Attributes in encoded order (multi-valued RDNs are flattened). */
  readonly attributes: readonly NameAttribute[];
  /** Display form, e.g. `O=Example, CN=Example Root CA` (encoded order, as openssl prints). */
  readonly text: string;
  /** Exact DER of the Name. */
  readonly der: Uint8Array;
}

/** Convert a parsed `Name` to the neutral model. */
export function toDistinguishedName(name: Name): DistinguishedName {
  const attributes: NameAttribute[] = [];
  for (const rdn of name) {
    for (const atv of rdn) {
      attributes.push({ oid: atv.type, name: ATTR_NAMES[atv.type] ?? atv.type, value: valueText(atv.value) });
    }
  }
  return {
    attributes,
    text: attributes.map((a) => `${a.name}=${escapeValue(a.value)}`).join(', '),
    der: new Uint8Array(AsnConvert.serialize(name)),
  };
}

function valueText(v: AttributeValue): string {
  if (v.anyValue) return `#${toHex(new Uint8Array(v.anyValue))}`;
  return v.toString();
}

function escapeValue(v: string): string {
  return v.replace(/([,+"\\<>;])/g, '\\$1');
}

/** First value of an attribute, if present. */
export function nameValue(dn: DistinguishedName, oid: string): string | undefined {
  return dn.attributes.find((a) => a.oid === oid)?.value;
}

/**
 * The comparison key of a name: two names match ({@link namesEqual}) exactly when their keys are
 * equal (byte-equal DER parses to the same key). Used to index trust anchors by subject.
 */
export function nameKey(dn: DistinguishedName): string {
  return canonical(dn);
}

function canonical(dn: DistinguishedName): string {
  return dn.attributes.map((a) => `${a.oid}=${a.value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()}`).join('\u0000');
}

/** Whether two names match (byte-equal, or equal after case folding and whitespace collapse). */
export function namesEqual(a: DistinguishedName, b: DistinguishedName): boolean {
  if (bytesEqual(a.der, b.der)) return true;
  return canonical(a) === canonical(b);
}

/** An attribute to put in a name we issue. */
export interface NameInput {
  readonly oid: string;
  readonly value: string;
  /** String type; PrintableString is used when the value fits and no type is given, else UTF8String. */
  readonly type?: 'printable' | 'utf8';
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * Build a DER `Name` with one attribute per RDN, in the given order.
 * @throws {InvalidArgumentError} when a value is empty or longer than 256 characters.
 */
export function buildName(attrs: readonly NameInput[]): Name {
  return new Name(
    attrs.map((a) => {
      if (typeof a.value !== 'string' || a.value.length === 0 || a.value.length > 256) {
        throw InvalidArgumentError.expected('a name attribute of 1-256 characters', ATTR_NAMES[a.oid] ?? a.oid, a.value);
      }
      const printable = (a.type ?? (PRINTABLE.test(a.value) ? 'printable' : 'utf8')) === 'printable';
      const value = new AttributeValue(printable ? { printableString: a.value } : { utf8String: a.value });
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type: a.oid, value })]);
    }),
  );
}
