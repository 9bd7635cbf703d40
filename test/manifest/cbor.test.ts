import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCbor, encodeCbor, Tag } from '../../src/manifest/cbor.ts';
import { walkCbor } from '../../src/manifest/cbor-walk.ts';
import { encodeClaimV2, readClaim } from '../../src/manifest/claim.ts';
import { LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { MAX_CBOR_DEPTH, MAX_CBOR_ITEM, MAX_CBOR_ITEMS } from '../../src/binary/limits.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

// Hand-assembled RFC 8949 encoding of a minimal v2 claim (keys in writing order).
const GOLDEN_CLAIM = `a5
  6a 696e7374616e63654944 69 786d703a6969643a31
  74 636c61696d5f67656e657261746f725f696e666f a1 64 6e616d65 61 74
  69 7369676e6174757265 6c 73656c66236a756d62663d73
  72 637265617465645f617373657274696f6e73 81 a2 63 75726c 61 75 64 68617368 41 01
  63 616c67 66 736861323536`;

describe('CBOR claim golden bytes', () => {
  const input = {
    instanceID: 'xmp:iid:1',
    claimGeneratorInfo: { name: 't' },
    signature: 'self#jumbf=s',
    createdAssertions: [{ url: 'u', hash: unhex('01') }],
  };

  it('encodes the claim exactly', () => {
    expect(hex(encodeClaimV2(input))).toBe(hex(unhex(GOLDEN_CLAIM)));
  });

  it('decodes the claim, consuming every byte', () => {
    const bytes = unhex(GOLDEN_CLAIM);
    expect(walkCbor(bytes)).toBe(bytes.length);
    const c = readClaim('c2pa.claim.v2', bytes);
    expect(c.version).toBe(2);
    expect(c.raw).toBe(bytes);
    expect(c.instanceID).toBe('xmp:iid:1');
    expect(c.claimGeneratorInfo).toEqual([{ name: 't' }]);
    expect(c.signature).toBe('self#jumbf=s');
    expect(c.createdAssertions).toEqual([{ url: 'u', hash: unhex('01') }]);
    expect(c.gatheredAssertions).toEqual([]);
    expect(c.alg).toBe('sha256');
  });

  it('reads a v1 claim (assertions, claim_generator, dc:format)', () => {
    const v1 = encodeCbor({
      claim_generator: 'old/1.0',
      signature: 'self#jumbf=c2pa.signature',
      assertions: [{ url: 'self#jumbf=c2pa.assertions/a', hash: unhex('02') }],
      'dc:format': 'image/jpeg',
      instanceID: 'xmp:iid:2',
      alg: 'sha256',
    });
    const c = readClaim('c2pa.claim', v1);
    expect(c.version).toBe(1);
    expect(c.claimGenerator).toBe('old/1.0');
    expect(c.format).toBe('image/jpeg');
    expect(c.createdAssertions[0].url).toBe('self#jumbf=c2pa.assertions/a');
  });

  it('reports a missing required field as c2pa.claim malformed', () => {
    const bad = encodeCbor({ instanceID: 'x', claim_generator_info: { name: 'n' }, created_assertions: [] });
    expect(() => readClaim('c2pa.claim.v2', bad)).toThrow(/signature is missing/);
  });

  it('encodes large integers as integers and dates as tag 0', () => {
    expect(hex(encodeCbor(2 ** 40))).toBe('1b0000010000000000');
    expect(hex(encodeCbor(new Tag('2025-01-01T00:00:00Z', 0)))).toBe('c074323032352d30312d30315430303a30303a30305a');
    expect(hex(encodeCbor(new Map<number, unknown>([[1, -7]])))).toBe('a10126');
    expect(decodeCbor(unhex('1b0000010000000000')).value).toBe(2 ** 40);
  });
});

describe('CBOR hostile input', () => {
  it.each([
    ['byte string claiming 2^60 bytes', '5b1000000000000000'],
    ['text string claiming 2^32 bytes', '7b0000000100000000'],
    ['map claiming 2^32 entries', 'bb0000000100000000'],
    ['map claiming 2^32-1 entries', 'baffffffff'],
    ['array claiming 2^40 entries', '9b0000010000000000'],
    ['claim map with a huge value', 'a1 63616c67 5b7fffffffffffffff'],
    ['truncated header', '19 01'],
    ['reserved additional info', '1c'],
    ['indefinite without break', '9f 01 02'],
    ['indefinite string with wrong chunk', '5f 61 61 ff'],
    ['stray break', 'ff'],
    ['cbor-x generic-object tag 27', 'd81b 82 65 4572726f72 61 78'],
    ['cbor-x shared reference tag 28', 'd81c 80'],
    ['cbor-x record tag', 'd9dfff 83 19e000 81 61 61 01'],
    ['trailing bytes', 'a0 00'],
  ])('%s → MalformedInputError', (_n, h) => {
    expect(() => decodeCbor(unhex(h))).toThrow(MalformedInputError);
  });

  const nestedArrays = (n: number) => new Uint8Array([...Array(n - 1).fill(0x81), 0x80]);
  it(`MAX_CBOR_DEPTH (${MAX_CBOR_DEPTH}) nested containers decode, one more does not`, () => {
    let v = decodeCbor(nestedArrays(MAX_CBOR_DEPTH)).value;
    let d = 1;
    while (Array.isArray(v) && v.length) {
      v = v[0];
      d++;
    }
    expect(d).toBe(MAX_CBOR_DEPTH);
    expect(() => decodeCbor(nestedArrays(MAX_CBOR_DEPTH + 1))).toThrow(LimitExceededError);
    expect(() => decodeCbor(nestedArrays(100_000))).toThrow(LimitExceededError);
  });

  it(`MAX_CBOR_ITEMS (${MAX_CBOR_ITEMS}) items decode, one more does not`, () => {
    const arr = (items: number) => {
      const n = items - 1;
      const b = new Uint8Array(5 + n);
      b[0] = 0x9a;
      new DataView(b.buffer).setUint32(1, n);
      return b;
    };
    expect((decodeCbor(arr(MAX_CBOR_ITEMS)).value as unknown[]).length).toBe(MAX_CBOR_ITEMS - 1);
    expect(() => decodeCbor(arr(MAX_CBOR_ITEMS + 1))).toThrow(LimitExceededError);
  });

  it(`MAX_CBOR_ITEM (${MAX_CBOR_ITEM} bytes) strings pass the walk, one more byte does not`, () => {
    const bstr = (n: number) => {
      const b = new Uint8Array(5 + n);
      b[0] = 0x5a;
      new DataView(b.buffer).setUint32(1, n);
      return b;
    };
    expect(walkCbor(bstr(MAX_CBOR_ITEM))).toBe(MAX_CBOR_ITEM + 5);
    expect(() => walkCbor(bstr(MAX_CBOR_ITEM + 1))).toThrow(LimitExceededError);
  });
});

describe('CBOR round trips (fast-check)', () => {
  const key = fc.string({ maxLength: 12 }).filter((k) => k !== '__proto__');
  const value = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      fc.string({ maxLength: 30 }),
      fc.boolean(),
      fc.constant(null),
      fc.uint8Array({ maxLength: 40 }),
      fc.array(tie('v'), { maxLength: 5 }),
      fc.dictionary(key, tie('v'), { maxKeys: 5 }),
    ),
  })).v;

  it('decode(encode(v)) equals v and the bytes are consumed', () => {
    fc.assert(
      fc.property(value, (v) => {
        const b = encodeCbor(v);
        expect(walkCbor(b)).toBe(b.length);
        const d = decodeCbor(b);
        expect(d.raw).toBe(b);
        expect(d.value).toEqual(v);
        expect(hex(encodeCbor(d.value))).toBe(hex(b));
      }),
      { numRuns: 300 },
    );
  });

  it('any truncation or byte flip decodes or throws a typed error', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (v, cut, at, x) => {
        const b = encodeCbor(v);
        const m = b.slice(0, b.length - (cut % b.length));
        if (m.length) m[at % m.length] ^= x;
        try {
          decodeCbor(m);
        } catch (e) {
          expect(e instanceof MalformedInputError || e instanceof LimitExceededError).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
