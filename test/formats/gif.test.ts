/**
 * GIF beyond the shared contract suite (gif-conformance.test.ts): the carrier bytes, the
 * reference SDK's layout reproduced byte for byte, ours → SDK and SDK → ours with equal codes,
 * exiftool reading the label, and hostile files.
 */
import { readFile } from 'node:fs/promises';
import { exiftool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_GIF_METADATA_BLOCKS } from '../../src/binary/limits.ts';
import { loadSigner, type LocalSigner } from '../../src/crypto/local-signer.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { appExtension, C2PA_APP_ID, readGif, XMP_APP_ID, xmpMagicTrailer } from '../../src/formats/gif-blocks.ts';
import { GIF_XMP_CARRIER, gifHandler } from '../../src/formats/gif.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { writeXmpLabels } from '../../src/labels/implicit/xmp.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { stamp as stampFile } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { gen, repo } from '../helpers.ts';
import { dataHashExclusions, es256, fakeStore, sameBytes, sampleLabel, Scratch, sdkSignFile, stamp } from './riff-kit.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
const labels = { gb45438: sampleLabel('gif-0001'), digitalSourceType: TRAINED_ALGORITHMIC_MEDIA };
const SEEDS: Record<string, string> = {
  still: gen('gif-avi', 'seed-still.gif'),
  animated: gen('gif-avi', 'seed-anim.gif'),
  '87a': gen('gif-avi', 'seed-87a.gif'),
  res: gen('gif-avi', 'seed-res.gif'),
  sample1: repo('fixtures/external/c2pa-rs/unsigned/sample1.gif'),
};
const codes = (list: readonly { code: string }[] | undefined) => (list ?? []).map((e) => e.code).sort();
const seed = async (k: string) => new Uint8Array(await readFile(SEEDS[k]!));

let scratch: Scratch;
let signer: LocalSigner;
let rootPem: string;
beforeAll(async () => {
  scratch = await Scratch.create('gif');
  signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  rootPem = (await es256()).rootPem;
});
afterAll(async () => {
  await scratch.cleanup();
  await exiftool.end();
});

describe('GIF layout', () => {
  it('puts C2PA_GIF (01 00 00, 255-byte sub-blocks) right after the global colour table, then XMP Data with its magic trailer', async () => {
    const src = await seed('still');
    const out = await stamp(gifHandler, new BufferSource(src), fakeStore(600), labels);
    const before = await readGif(new BufferSource(src));
    const after = await readGif(new BufferSource(out.bytes));
    const [c2pa, xmp] = after.blocks;
    expect(c2pa).toMatchObject({ kind: 'app', appId: C2PA_APP_ID, offset: before.preambleEnd });
    expect(sameBytes(out.bytes.subarray(c2pa!.offset, c2pa!.end), appExtension(C2PA_APP_ID, fakeStore(600)))).toBe(true);
    // 14-byte header, 255 + 255 + 90 with their length bytes, terminator
    expect(c2pa!.end - c2pa!.offset).toBe(14 + 600 + 3 + 1);
    expect(out.exclusions).toEqual([{ offset: c2pa!.offset, length: c2pa!.end - c2pa!.offset }]);
    expect(xmp).toMatchObject({ kind: 'app', appId: XMP_APP_ID, offset: c2pa!.end });
    expect(sameBytes(out.bytes.subarray(xmp!.end - 258, xmp!.end), xmpMagicTrailer())).toBe(true);
    // everything after the inserted blocks is the source, byte for byte
    expect(sameBytes(out.bytes.subarray(xmp!.end), src.subarray(before.preambleEnd))).toBe(true);
    expect(await gifHandler.readLabels(new BufferSource(out.bytes))).toContainEqual({
      kind: 'gb45438',
      foundIn: GIF_XMP_CARRIER,
      raw: serializeGb45438(labels.gb45438),
    });
  });

  it('makes an 87a file 89a only when it inserts an extension', async () => {
    const src = await seed('87a');
    expect(String.fromCharCode(...(await stamp(gifHandler, new BufferSource(src), undefined)).bytes.subarray(0, 6))).toBe('GIF87a');
    expect(String.fromCharCode(...(await stamp(gifHandler, new BufferSource(src), fakeStore(50))).bytes.subarray(0, 6))).toBe('GIF89a');
  });

  it('reads the XMP packet c2pa-rs writes (packet and trailer split into sub-blocks) as well as the raw form', async () => {
    const xmp = new TextEncoder().encode(writeXmpLabels(undefined, labels));
    const body = new Uint8Array([...xmp, ...xmpMagicTrailer().subarray(0, 257)]);
    const src = await seed('still');
    const at = (await readGif(new BufferSource(src))).preambleEnd;
    const file = Buffer.concat([src.subarray(0, at), appExtension(XMP_APP_ID, body), src.subarray(at)]);
    const found = await gifHandler.readLabels(new BufferSource(file));
    expect(found.find((f) => f.kind === 'gb45438')?.raw).toBe(serializeGb45438(labels.gb45438));
  });
});

describe('GIF and the reference SDK', () => {
  it.each(['still', 'animated', '87a', 'res', 'sample1'])(
    "%s: the SDK's signed file is what our plan makes from its store, with the same exclusion",
    async (k) => {
      for (const withLabels of [false, true]) {
        const base = withLabels ? (await stamp(gifHandler, new BufferSource(await seed(k)), undefined, labels)).bytes : await seed(k);
        const signed = scratch.file(`sdk-${k}-${withLabels}.gif`);
        await sdkSignFile(await scratch.write(`in-${k}-${withLabels}.gif`, base), signed, 'image/gif');
        const sdkBytes = new Uint8Array(await readFile(signed));
        const store = (await gifHandler.readManifest(new BufferSource(sdkBytes)))!;
        const ours = await stamp(gifHandler, new BufferSource(base), store);
        expect(sameBytes(ours.bytes, sdkBytes), `${k} labels=${withLabels}`).toBe(true);
        expect(dataHashExclusions(store)).toEqual(ours.exclusions.map((e) => ({ start: e.offset, length: e.length })));
        // SDK → ours: Trusted, with the SDK's own codes
        const sdk = await sdkRead(signed, { anchorsPem: rootPem });
        const mine = await verify(signed, { trust: { anchorsPem: rootPem } });
        expect(mine.c2pa_validation_state).toBe('Trusted');
        expect(sdk?.validation_state).toBe('Trusted');
        expect(codes(mine.validation_results?.activeManifest.success)).toEqual(codes(sdk?.validation_results?.activeManifest?.success));
        expect(codes(mine.validation_results?.activeManifest.failure)).toEqual([]);
      }
    },
  );

  it.each(['still', 'sample1'])('%s: our stamp is Trusted in the SDK and in ours with equal codes; exiftool reads the label', async (k) => {
    const out = scratch.file(`ours-${k}.gif`);
    await stampFile(SEEDS[k]!, { signer, producer: PRODUCER, explicitLabel: false, output: out });
    const sdk = await sdkRead(out, { anchorsPem: rootPem });
    const mine = await verify(out, { trust: { anchorsPem: rootPem } });
    expect(sdk?.validation_state).toBe('Trusted');
    expect(mine.validation_state).toBe('Trusted');
    expect(codes(mine.validation_results?.activeManifest.success)).toEqual(codes(sdk?.validation_results?.activeManifest?.success));
    expect(codes(sdk?.validation_results?.activeManifest?.success)).toContain('assertion.dataHash.match');
    expect(mine.format.mime).toBe('image/gif');
    const tags = (await exiftool.readRaw(out, ['-G1', '-XMP-TC260:all', '-XMP-iptcExt:DigitalSourceType'])) as Record<string, unknown>;
    const raw = JSON.parse(String(tags['XMP-TC260:Aigc'])) as { ContentProducer: string };
    expect(raw.ContentProducer).toBe(PRODUCER);
    expect(raw).toEqual(mine.labels.gb45438?.fields);
    expect(tags['XMP-iptcExt:DigitalSourceType']).toBe(TRAINED_ALGORITHMIC_MEDIA);
    // tampering with a frame breaks the data hash in both tools
    const bytes = await readFile(out);
    bytes[Math.floor(bytes.length * 0.8)] ^= 0x55;
    const bad = await scratch.write(`bad-${k}.gif`, bytes);
    expect(codes((await sdkRead(bad, { anchorsPem: rootPem }))?.validation_results?.activeManifest?.failure)).toContain(
      'assertion.dataHash.mismatch',
    );
    expect(codes((await verify(bad, { trust: { anchorsPem: rootPem } })).validation_results?.activeManifest.failure)).toContain(
      'assertion.dataHash.mismatch',
    );
  });

  it('the explicit label is drawn on every frame of an animation; the result is Trusted in both tools', async () => {
    const out = scratch.file('explicit.gif');
    const r = await stampFile(SEEDS.sample1!, { signer, producer: PRODUCER, output: out });
    expect(r.explicit).toMatchObject({ kind: 'image-overlay', text: 'AI生成', position: 'bottom-right' });
    const before = await sharp(SEEDS.sample1!, { animated: true }).metadata();
    const after = await sharp(out, { animated: true }).metadata();
    expect([after.pages, after.pageHeight, after.width, after.loop]).toEqual([before.pages, before.pageHeight, before.width, before.loop]);
    expect(after.delay).toEqual(before.delay);
    // the label's plate changes the same corner of every frame
    const H = before.pageHeight!;
    const corner = async (file: string, page: number) =>
      await sharp(file, { page })
        .extract({ left: before.width! - 30, top: H - 14, width: 24, height: 8 })
        .greyscale()
        .raw()
        .toBuffer();
    for (const page of [0, 44, before.pages! - 1]) {
      const [a, b] = [await corner(SEEDS.sample1!, page), await corner(out, page)];
      const diff = a.reduce((n, v, i) => n + Math.abs(v - b[i]!), 0) / a.length;
      expect(diff, `frame ${page}`).toBeGreaterThan(20);
    }
    const mine = await verify(out, { trust: { anchorsPem: rootPem } });
    expect(mine.validation_state).toBe('Trusted');
    expect((await sdkRead(out, { anchorsPem: rootPem }))?.validation_state).toBe('Trusted');
    // a frame under 64 px is refused, as for other images
    await expect(stampFile(SEEDS.still!, { signer, producer: PRODUCER, output: scratch.file('small.gif') })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe('hostile GIF', () => {
  // how fast: `npm run bench` (hostile-inputs); no timing asserts here
  it('a GIF with 100 000 extensions is refused by a named limit', async () => {
    const bytes = new Uint8Array(await readFile(gen('gif-avi', 'many-extensions.gif')));
    await expect(gifHandler.readManifest(new BufferSource(bytes))).rejects.toMatchObject({ limit: 'MAX_GIF_METADATA_BLOCKS' });
    await expect(gifHandler.readLabels(new BufferSource(bytes))).rejects.toBeInstanceOf(LimitExceededError);
    const report = await verify(gen('gif-avi', 'many-extensions.gif'));
    expect(report.error?.code).toBeDefined();
  });

  it(`MAX_GIF_METADATA_BLOCKS: ${MAX_GIF_METADATA_BLOCKS} comment extensions parse, one more is refused`, async () => {
    const src = await seed('still');
    const at = (await readGif(new BufferSource(src))).preambleEnd;
    const already = (await readGif(new BufferSource(src))).blocks.filter((b) => b.kind === 'app' || b.kind === 'comment').length;
    const withComments = (n: number) =>
      new BufferSource(
        Buffer.concat([src.subarray(0, at), Buffer.alloc(n * 5).fill(Buffer.from([0x21, 0xfe, 0x01, 0x41, 0x00])), src.subarray(at)]),
      );
    expect(await gifHandler.readManifest(withComments(MAX_GIF_METADATA_BLOCKS - already))).toBeUndefined();
    await expect(gifHandler.readManifest(withComments(MAX_GIF_METADATA_BLOCKS - already + 1))).rejects.toBeInstanceOf(LimitExceededError);
  });

  it('truncation, a C2PA block after the image, a bad application block size are typed errors', async () => {
    await expect(gifHandler.readManifest(new BufferSource(await readFile(gen('gif-avi', 'truncated.gif'))))).rejects.toBeInstanceOf(
      MalformedInputError,
    );
    const src = await seed('still');
    const late = Buffer.concat([src.subarray(0, src.length - 1), appExtension(C2PA_APP_ID, fakeStore(60)), Buffer.from([0x3b])]);
    await expect(gifHandler.readManifest(new BufferSource(late))).rejects.toBeInstanceOf(MalformedInputError);
    const at = (await readGif(new BufferSource(src))).preambleEnd;
    const badSize = Buffer.from(src);
    badSize[at + 2] = 10; // the NETSCAPE block's size byte
    await expect(gifHandler.readLabels(new BufferSource(badSize))).rejects.toBeInstanceOf(MalformedInputError);
  });
});
