/** Third-party read-back: exiftool sees our XMP label and IPTC source type; sharp still decodes. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exiftool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegHandler } from '../../src/formats/jpeg.ts';
import { pngHandler } from '../../src/formats/png.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import { makeGb45438Label, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA, type ImplicitLabels } from '../../src/labels/implicit/types.ts';
import { gen } from '../helpers.ts';
import { stamp } from '../formats/jpeg-helpers.ts';

const LABELS: ImplicitLabels = {
  gb45438: makeGb45438Label({
    Label: '1',
    ContentProducer: '001191000000EXAMPLE01P10000',
    ProduceID: 'exif-"q"-0001',
    ReservedCode1: '{"SecurityData":{"Type":"TC260PG","Version":1}}',
    ContentPropagator: '001191000000EXAMPLE01P10000',
    PropagateID: 'exif-"q"-0001',
  }),
  digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'exiftool-'));
});
afterAll(async () => {
  await exiftool.end();
  await rm(dir, { recursive: true, force: true });
});

async function tags(bytes: Uint8Array, name: string): Promise<Record<string, unknown>> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return (await exiftool.readRaw(file, [
    '-G1',
    '-XMP-TC260:all',
    '-XMP-iptcExt:DigitalSourceType',
    '-ExifIFD:UserComment',
    '-PNG:all',
  ])) as Record<string, unknown>;
}

const cases: [string, FormatHandler, string][] = [
  ['seed.jpg', jpegHandler, 'out.jpg'],
  ['with-exif.jpg', jpegHandler, 'exif-out.jpg'],
  ['doubao-like.jpg', jpegHandler, 'doubao-out.jpg'],
  ['seed.png', pngHandler, 'out.png'],
  ['doubao-like.png', pngHandler, 'doubao-out.png'],
];

describe('exiftool reads our labels back exactly', () => {
  for (const [seedName, handler, outName] of cases) {
    it(`${seedName}: XMP-TC260:Aigc and XMP-iptcExt:DigitalSourceType`, async () => {
      const once = await stamp(handler, await readFile(gen('images', seedName)), 2_000);
      const out = await stamp(handler, once, 2_000, LABELS); // stamped twice: one label
      const t = await tags(out, outName);
      // exiftool names unknown XMP properties by capitalising the local name: AIGC → Aigc.
      expect(t['XMP-TC260:Aigc']).toBe(serializeGb45438(LABELS.gb45438!));
      expect(t['XMP-iptcExt:DigitalSourceType']).toBe(TRAINED_ALGORITHMIC_MEDIA);
      expect(t['PNG:AIGC']).toBeUndefined();
      expect(t['ExifIFD:UserComment'] ?? '').toBe('');
      expect(t.errors ?? []).toEqual([]);
      const { info } = await sharp(out, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
      expect(info.width).toBeGreaterThan(0);
    });
  }
});

describe('a JPEG whose XMP no longer fits one segment once labelled (Extended XMP)', () => {
  it('exiftool reads the label and the moved properties; the SDK and ours say Trusted', async () => {
    const { afterSoi, seg } = await import('../formats/jpeg-helpers.ts');
    const { JPEG_XMP_MAX_BYTES } = await import('../../src/formats/jpeg.ts');
    const { loadSigner } = await import('../../src/crypto/local-signer.ts');
    const service = await import('../../src/service/stamp.ts');
    const { verify } = await import('../../src/service/verify.ts');
    const { sdkRead } = await import('../../scripts/support/sdk.ts');
    const wrap = (inner: string): string =>
      `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${inner}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const desc = (n: number): string =>
      `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">${'edit history '
        .repeat(Math.ceil(n / 13))
        .slice(0, n)
        .trim()}</rdf:li></rdf:Alt></dc:description></rdf:Description>`;
    const xmp = wrap(desc(JPEG_XMP_MAX_BYTES - Buffer.byteLength(wrap(desc(0))) - 10));
    const input = path.join(dir, 'big-xmp.jpg');
    await writeFile(
      input,
      afterSoi(
        await readFile(gen('images', 'seed.jpg')),
        seg(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(xmp)])),
      ),
    );
    const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    const out = path.join(dir, 'big-xmp-stamped.jpg');
    const r = await service.stamp(input, { signer, producer: '001191000000EXAMPLE01P10000', explicitLabel: false, output: out });
    const t = (await exiftool.readRaw(out, ['-G1', '-XMP-TC260:all', '-XMP-dc:Description', '-XMP-xmpNote:all'])) as Record<
      string,
      unknown
    >;
    expect(t['XMP-TC260:Aigc']).toBe(serializeGb45438(r.label));
    expect(String(t['XMP-dc:Description'])).toMatch(/^edit history edit history/);
    expect(t['XMP-xmpNote:HasExtendedXMP']).toMatch(/^[0-9A-F]{32}$/);
    expect(t.errors ?? []).toEqual([]);
    const anchorsPem = await readFile(gen('pki', 'es256', 'root.pem'), 'utf8');
    expect((await verify(out, { trust: { anchorsPem } })).validation_state).toBe('Trusted');
    expect((await sdkRead(out, { anchorsPem }))?.validation_state).toBe('Trusted');
    const { info } = await sharp(out, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBeGreaterThan(0);
  });
});
