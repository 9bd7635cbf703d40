/**
 * HEIF/HEIC/AVIF with the reference SDK (@contentauth/c2pa-node 0.8.0) and exiftool:
 * SDK-signed files verify Trusted for us with the SDK's codes; files we stamp verify
 * Trusted for the SDK with the same codes; exiftool reads our label; `iloc` offsets are
 * patched so every item's bytes are unchanged; hostile files give typed errors fast.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exiftool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { LimitExceededError, MalformedInputError, type ToolkitError } from '../../src/errors.ts';
import { heifTop } from '../../src/formats/bmff/heif-layout.ts';
import { readHeifMeta, readItemData } from '../../src/formats/bmff/heif-meta.ts';
import { HEIF_XMP_ITEM, heifHandler } from '../../src/formats/heif.ts';
import { detectHandler } from '../../src/formats/registry.ts';
import { makeGb45438Label, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { embedAndWrite } from '../../src/service/embed.ts';
import { verify } from '../../src/service/verify.ts';
import { CREATED_ACTIONS, type ManifestStore, sdkRead, sdkSign } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';
import { type SdkPki, sdkPki, tempDir } from './bmff-helpers.ts';

const CODE = '001191000000EXAMPLE01P10000';
const external = (name: string): string => path.join(import.meta.dirname, '../../fixtures/external/c2pa-rs/unsigned', name);
const SEEDS: [string, string, string][] = [
  ['sample1.heic', external('sample1.heic'), 'image/heic'],
  ['sample1.heif', external('sample1.heif'), 'image/heif'],
  ['sample1.avif', external('sample1.avif'), 'image/avif'],
  ['seed.avif', gen('heif', 'seed.avif'), 'image/avif'],
  ['with-xmp.avif', gen('heif', 'with-xmp.avif'), 'image/avif'],
];

let pki: SdkPki;
let dir: string;
beforeAll(async () => {
  pki = await sdkPki();
  dir = await tempDir('heif');
});
afterAll(async () => {
  await exiftool.end();
  await rm(dir, { recursive: true, force: true });
});

type Results = { success: readonly { code: string }[]; informational: readonly { code: string }[]; failure: readonly { code: string }[] };
function codes(r: Results | undefined): Record<string, string[]> {
  const pick = (l: readonly { code: string }[] | undefined) => [...new Set((l ?? []).map((s) => s.code))].sort();
  return { success: pick(r?.success), informational: pick(r?.informational), failure: pick(r?.failure) };
}

/** Every item's bytes, by ID (what `iloc` must keep pointing at). */
async function itemBytes(file: string): Promise<Map<number, string>> {
  const src = await FileSource.open(file);
  try {
    return await itemsOf(src);
  } finally {
    await src.close();
  }
}

async function itemsOf(src: ByteSource): Promise<Map<number, string>> {
  const meta = await readHeifMeta(src, (await heifTop(src)).meta);
  const out = new Map<number, string>();
  for (const it of meta.iloc.items) {
    if (meta.items.find((i) => i.id === it.id)?.contentType === 'application/rdf+xml') continue;
    out.set(it.id, Buffer.from(await readItemData(src, meta, it.id)).toString('base64'));
  }
  return out;
}

async function tags(file: string): Promise<Record<string, unknown>> {
  return (await exiftool.readRaw(file, ['-G1', '-XMP-TC260:all', '-XMP-iptcExt:DigitalSourceType', '-XMP-dc:Format'])) as Record<
    string,
    unknown
  >;
}

describe('detection', () => {
  it('takes HEIC, HEIF and AVIF by brand, with their MIME types; MP4 stays MP4', async () => {
    for (const [name, file, mime] of SEEDS) {
      const head = new Uint8Array(await readFile(file)).subarray(0, 64);
      expect(detectHandler(head).id, name).toBe('heif');
      expect(heifHandler.variantOf!(head).mime, name).toBe(name === 'sample1.heif' ? 'image/heic' : mime);
    }
    expect(detectHandler(new Uint8Array(await readFile(gen('video', 'seed.mp4'))).subarray(0, 64)).id).toBe('mp4');
  });
});

describe.each(SEEDS)('SDK → ours: %s signed by the SDK', (name, file, format) => {
  it('is Trusted for both, with equal codes; our bmff hash matches', async () => {
    const signed = path.join(dir, `sdk-${name}`);
    await sdkSign(file, signed, { chainPem: pki.chainPem, keyPem: pki.keyPem, alg: 'es256', format });
    const sdk = await sdkRead(signed, { anchorsPem: pki.rootPem });
    expect(sdk?.validation_state).toBe('Trusted');
    const ours = await verify(signed, { trust: { anchorsPem: pki.rootPem } });
    expect(ours.c2pa_validation_state).toBe('Trusted');
    expect(codes(ours.validation_results?.activeManifest)).toEqual(codes(sdk?.validation_results?.activeManifest));
    expect(codes(ours.validation_results?.activeManifest).success).toContain('assertion.bmffHash.match');
    // the SDK patched iloc as we do: every item's bytes are where iloc says
    expect(await itemBytes(signed)).toEqual(await itemBytes(file));
  });
});

describe.each(SEEDS)('ours → SDK: %s stamped by us', (name, file) => {
  const label = makeGb45438Label({ Label: '1', ContentProducer: CODE, ProduceID: `heif-${name}` });
  let out: string;
  let sdk: ManifestStore | null;
  beforeAll(async () => {
    const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    out = path.join(dir, `ours-${name}`);
    const once = path.join(dir, `once-${name}`);
    for (const [input, output] of [
      [file, once],
      [once, out],
    ] as const) {
      const src = await FileSource.open(input);
      try {
        await embedAndWrite(
          {
            src,
            handler: heifHandler,
            signer,
            assertions: [CREATED_ACTIONS] as never,
            labels: { gb45438: label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA },
          },
          output,
        );
      } finally {
        await src.close();
      }
    }
    sdk = await sdkRead(out, { anchorsPem: pki.rootPem });
  });

  it('is Trusted for the SDK and for us, with equal codes', async () => {
    expect(sdk?.validation_state).toBe('Trusted');
    const ours = await verify(out, { trust: { anchorsPem: pki.rootPem } });
    expect(ours.validation_state).toBe('Trusted');
    expect(codes(ours.validation_results?.activeManifest)).toEqual(codes(sdk?.validation_results?.activeManifest));
    expect(ours.labels?.gb45438?.found_in).toEqual([HEIF_XMP_ITEM]);
  });

  it('exiftool reads the label and the source type; items are intact; one label, one store', async () => {
    const t = await tags(out);
    expect(t['XMP-TC260:Aigc']).toBe(serializeGb45438(label));
    expect(t['XMP-iptcExt:DigitalSourceType']).toBe(TRAINED_ALGORITHMIC_MEDIA);
    if (name === 'with-xmp.avif') expect(t['XMP-dc:Format']).toBe('image/avif'); // the existing packet was merged
    expect(await itemBytes(out)).toEqual(await itemBytes(file));
    const found = await heifHandler.readLabels(new BufferSource(new Uint8Array(await readFile(out))));
    expect(found.filter((f) => f.kind === 'gb45438').map((f) => f.foundIn)).toEqual([HEIF_XMP_ITEM]);
    const bytes = await readFile(out);
    expect(bytes.toString('latin1').split('W5M0MpCehiHzreSzNTczkc9d').length - 1).toBe(1); // no stale packet left in mdat
    if (name.endsWith('.avif')) expect((await sharp(bytes, { failOn: 'warning' }).metadata()).width).toBeGreaterThan(0);
  });

  it('a flipped media byte gives assertion.bmffHash.mismatch for both', async () => {
    const bytes = new Uint8Array(await readFile(out));
    const mdat = Buffer.from(bytes).lastIndexOf('mdat');
    bytes[mdat + 40] ^= 0x01;
    const bad = path.join(dir, `flipped-${name}`);
    await writeFile(bad, bytes);
    const s = await sdkRead(bad, { anchorsPem: pki.rootPem });
    const o = await verify(bad, { trust: { anchorsPem: pki.rootPem } });
    expect(codes(s?.validation_results?.activeManifest).failure).toContain('assertion.bmffHash.mismatch');
    expect(codes(o.validation_results?.activeManifest).failure).toEqual(codes(s?.validation_results?.activeManifest).failure);
    expect(o.validation_state).toBe('Invalid');
  });
});

describe('the SDK signs what we labelled', () => {
  it('keeps our XMP item: exiftool reads it, both say Trusted', async () => {
    const label = makeGb45438Label({ Label: '1', ContentProducer: CODE, ProduceID: 'sdk-after-us' });
    const src = await FileSource.open(external('sample1.heic'));
    const labelled = path.join(dir, 'labelled.heic');
    try {
      const plan = await heifHandler.planEmbed(src, 0, { gb45438: label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
      await writeFile(labelled, await partsToBytes(src, plan.fill(new Uint8Array(0))));
    } finally {
      await src.close();
    }
    const signed = path.join(dir, 'labelled-signed.heic');
    await sdkSign(labelled, signed, { chainPem: pki.chainPem, keyPem: pki.keyPem, alg: 'es256', format: 'image/heic' });
    expect((await sdkRead(signed, { anchorsPem: pki.rootPem }))?.validation_state).toBe('Trusted');
    expect((await tags(signed))['XMP-TC260:Aigc']).toBe(serializeGb45438(label));
    const ours = await verify(signed, { trust: { anchorsPem: pki.rootPem } });
    expect(ours.c2pa_validation_state).toBe('Trusted');
    expect(ours.labels?.gb45438?.found_in).toEqual([HEIF_XMP_ITEM]);
  });
});

describe('hostile HEIF', () => {
  const CASES: [string, new (...a: never[]) => ToolkitError][] = [
    ['deep-meta.avif', LimitExceededError],
    ['iloc-past-end.avif', MalformedInputError],
    ['iloc-count.avif', MalformedInputError],
    ['truncated.avif', MalformedInputError],
  ];
  it.each(CASES)('%s: a typed error from planning and from reading labels; verify reports it', async (name, type) => {
    const bytes = new Uint8Array(await readFile(gen('heif', name)));
    await expect(
      heifHandler.planEmbed(new BufferSource(bytes), 100, { gb45438: makeGb45438Label({ Label: '1', ContentProducer: CODE }) }),
    ).rejects.toBeInstanceOf(type);
    if (name !== 'iloc-past-end.avif') await expect(heifHandler.readLabels(new BufferSource(bytes))).rejects.toBeInstanceOf(type);
    const report = await verify(bytes);
    expect(report.validation_state === null || report.validation_state === 'Invalid' || report.error !== undefined).toBe(true);
  });
});

describe('MAX_HEIF_META_BYTES', () => {
  /** ftyp + a `meta` of exactly `size` bytes (hdlr, empty iloc/iinf, free padding) + mdat. */
  function withMeta(size: number): Uint8Array {
    const box = (type: string, ...payload: Uint8Array[]): Buffer => {
      const body = Buffer.concat(payload);
      const h = Buffer.alloc(8);
      h.writeUInt32BE(8 + body.length);
      h.write(type, 4, 'latin1');
      return Buffer.concat([h, body]);
    };
    const ftyp = box('ftyp', Buffer.from('avif\0\0\0\0mif1avif', 'latin1'));
    const kids = Buffer.concat([
      box('hdlr', Buffer.alloc(8), Buffer.from('pict', 'latin1'), Buffer.alloc(13)),
      box('iloc', Buffer.from([0, 0, 0, 0, 0x44, 0x40, 0, 0])),
      box('iinf', Buffer.from([0, 0, 0, 0, 0, 0])),
    ]);
    const pad = size - 12 - kids.length;
    const meta = box('meta', Buffer.alloc(4), kids, box('free', Buffer.alloc(pad - 8)));
    return new Uint8Array(Buffer.concat([ftyp, meta, box('mdat', Buffer.alloc(16))]));
  }
  it('a meta of exactly the limit is planned; one byte more is a LimitExceededError', async () => {
    const { MAX_HEIF_META_BYTES } = await import('../../src/binary/limits.ts');
    const ok = await heifHandler.planEmbed(new BufferSource(withMeta(MAX_HEIF_META_BYTES)), 100);
    expect(ok.parts.length).toBeGreaterThan(2);
    await expect(heifHandler.planEmbed(new BufferSource(withMeta(MAX_HEIF_META_BYTES + 1)), 100)).rejects.toBeInstanceOf(
      LimitExceededError,
    );
  });
});

describe('stamp and propagate (services) on HEIC', () => {
  it('a platform propagates a stamped HEIC: the chain and the SDK say Trusted, the label names both', async () => {
    const { stamp } = await import('../../src/service/stamp.ts');
    const { propagate } = await import('../../src/service/propagate.ts');
    const { CODES, signerFor, trust } = await import('../chain/helpers.ts');
    const [producer, platform] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
    const out = path.join(dir, 'svc.heic');
    await stamp(external('sample1.heif'), { signer: producer, producer: CODES.producer, explicitLabel: false, output: out });
    const published = path.join(dir, 'svc-published.heic');
    await propagate(out, { signer: platform, propagator: CODES.platformA, trust: trust(), output: published });
    const r = await verify(published, { trust: trust() });
    expect(r.validation_state).toBe('Trusted');
    expect(r.chain?.length).toBe(2);
    expect(r.labels?.gb45438?.fields.ContentPropagator).toBe(CODES.platformA);
    expect((await sdkRead(published, { anchorsPem: trust().anchorsPem }))?.validation_state).toBe('Trusted');
    expect(JSON.parse(String((await tags(published))['XMP-TC260:Aigc'])).ContentPropagator).toBe(CODES.platformA);
  });
});
