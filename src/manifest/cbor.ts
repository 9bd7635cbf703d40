/**
 * CBOR for C2PA: encoding with the cbor-x settings C2PA implementations use (profile §1.5), and
 * safe decoding that runs {@link walkCbor} first, so absurd lengths fail with our typed error
 * before cbor-x allocates anything. Decoded values keep their raw bytes: claims and assertions
 * are hashed and signed as stored, never re-encoded.
 */
import { Decoder, Encoder, Tag } from 'cbor-x';
import { InvalidArgumentError, MalformedInputError, ToolkitError, said } from '../errors.ts';
import { walkCbor, type CborWalkLimits } from './cbor-walk.ts';

/** cbor-x's tag wrapper: `new Tag(value, tagNumber)` (e.g. `new Tag(iso, 0)` for a date). */
export { Tag };

const encoder = new Encoder({
  useRecords: false,
  tagUint8Array: false,
  variableMapSize: true,
  // cbor-x would otherwise wrap every JS Map in tag 259; COSE headers must be bare maps.
  useTag259ForMaps: false,
} as ConstructorParameters<typeof Encoder>[0]);

const objectDecoder = new Decoder({ useRecords: false, mapsAsObjects: true } as ConstructorParameters<typeof Decoder>[0]);
const mapDecoder = new Decoder({ useRecords: false, mapsAsObjects: false } as ConstructorParameters<typeof Decoder>[0]);

/** A decoded CBOR value together with the exact bytes it came from. */
export interface CborItem<T = unknown> {
  readonly value: T;
  readonly raw: Uint8Array;
}

/** Options for {@link decodeCbor}. */
export interface DecodeCborOptions extends CborWalkLimits {
  /** `objects` (default): maps become plain objects (keys as strings); `maps`: JS `Map`s with their original key types (COSE headers). */
  readonly maps?: 'objects' | 'maps';
  /** Name used in error messages (e.g. `c2pa.claim.v2`). */
  readonly context?: string;
}

/**
 * Encode a value. Integers beyond 32 bits are written as CBOR integers (cbor-x would use
 * floats); `undefined` members of objects are dropped; `Uint8Array`s become byte strings;
 * `Map`s stay maps with their key types; `new Tag(iso, 0)` gives a date string.
 * @throws {InvalidArgumentError} for values CBOR cannot carry (functions, symbols, non-finite numbers).
 */
export function encodeCbor(value: unknown): Uint8Array {
  const prepared = prepare(value, 0);
  try {
    const out = encoder.encode(prepared);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength).slice();
  } catch (err) {
    throw new InvalidArgumentError(
      said('err.c2pa.cannotEncodeValueAs', 'cannot encode value as CBOR: {v1}', { v1: (err as Error).message }),
      { cause: err },
    );
  }
}

/**
 * The value as cbor-x should see it (see {@link encodeCbor}), copied only where something
 * changes: a plain object, array, map or tag whose members need nothing is returned as it is.
 */
function prepare(v: unknown, depth: number): unknown {
  if (depth > 128)
    throw new InvalidArgumentError(said('err.c2pa.cannotEncodeValueAs2', 'cannot encode value as CBOR: nested deeper than 128'));
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw InvalidArgumentError.expected('a finite number', 'CBOR value', v);
    if (Number.isInteger(v) && (v > 0xffffffff || v < -0x100000000)) return BigInt(v);
    return v;
  }
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol') throw InvalidArgumentError.expected('a CBOR-encodable value', 'CBOR value', v);
    return v;
  }
  if (v instanceof Uint8Array) return v;
  if (v instanceof Tag) {
    const x = prepare(v.value, depth + 1);
    return x === v.value ? v : new Tag(x, v.tag);
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = prepare(v[i], depth + 1);
      if (!out && x !== v[i]) out = v.slice(0, i);
      out?.push(x);
    }
    return out ?? v;
  }
  if (v instanceof Map) {
    let same = true;
    const m = new Map();
    for (const [k, x] of v) {
      if (x === undefined) {
        same = false;
        continue;
      }
      const pk = prepare(k, depth + 1);
      const px = prepare(x, depth + 1);
      if (pk !== k || px !== x) same = false;
      m.set(pk, px);
    }
    return same ? v : m;
  }
  if (v instanceof Date) return new Tag(v.toISOString(), 0);
  // Objects of other classes are written as plain objects of their own members, as before.
  const proto = Object.getPrototypeOf(v);
  let same = proto === Object.prototype || proto === null;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) {
      same = false;
      continue;
    }
    const px = prepare(x, depth + 1);
    if (px !== x) same = false;
    o[k] = px;
  }
  return same ? v : o;
}

/**
 * Decode exactly one CBOR item filling `bytes`.
 * @throws {MalformedInputError} (format `cbor`) for malformed CBOR, trailing bytes, refused tags.
 * @throws {LimitExceededError} past {@link MAX_CBOR_DEPTH}, {@link MAX_CBOR_ITEM} or {@link MAX_CBOR_ITEMS}.
 */
export function decodeCbor<T = unknown>(bytes: Uint8Array, options: DecodeCborOptions = {}): CborItem<T> {
  const end = walkCbor(bytes, 0, options);
  if (end !== bytes.length) {
    throw new MalformedInputError(
      'cbor',
      said('err.c2pa.trailingBytesAfterItem', '{v1} trailing bytes after the {v2} item', {
        v1: bytes.length - end,
        v2: options.context ?? 'CBOR',
      }),
      end,
    );
  }
  const decoder = options.maps === 'maps' ? mapDecoder : objectDecoder;
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (err) {
    if (err instanceof ToolkitError) throw err;
    throw new MalformedInputError(
      'cbor',
      said('err.c2pa.cannotDecode', 'cannot decode {v1}: {v2}', { v1: options.context ?? 'CBOR', v2: (err as Error).message }),
      undefined,
      {
        cause: err,
      },
    );
  }
  return { value: normalize(value) as T, raw: bytes };
}

/**
 * cbor-x returns Node Buffers for byte strings and BigInts for 64-bit integers: give callers plain
 * Uint8Array views, safe integers as numbers, and dates as ISO strings.
 */
function normalize(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = normalize(v[i]);
    return v;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) v.set(k, normalize(x));
    return v;
  }
  if (v instanceof Tag) return new Tag(normalize(v.value), v.tag);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = normalize(o[k]);
  return o;
}

/** Whether `v` is a plain (non-array, non-bytes, non-Map) object, as decoded CBOR maps are. */
export function isCborMap(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Map) && !(v instanceof Tag)
  );
}

/** Encoded size of a CBOR byte-string header for `n` bytes. */
export function bstrHeaderSize(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9;
}
