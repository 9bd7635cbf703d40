/**
 * Layout details of the label-only handlers: Ogg pages stay valid (CRC, sequence numbers)
 * when the label needs more pages; FLV keyframe positions still point at video tags after
 * `onMetaData` grows; the nesting limits hold at exactly the limit and fail one past it.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_AMF_DEPTH, MAX_EBML_DEPTH } from '../../src/binary/limits.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { LimitExceededError } from '../../src/errors.ts';
import { flvHandler } from '../../src/formats/flv.ts';
import { aigcValues, TAG_IDS } from '../../src/formats/mkv-tags.ts';
import { oggHandler } from '../../src/formats/ogg.ts';
import { AmfReader } from '../../src/formats/common/amf0.ts';
import { concatBytes, element } from '../../src/formats/common/ebml.ts';
import { oggCrc } from '../../src/formats/common/ogg-pages.ts';
import type { ImplicitLabels } from '../../src/labels/implicit/types.ts';
import { gen } from '../helpers.ts';
import { LABELS_1 } from './conformance.ts';
import { ffmpegErrors, Scratch } from './riff-kit.ts';

const LONG: ImplicitLabels = { ...LABELS_1, gb45438: { ...LABELS_1.gb45438!, ReservedCode1: 'x'.repeat(140_000) } };

/** Every page of an Ogg file: serial, sequence, CRC valid. */
function pages(b: Uint8Array): { serial: number; seq: number; crcOk: boolean }[] {
  const out: { serial: number; seq: number; crcOk: boolean }[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  let at = 0;
  while (at < b.length) {
    const n = b[at + 26]!;
    let body = 0;
    for (let i = 0; i < n; i++) body += b[at + 27 + i]!;
    const end = at + 27 + n + body;
    const page = new Uint8Array(b.subarray(at, end));
    const stored = dv.getUint32(at + 22, true);
    page.fill(0, 22, 26);
    out.push({ serial: dv.getUint32(at + 14, true), seq: dv.getUint32(at + 18, true), crcOk: oggCrc(page) === stored });
    at = end;
  }
  return out;
}

async function embed(file: string, labels: ImplicitLabels, handler = oggHandler): Promise<Uint8Array> {
  const src = new BufferSource(new Uint8Array(await readFile(file)));
  return partsToBytes(src, (await handler.planEmbed(src, 0, labels)).parts);
}

describe('Ogg pages', () => {
  for (const f of ['seed.ogg', 'seed.opus']) {
    it(`${f}: a label that needs more header pages renumbers the stream; every CRC holds; ffmpeg decodes it`, async () => {
      const short = pages(await embed(gen('label-only', f), LABELS_1));
      const out = await embed(gen('label-only', f), LONG);
      const long = pages(out);
      expect(long.length).toBeGreaterThan(short.length);
      expect(long.every((p) => p.crcOk)).toBe(true);
      expect(short.every((p) => p.crcOk)).toBe(true);
      expect(long.map((p) => p.seq)).toEqual(long.map((_, i) => i));
      const labels = await oggHandler.readLabels(new BufferSource(out));
      expect(JSON.parse(labels[0]!.raw).ReservedCode1).toBe(LONG.gb45438!.ReservedCode1);
      const s = await Scratch.create('ogg-long');
      try {
        expect(await ffmpegErrors(await s.write(`long.${f.split('.')[1]}`, out))).toBe('');
      } finally {
        await s.cleanup();
      }
    });
  }
});

describe('FLV keyframe index', () => {
  it('filepositions still point at video tags after onMetaData grows', async () => {
    const out = await embed(gen('label-only', 'seed-keyframes.flv'), LABELS_1, flvHandler);
    const text = Buffer.from(out);
    const at = text.indexOf('filepositions');
    const amf = new AmfReader(out);
    const count = amf.u32(at + 14);
    expect(count).toBeGreaterThan(0);
    let p = at + 18;
    for (let i = 0; i < count; i++) {
      const pos = new DataView(out.buffer, out.byteOffset + p + 1, 8).getFloat64(0);
      expect(out[pos]! & 0x1f, `keyframe ${i} at ${pos}`).toBe(9);
      p += 9;
    }
  });
});

describe('nesting limits', () => {
  /** An AMF0 object nested `depth` deep. */
  function amfNested(depth: number): Uint8Array {
    let inner: Uint8Array = new Uint8Array([0x05]);
    for (let i = 0; i < depth; i++) inner = concatBytes([new Uint8Array([0x03, 0, 1, 0x61]), inner, new Uint8Array([0, 0, 9])]);
    return inner;
  }
  it(`AMF0: ${MAX_AMF_DEPTH} levels parse, one more is LimitExceededError`, () => {
    expect(new AmfReader(amfNested(MAX_AMF_DEPTH)).skip(0)).toBe(amfNested(MAX_AMF_DEPTH).length);
    expect(() => new AmfReader(amfNested(MAX_AMF_DEPTH + 1)).skip(0)).toThrow(LimitExceededError);
  });

  /** A Tags body whose Tag holds SimpleTags nested `depth` deep. */
  function tagsNested(depth: number): Uint8Array {
    let inner: Uint8Array = element(TAG_IDS.TagName, new TextEncoder().encode('X'));
    for (let i = 0; i < depth; i++) inner = element(TAG_IDS.SimpleTag, inner);
    return element(TAG_IDS.Tag, inner);
  }
  it(`Matroska SimpleTag: ${MAX_EBML_DEPTH} levels parse, one more is LimitExceededError`, () => {
    expect(aigcValues(tagsNested(MAX_EBML_DEPTH), 0)).toEqual([]);
    expect(() => aigcValues(tagsNested(MAX_EBML_DEPTH + 1), 0)).toThrow(LimitExceededError);
  });
});
