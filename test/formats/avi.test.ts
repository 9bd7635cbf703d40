/**
 * AVI beyond the shared contract suite (avi-conformance.test.ts): where the label goes without
 * moving `movi`, the reference SDK's layout reproduced byte for byte, ours → SDK and SDK → ours
 * with equal codes, ffprobe showing the `AIGC` tag and ffmpeg decoding to the end, hostile files.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { loadSigner, type LocalSigner } from '../../src/crypto/local-signer.ts';
import { MalformedInputError } from '../../src/errors.ts';
import { AVI_CARRIER, aviHandler } from '../../src/formats/avi.ts';
import { buildRiff, readRiff, type RiffFile, type RiffItem } from '../../src/formats/common/riff.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { stamp as stampFile } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';
import {
  dataHashExclusions,
  es256,
  fakeStore,
  ffmpegErrors,
  ffprobeTags,
  sameBytes,
  sampleLabel,
  Scratch,
  sdkSignFile,
  stamp,
} from './riff-kit.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
const SEEDS = ['seed.avi', 'seed-tags.avi', 'seed-nojunk.avi'];
const labels = { gb45438: sampleLabel('avi-0001') };
const json = serializeGb45438(labels.gb45438);
const codes = (list: readonly { code: string }[] | undefined) => (list ?? []).map((e) => e.code).sort();
const seed = async (name: string) => new Uint8Array(await readFile(gen('gif-avi', name)));
const walk = async (bytes: Uint8Array): Promise<RiffFile> => readRiff(new BufferSource(bytes), 'avi', 'AVI ', { opaqueLists: ['movi'] });
const ids = (f: RiffFile) => f.chunks.map((c) => (c.id === 'LIST' ? `LIST/${c.listType}` : c.id));
const moviAt = (f: RiffFile) => f.chunks.find((c) => c.listType === 'movi')!.offset;

let scratch: Scratch;
let signer: LocalSigner;
let rootPem: string;
beforeAll(async () => {
  scratch = await Scratch.create('avi');
  signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  rootPem = (await es256()).rootPem;
});
afterAll(async () => scratch.cleanup());

describe('AVI layout', () => {
  it('puts the label into LIST/INFO in the JUNK before movi, so movi and the index do not move; C2PA goes last', async () => {
    for (const name of ['seed.avi', 'seed-tags.avi']) {
      const src = await seed(name);
      const out = await stamp(aviHandler, new BufferSource(src), fakeStore(1001), labels);
      const [before, after] = [await walk(src), await walk(out.bytes)];
      expect(moviAt(after), name).toBe(moviAt(before));
      expect(sameBytes(out.bytes.subarray(moviAt(after), before.end), src.subarray(moviAt(before), before.end))).toBe(true);
      expect(ids(after), name).toEqual(['LIST/hdrl', 'LIST/INFO', 'JUNK', 'LIST/movi', 'idx1', 'C2PA']);
      const info = after.chunks.find((c) => c.listType === 'INFO')!;
      expect(info.children!.map((k) => k.id)).toEqual(name === 'seed.avi' ? ['AIGC'] : ['INAM', 'AIGC']);
      const c2pa = after.chunks.at(-1)!;
      expect(out.exclusions).toEqual([{ offset: c2pa.offset, length: 8 + 1001 }]);
      expect(await aviHandler.readLabels(new BufferSource(out.bytes))).toEqual([{ kind: 'gb45438', foundIn: AVI_CARRIER, raw: json }]);
    }
  });

  it('without room before movi, the label goes into a LIST/INFO after the index, still before C2PA', async () => {
    const src = await seed('seed-nojunk.avi');
    const out = await stamp(aviHandler, new BufferSource(src), fakeStore(99), labels);
    const after = await walk(out.bytes);
    expect(ids(after)).toEqual(['LIST/hdrl', 'LIST/movi', 'idx1', 'LIST/INFO', 'C2PA']);
    expect(moviAt(after)).toBe(moviAt(await walk(src)));
    // a longer label on the stamped file: the old one goes, the new one lands after the index again
    const again = await stamp(aviHandler, new BufferSource(out.bytes), fakeStore(99), {
      gb45438: sampleLabel('a-much-longer-produce-id-'.repeat(8)),
    });
    expect(ids(await walk(again.bytes))).toEqual(['LIST/hdrl', 'LIST/movi', 'idx1', 'LIST/INFO', 'C2PA']);
    expect((await aviHandler.readLabels(new BufferSource(again.bytes))).length).toBe(1);
  });

  it('a label too long for the JUNK moves out, and the old one before movi becomes JUNK of the same size', async () => {
    const src = await seed('seed-tags.avi');
    const first = await stamp(aviHandler, new BufferSource(src), undefined, labels);
    const big = { gb45438: sampleLabel(`long-${'x'.repeat(2000)}`) };
    const out = await stamp(aviHandler, new BufferSource(first.bytes), undefined, big);
    const after = await walk(out.bytes);
    expect(moviAt(after)).toBe(moviAt(await walk(src)));
    expect(ids(after)).toEqual(['LIST/hdrl', 'LIST/INFO', 'JUNK', 'LIST/movi', 'idx1', 'LIST/INFO']);
    expect(after.chunks[1]!.children!.map((k) => k.id)).toEqual(['INAM']);
    expect(await aviHandler.readLabels(new BufferSource(out.bytes))).toEqual([
      { kind: 'gb45438', foundIn: AVI_CARRIER, raw: serializeGb45438(big.gb45438) },
    ]);
    const file = await scratch.write('big-label.avi', out.bytes);
    expect((await ffprobeTags(file)).AIGC).toBe(serializeGb45438(big.gb45438));
    expect(await ffmpegErrors(file)).toBe('');
  });

  it('an old label inside hdrl gives way to JUNK of its size; the new one is the only label', async () => {
    const src = await seed('seed.avi');
    const f = await walk(src);
    const [hdrl, junk] = f.chunks;
    const old = new TextEncoder().encode('{"Label":"1","ContentProducer":"old"}\0');
    const info = 12 + 8 + old.length + (old.length % 2);
    const items: RiffItem[] = [
      {
        listType: 'hdrl',
        children: [...hdrl!.children!.map((chunk) => ({ chunk })), { listType: 'INFO', children: [{ id: 'AIGC', data: old }] }],
      },
      { id: 'JUNK', data: new Uint8Array(junk!.size - info) },
      ...f.chunks.slice(2).map((chunk) => ({ chunk })),
    ];
    const nested = await partsToBytes(new BufferSource(src), buildRiff(f, items).parts);
    expect(moviAt(await walk(nested))).toBe(moviAt(f));
    expect((await aviHandler.readLabels(new BufferSource(nested))).map((l) => l.raw)).toEqual(['{"Label":"1","ContentProducer":"old"}']);
    const out = await stamp(aviHandler, new BufferSource(nested), fakeStore(10), labels);
    const after = await walk(out.bytes);
    expect(moviAt(after)).toBe(moviAt(f));
    expect(after.chunks[0]!.children!.map((k) => k.id).slice(-1)).toEqual(['JUNK']);
    expect(await aviHandler.readLabels(new BufferSource(out.bytes))).toEqual([{ kind: 'gb45438', foundIn: AVI_CARRIER, raw: json }]);
    const file = await scratch.write('nested.avi', out.bytes);
    expect((await ffprobeTags(file)).AIGC).toBe(json);
    expect(await ffmpegErrors(file)).toBe('');
  });
});

describe('AVI and the outside world', () => {
  it.each(SEEDS)('%s: ffprobe shows the AIGC tag (and keeps the title), ffmpeg decodes the output to the end', async (name) => {
    const out = await stamp(aviHandler, new BufferSource(await seed(name)), fakeStore(3001), labels);
    const file = await scratch.write(`probe-${name}`, out.bytes);
    const tags = await ffprobeTags(file);
    expect(tags.AIGC).toBe(json);
    if (name === 'seed-tags.avi') expect(tags.title).toBe('Seed');
    expect(await ffmpegErrors(file)).toBe('');
  });

  it.each(SEEDS)("%s: the SDK's signed file is what our plan makes from its store; SDK → ours Trusted with equal codes", async (name) => {
    for (const withLabels of [false, true]) {
      const base = withLabels ? (await stamp(aviHandler, new BufferSource(await seed(name)), undefined, labels)).bytes : await seed(name);
      const signed = scratch.file(`sdk-${withLabels}-${name}`);
      await sdkSignFile(await scratch.write(`in-${withLabels}-${name}`, base), signed, 'video/avi');
      const sdkBytes = new Uint8Array(await readFile(signed));
      const store = (await aviHandler.readManifest(new BufferSource(sdkBytes)))!;
      const ours = await stamp(aviHandler, new BufferSource(base), store);
      expect(sameBytes(ours.bytes, sdkBytes), `${name} labels=${withLabels}`).toBe(true);
      expect(dataHashExclusions(store)).toEqual(ours.exclusions.map((e) => ({ start: e.offset, length: e.length })));
      const sdk = await sdkRead(signed, { anchorsPem: rootPem });
      const mine = await verify(signed, { trust: { anchorsPem: rootPem } });
      expect(sdk?.validation_state).toBe('Trusted');
      expect(mine.c2pa_validation_state).toBe('Trusted');
      expect(codes(mine.validation_results?.activeManifest.success)).toEqual(codes(sdk?.validation_results?.activeManifest?.success));
    }
  });

  it('our stamp (a file made with ffmpeg) is Trusted in the SDK and in ours with equal codes; tampering caught by both', async () => {
    const out = scratch.file('ours.avi');
    await stampFile(gen('gif-avi', 'seed-tags.avi'), { signer, producer: PRODUCER, explicitLabel: false, output: out });
    const sdk = await sdkRead(out, { anchorsPem: rootPem });
    const mine = await verify(out, { trust: { anchorsPem: rootPem } });
    expect(sdk?.validation_state).toBe('Trusted');
    expect(mine.validation_state).toBe('Trusted');
    expect(codes(mine.validation_results?.activeManifest.success)).toEqual(codes(sdk?.validation_results?.activeManifest?.success));
    expect(codes(sdk?.validation_results?.activeManifest?.success)).toContain('assertion.dataHash.match');
    expect(mine.labels.gb45438?.fields.ContentProducer).toBe(PRODUCER);
    expect(mine.format.mime).toBe('video/x-msvideo');
    expect((await ffprobeTags(out)).AIGC).toBe(serializeGb45438(mine.labels.gb45438!.fields));
    expect(await ffmpegErrors(out)).toBe('');
    const bytes = await readFile(out);
    bytes[Math.floor((await walk(bytes)).chunks.find((c) => c.listType === 'movi')!.end * 0.7)] ^= 0x55;
    const bad = await scratch.write('bad.avi', bytes);
    expect(codes((await sdkRead(bad, { anchorsPem: rootPem }))?.validation_results?.activeManifest?.failure)).toContain(
      'assertion.dataHash.mismatch',
    );
    expect(codes((await verify(bad, { trust: { anchorsPem: rootPem } })).validation_results?.activeManifest.failure)).toContain(
      'assertion.dataHash.mismatch',
    );
  });
});

describe('the explicit label on AVI', () => {
  it('stamp draws the video overlay (MJPEG counts as video in AVI), keeps the AVI container, Trusted in both tools', async () => {
    const out = scratch.file('explicit.avi');
    const r = await stampFile(gen('gif-avi', 'seed-tags.avi'), { signer, producer: PRODUCER, output: out });
    expect(r.explicit?.kind).toBe('video-overlay');
    const mine = await verify(out, { trust: { anchorsPem: rootPem } });
    expect(mine.validation_state).toBe('Trusted');
    expect(mine.format.mime).toBe('video/x-msvideo');
    expect((await sdkRead(out, { anchorsPem: rootPem }))?.validation_state).toBe('Trusted');
    expect(JSON.parse((await ffprobeTags(out)).AIGC!).ContentProducer).toBe(PRODUCER);
    expect(await ffmpegErrors(out)).toBe('');
  });
});

describe('hostile AVI', () => {
  // how fast: `npm run bench` (hostile-inputs); no timing asserts here
  it('a chunk with a huge size and a truncated file are typed errors', async () => {
    for (const name of ['huge-chunk.avi', 'truncated.avi']) {
      const bytes = await seed(name);
      await expect(aviHandler.readManifest(new BufferSource(bytes)), name).rejects.toBeInstanceOf(MalformedInputError);
      await expect(aviHandler.planEmbed(new BufferSource(bytes), 100, labels), name).rejects.toBeInstanceOf(MalformedInputError);
      expect((await verify(gen('gif-avi', name))).error?.code, name).toBeDefined();
    }
  });
});
