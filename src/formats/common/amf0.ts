/**
 * AMF0 (Adobe Action Message Format 0, as FLV script tags hold it): just enough to read
 * the `onMetaData` property list and rebuild it with one property replaced. Values are
 * kept as raw byte spans, so properties we do not touch are copied bit for bit. Every
 * length is checked against the bytes left and nesting is capped at {@link MAX_AMF_DEPTH}.
 *
 * Spec: Adobe AMF0 File Format Specification (2006); FLV/F4V spec v10.1 §E.4.4 (SCRIPTDATA).
 */
import { MAX_AMF_DEPTH, MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';

const FORMAT = 'flv';

/** AMF0 type markers used here. */
export const AMF = {
  number: 0,
  boolean: 1,
  string: 2,
  object: 3,
  null: 5,
  undefined: 6,
  reference: 7,
  ecmaArray: 8,
  objectEnd: 9,
  strictArray: 10,
  date: 11,
  longString: 12,
  unsupported: 13,
  xml: 15,
  typed: 16,
} as const;

/** One property of an object or ECMA array. */
export interface AmfProperty {
  readonly key: string;
  /** Offset of the value's type marker in the buffer. */
  readonly start: number;
  /** Offset just past the value. */
  readonly end: number;
}

/** A bounds-checked cursor over one script tag's data. */
export class AmfReader {
  /** @param base offset of `data` in the file, for error positions. */
  constructor(
    readonly data: Uint8Array,
    readonly base = 0,
  ) {}

  private need(at: number, n: number, what: string): void {
    if (n > this.data.length - at)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.amf0BytesRunsPast', 'AMF0 {what} of {n} bytes runs past the script tag', { what, n }),
        this.base + at,
      );
  }

  u16(at: number): number {
    this.need(at, 2, 'u16');
    return (this.data[at]! << 8) | this.data[at + 1]!;
  }

  u32(at: number): number {
    this.need(at, 4, 'u32');
    return ((this.data[at]! << 24) | (this.data[at + 1]! << 16) | (this.data[at + 2]! << 8) | this.data[at + 3]!) >>> 0;
  }

  /** A UTF-8 string of `n` bytes at `at`. */
  text(at: number, n: number): string {
    this.need(at, n, 'string');
    return new TextDecoder().decode(this.data.subarray(at, at + n));
  }

  /** The string value (`string` or `long string`) at `at`, or undefined for another type. */
  stringAt(at: number): string | undefined {
    this.need(at, 1, 'type marker');
    const t = this.data[at]!;
    if (t === AMF.string) return this.text(at + 3, this.u16(at + 1));
    if (t === AMF.longString) return this.text(at + 5, this.u32(at + 1));
    return undefined;
  }

  /**
   * Offset just past the value at `at`.
   * @throws {MalformedInputError} for an unknown marker or a length past the data.
   * @throws {LimitExceededError} past {@link MAX_AMF_DEPTH} or {@link MAX_SEGMENTS} elements.
   */
  skip(at: number, depth = 0): number {
    this.need(at, 1, 'type marker');
    const t = this.data[at]!;
    const fixed: Record<number, number> = {
      [AMF.number]: 9,
      [AMF.boolean]: 2,
      [AMF.null]: 1,
      [AMF.undefined]: 1,
      [AMF.reference]: 3,
      [AMF.date]: 11,
      [AMF.unsupported]: 1,
    };
    if (t in fixed) {
      this.need(at, fixed[t]!, 'value');
      return at + fixed[t]!;
    }
    if (t === AMF.string) return this.end(at + 3, this.u16(at + 1));
    if (t === AMF.longString || t === AMF.xml) return this.end(at + 5, this.u32(at + 1));
    if (depth + 1 > MAX_AMF_DEPTH)
      throw new LimitExceededError(
        'MAX_AMF_DEPTH',
        said('err.fmt.amf0ValuesNestedMore', 'AMF0 values nested more than {MAX_AMF_DEPTH} deep', { MAX_AMF_DEPTH }),
      );
    if (t === AMF.object) return this.properties(at + 1, depth + 1).end;
    if (t === AMF.ecmaArray) return this.properties(at + 5, depth + 1, this.u32(at + 1)).end;
    if (t === AMF.typed) return this.properties(this.end(at + 3, this.u16(at + 1)), depth + 1).end;
    if (t === AMF.strictArray) {
      const count = this.u32(at + 1);
      if (count > MAX_SEGMENTS)
        throw new LimitExceededError(
          'MAX_SEGMENTS',
          said('err.fmt.amf0StrictArrayElements', 'AMF0 strict array of {count} elements', { count }),
        );
      if (count > this.data.length - at - 5)
        throw new MalformedInputError(
          FORMAT,
          said('err.fmt.amf0StrictArrayElements2', 'AMF0 strict array of {count} elements cannot fit', { count }),
          this.base + at,
        );
      let p = at + 5;
      for (let i = 0; i < count; i++) p = this.skip(p, depth + 1);
      return p;
    }
    throw new MalformedInputError(FORMAT, said('err.fmt.unknownAMF0TypeMarker', 'unknown AMF0 type marker {t}', { t }), this.base + at);
  }

  private end(at: number, n: number): number {
    this.need(at, n, 'string');
    return at + n;
  }

  /**
   * The properties from `at` up to the end marker (`00 00 09`). An ECMA array may also end
   * at the end of the data without a marker (some writers omit it), after `count` properties.
   * @throws {MalformedInputError} {@link LimitExceededError}
   */
  properties(at: number, depth: number, count?: number): { props: AmfProperty[]; end: number; endMarker: boolean } {
    const props: AmfProperty[] = [];
    let p = at;
    for (;;) {
      if (count !== undefined && props.length >= count && p === this.data.length) return { props, end: p, endMarker: false };
      const n = this.u16(p);
      if (n === 0) {
        this.need(p + 2, 1, 'object end marker');
        if (this.data[p + 2] !== AMF.objectEnd)
          throw new MalformedInputError(
            FORMAT,
            said('err.fmt.amf0EmptyPropertyName', 'AMF0 empty property name without an object end marker'),
            this.base + p,
          );
        return { props, end: p + 3, endMarker: true };
      }
      if (props.length >= MAX_SEGMENTS)
        throw new LimitExceededError(
          'MAX_SEGMENTS',
          said('err.fmt.moreAMF0Properties', 'more than {MAX_SEGMENTS} AMF0 properties', { MAX_SEGMENTS }),
        );
      const key = this.text(p + 2, n);
      const start = p + 2 + n;
      const end = this.skip(start, depth);
      props.push({ key, start, end });
      p = end;
    }
  }
}

/** An AMF0 string value: `string`, or `long string` above `shortMax` bytes (at most 65 535). */
export function amfString(value: string, shortMax = 0xffff): Uint8Array {
  const b = new TextEncoder().encode(value);
  const long = b.length > Math.min(shortMax, 0xffff);
  const out = new Uint8Array((long ? 5 : 3) + b.length);
  const dv = new DataView(out.buffer);
  out[0] = long ? AMF.longString : AMF.string;
  if (long) dv.setUint32(1, b.length);
  else dv.setUint16(1, b.length);
  out.set(b, long ? 5 : 3);
  return out;
}

/** A property name (u16 length + UTF-8). */
export function amfKey(key: string): Uint8Array {
  const b = new TextEncoder().encode(key);
  const out = new Uint8Array(2 + b.length);
  out[0] = b.length >> 8;
  out[1] = b.length & 0xff;
  out.set(b, 2);
  return out;
}
