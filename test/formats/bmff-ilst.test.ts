import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MalformedInputError } from '../../src/errors.ts';
import { readBoxHeader } from '../../src/formats/bmff/bmff-boxes.ts';
import { parseKeys, readItemText, readMetaInfo } from '../../src/formats/bmff/bmff-ilst.ts';
import { makeFreeformItem, makeMdtaMeta } from '../../src/formats/bmff/bmff-meta-write.ts';
import { concatBytes, makeBox, u32be } from '../../src/formats/bmff/bmff-writer.ts';

describe('keys / ilst parsing', () => {
  it('reads what makeMdtaMeta writes', async () => {
    const meta = makeMdtaMeta('AIGC', '{"Label":"1"}');
    const src = new BufferSource(meta);
    const info = await readMetaInfo(src, await readBoxHeader(src, 0, meta.length), 3);
    expect(info.handler).toBe('mdta');
    expect(info.keys).toEqual([{ namespace: 'mdta', name: 'AIGC' }]);
    expect(info.items.map((i) => i.index)).toEqual([1]);
    expect(await readItemText(src, info.items[0]!)).toBe('{"Label":"1"}');
  });

  it('reads a freeform ---- item inside a keyless list', async () => {
    const meta = makeBox('meta', new Uint8Array(4), makeBox('ilst', makeFreeformItem('AIGC', 'x')));
    const src = new BufferSource(meta);
    const info = await readMetaInfo(src, await readBoxHeader(src, 0, meta.length), 3);
    expect(info.items[0]).toMatchObject({ mean: 'com.apple.iTunes', name: 'AIGC' });
    expect(await readItemText(src, info.items[0]!)).toBe('x');
  });

  // regression (found by the property test): an entry count that fits the 8-bytes-per-entry
  // estimate but whose last entry header is cut off read past the DataView (RangeError).
  it('keys entry truncated after a valid first entry is a MalformedInputError, not a RangeError', () => {
    const long = concatBytes([u32be(14), new TextEncoder().encode('mdtaAIGCxy')]);
    const payload = concatBytes([new Uint8Array(4), u32be(2), long, new Uint8Array(2)]); // 2 entries "fit" 16 bytes
    expect(() => parseKeys(payload, 0)).toThrow(MalformedInputError);
    expect(() => parseKeys(payload, 0)).toThrow(/entry 2 is truncated/);
    const entry = concatBytes([u32be(8), new TextEncoder().encode('mdta')]);
    const tooMany = concatBytes([new Uint8Array(4), u32be(3), entry, entry]);
    expect(() => parseKeys(tooMany, 0)).toThrow(/declares 3 entries/);
    const badSize = concatBytes([new Uint8Array(4), u32be(1), u32be(4), new TextEncoder().encode('mdta')]);
    expect(() => parseKeys(badSize, 0)).toThrow(/has size 4/);
  });
});
