/** The c2pa.soft-binding assertion: shape written, read back, malformed input refused. */
import { describe, expect, it } from 'vitest';
import { buildSoftBinding, readSoftBinding, WATERMARK_ALGS } from '../../src/watermark/soft-binding.ts';
import { decodeCbor, encodeCbor } from '../../src/manifest/cbor.ts';
import { interpretAssertion } from '../../src/manifest/assertions/registry.ts';
import { InvalidArgumentError, MalformedInputError } from '../../src/errors.ts';

describe('c2pa.soft-binding', () => {
  it('writes {alg, blocks:[{scope, value}], pad, name} and reads it back through CBOR', () => {
    const data = buildSoftBinding('image', '0011223344556677');
    expect(Object.keys(data)).toEqual(['alg', 'blocks', 'pad', 'name']);
    const back = readSoftBinding(decodeCbor(encodeCbor(data)).value);
    expect(back).toMatchObject({ alg: WATERMARK_ALGS.image, ids: ['0011223344556677'], timespans: [undefined] });
    const audio = readSoftBinding(buildSoftBinding('audio', '0011223344556677', 12_345.6));
    expect(audio.timespans).toEqual([{ start: 0, end: 12_346 }]);
  });

  it('refuses bad ids and malformed assertions', () => {
    expect(() => buildSoftBinding('image', 'nothex')).toThrow(InvalidArgumentError);
    for (const bad of [
      null,
      'x',
      { alg: 1, blocks: [] },
      { alg: 'a', blocks: 'b' },
      { alg: 'a', blocks: [{ scope: {}, value: new Uint8Array(8) }] },
    ]) {
      expect(() => readSoftBinding(bad)).toThrow(MalformedInputError);
    }
  });

  it('is a known assertion in the registry', () => {
    const data = buildSoftBinding('image', 'ffffffffffffffff');
    const k = interpretAssertion({ label: 'c2pa.soft-binding', kind: 'cbor', data, box: undefined as never });
    expect(k?.type).toBe('soft-binding');
  });
});
