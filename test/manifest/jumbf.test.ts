import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  encodeBox,
  encodeBoxOf,
  encodeDescription,
  encodeNode,
  encodeSuperbox,
  parseDescription,
  parseJumbf,
  typeUuid,
  uuidFourcc,
  UUID_CBOR,
  type JumbfNode,
  type JumbfSuperbox,
} from '../../src/manifest/jumbf/index.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { MAX_BOX_DEPTH, MAX_JUMBF_BOXES } from '../../src/binary/limits.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

// A CBOR assertion superbox labelled "x" holding an empty map.
const GOLDEN = `0000002c 6a756d62
  0000001b 6a756d64 63626f7200110010800000aa00389b71 03 7800
  00000009 63626f72 a0`;
// The same with a 16-byte c2sh salt (toggles 0x13).
const GOLDEN_SALTED = `00000044 6a756d62
  00000033 6a756d64 63626f7200110010800000aa00389b71 13 7800
    00000018 63327368 000102030405060708090a0b0c0d0e0f
  00000009 63626f72 a0`;

describe('JUMBF golden bytes', () => {
  it('writes the golden superbox', () => {
    expect(hex(encodeSuperbox({ type: UUID_CBOR, label: 'x' }, [encodeBox('cbor', unhex('a0'))]))).toBe(hex(unhex(GOLDEN)));
    const salt = unhex('000102030405060708090a0b0c0d0e0f');
    expect(
      hex(encodeSuperbox({ type: UUID_CBOR, label: 'x', privateBox: { type: 'c2sh', payload: salt } }, [encodeBox('cbor', unhex('a0'))])),
    ).toBe(hex(unhex(GOLDEN_SALTED)));
  });

  it('reads the golden superbox, consuming every byte', () => {
    for (const g of [GOLDEN, GOLDEN_SALTED]) {
      const bytes = unhex(g);
      const { root, consumed } = parseJumbf(bytes);
      expect(consumed).toBe(bytes.length);
      expect(root.description.label).toBe('x');
      expect(uuidFourcc(root.description.type)).toBe('cbor');
      expect(root.children).toHaveLength(1);
      const c = root.children[0];
      expect(c.kind === 'box' && c.type).toBe('cbor');
      expect(c.kind === 'box' && hex(c.payload)).toBe('a0');
      expect(hex(root.payload)).toBe(hex(bytes.subarray(8)));
    }
    const salted = parseJumbf(unhex(GOLDEN_SALTED)).root.description;
    expect(salted.toggles).toBe(0x13);
    expect(salted.privateBox?.type).toBe('c2sh');
    expect(hex(salted.privateBox!.payload)).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('parses description fields: id, hash, private box', () => {
    const hash = new Uint8Array(32).fill(7);
    const box = encodeDescription({
      type: typeUuid('c2cl'),
      label: 'l',
      id: 0x01020304,
      hash,
      privateBox: { type: 'c2sh', payload: unhex('aa') },
    });
    const d = parseDescription(box.subarray(8));
    expect(d.toggles).toBe(0x1f);
    expect(d.id).toBe(0x01020304);
    expect(hex(d.hash!)).toBe(hex(hash));
    expect(hex(d.privateBox!.payload)).toBe('aa');
  });

  it('reads XLBox and LBox 0 sizes', () => {
    const xl = unhex('00000001 63626f72 0000000000000011 a0');
    const inner = encodeDescription({ type: UUID_CBOR, label: 'y' });
    const payload = Buffer.concat([inner, xl, unhex('00000000 6a736f6e 7b7d')]);
    const root = Buffer.concat([unhex(`00000001 6a756d62 ${(payload.length + 16).toString(16).padStart(16, '0')}`), payload]);
    const { root: r, consumed } = parseJumbf(root);
    expect(consumed).toBe(root.length);
    expect(r.headerLength).toBe(16);
    const kids = r.children as Extract<JumbfNode, { kind: 'box' }>[];
    expect(kids.map((k) => [k.type, hex(k.payload)])).toEqual([
      ['cbor', 'a0'],
      ['json', '7b7d'],
    ]);
  });
});

describe('JUMBF malformed and hostile input', () => {
  it.each([
    ['truncated header', '0000002c 6a756d'],
    ['size past the end', '0000ffff 6a756d62 0000001b'],
    ['size below header', '00000004 6a756d62'],
    ['no description first', '00000011 6a756d62 00000009 63626f72 a0'],
    ['label without NUL', '0000001c 6a756d62 00000014 6a756d64 63626f7200110010800000aa00389b71 03 78'],
    ['XLBox above 2^53', '00000001 6a756d62 0020000000000001'],
    ['description trailing bytes', '0000001f 6a756d62 00000017 6a756d64 63626f7200110010800000aa00389b71 00 ffff'],
  ])('%s → MalformedInputError', (_name, h) => {
    expect(() => parseJumbf(unhex(h))).toThrow(MalformedInputError);
  });

  const nested = (depth: number): Uint8Array => {
    let inner = encodeSuperbox({ type: UUID_CBOR, label: 'leaf' }, []);
    for (let i = 1; i < depth; i++) inner = encodeSuperbox({ type: UUID_CBOR, label: 'n' }, [inner]);
    return inner;
  };

  it('a superbox nested 1000 deep → LimitExceededError', () => {
    const bytes = nested(1000);
    const err = (() => {
      try {
        parseJumbf(bytes);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).limit).toBe('MAX_BOX_DEPTH');
  });

  it(`MAX_BOX_DEPTH (${MAX_BOX_DEPTH}) is allowed, one more is not`, () => {
    let r: JumbfSuperbox = parseJumbf(nested(MAX_BOX_DEPTH)).root;
    let depth = 1;
    while (r.children.length) {
      r = r.children[0] as JumbfSuperbox;
      depth++;
    }
    expect(depth).toBe(MAX_BOX_DEPTH);
    expect(() => parseJumbf(nested(MAX_BOX_DEPTH + 1))).toThrow(LimitExceededError);
  });

  it(`MAX_JUMBF_BOXES (${MAX_JUMBF_BOXES}) is allowed, one more is not`, () => {
    const flat = (boxes: number) =>
      encodeSuperbox(
        { type: UUID_CBOR, label: 'f' },
        Array.from({ length: boxes - 2 }, () => encodeBox('free', new Uint8Array(0))),
      );
    expect(parseJumbf(flat(MAX_JUMBF_BOXES)).root.children).toHaveLength(MAX_JUMBF_BOXES - 2);
    expect(() => parseJumbf(flat(MAX_JUMBF_BOXES + 1))).toThrow(LimitExceededError);
  });
});

describe('JUMBF round trips (fast-check)', () => {
  const fourcc = fc
    .string({ minLength: 4, maxLength: 4, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) })
    .filter((t) => t !== 'jumb');
  const bytes = (max: number) => fc.uint8Array({ maxLength: max });
  const description = fc.record({
    type: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    label: fc.option(
      fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0')),
      { nil: undefined },
    ),
    requestable: fc.boolean(),
    id: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
    hash: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: undefined }),
    privateBox: fc.option(fc.record({ type: fourcc, payload: bytes(20) }), { nil: undefined }),
  });
  const tree = fc.letrec<{ node: Uint8Array }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(fourcc, bytes(40)).map(([t, p]) => encodeBox(t, p)),
      fc.tuple(description, fc.array(tie('node'), { maxLength: 4 })).map(([d, kids]) => encodeSuperbox(d, kids)),
    ),
  }));
  const root = fc.tuple(description, fc.array(tree.node, { maxLength: 5 })).map(([d, kids]) => encodeSuperbox(d, kids));

  it('encodes a box from payload pieces exactly as from their concatenation', () => {
    fc.assert(
      fc.property(fourcc, fc.array(bytes(40), { maxLength: 6 }), (t, pieces) => {
        const joined = new Uint8Array(Buffer.concat(pieces));
        expect(hex(encodeBoxOf(t, pieces))).toBe(hex(encodeBox(t, joined)));
      }),
    );
    expect(() => encodeBoxOf('toolong', [])).toThrow(InvalidArgumentError);
  });

  it('parse(encode(tree)) re-encodes to the same bytes and consumes them all', () => {
    fc.assert(
      fc.property(root, (b) => {
        const { root: r, consumed } = parseJumbf(b);
        expect(consumed).toBe(b.length);
        expect(hex(encodeNode(r))).toBe(hex(b));
        expect(hex(r.payload)).toBe(hex(b.subarray(r.headerLength)));
      }),
      { numRuns: 200 },
    );
  });

  it('any truncation or byte flip parses or throws a typed error', () => {
    fc.assert(
      fc.property(root, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (b, cut, at, x) => {
        const mutated = b.slice(0, Math.max(0, b.length - (cut % (b.length + 1))));
        if (mutated.length) mutated[at % mutated.length] ^= x;
        try {
          parseJumbf(mutated);
        } catch (e) {
          expect(e instanceof MalformedInputError || e instanceof LimitExceededError).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
