/**
 * Interop with the reference SDK (@contentauth/c2pa-node 0.8.0): our `c2pa.hash.bmff.v3`
 * hash of an SDK-signed file equals the hash in the SDK's own assertion, our reader finds
 * the SDK's store, and the SDK signs and trusts files we labelled.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { mp4Handler } from '../../src/formats/mp4.ts';
import { bmffHashOfSource, type BmffExclusion, defaultBmffExclusions } from '../../src/binding/bmff-hash.ts';
import { makeGb45438Label, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { embedAndWrite } from '../../src/service/embed.ts';
import { gen } from '../helpers.ts';
import { CREATED_ACTIONS, sdkRead, sdkSign } from '../../scripts/support/sdk.ts';
import { countOccurrences, ffmpegDecodeErrors, ffprobeTags, fx, jumbfCborBoxes, type SdkPki, sdkPki, tempDir } from './bmff-helpers.ts';

interface BmffAssertion {
  exclusions: BmffExclusion[];
  alg: string;
  hash: Uint8Array;
  name: string;
}

let pki: SdkPki;
let dir: string;
beforeAll(async () => {
  pki = await sdkPki();
  dir = await tempDir('mp4-sdk');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function signWithSdk(input: string, name: string, format: string): Promise<string> {
  const out = path.join(dir, name);
  await sdkSign(input, out, { chainPem: pki.chainPem, keyPem: pki.keyPem, alg: 'es256', format });
  return out;
}

async function bmffAssertion(file: string): Promise<BmffAssertion> {
  const src = await FileSource.open(file);
  try {
    const store = await mp4Handler.readManifest(src);
    expect(store).toBeDefined();
    const found = jumbfCborBoxes(store!).filter((b) => /c2pa\.hash\.bmff\.v[23]$/.test(b.path));
    expect(found.length).toBe(1);
    return found[0]!.value as BmffAssertion;
  } finally {
    await src.close();
  }
}

async function ourHash(file: string, exclusions: readonly BmffExclusion[]): Promise<string> {
  const src = await FileSource.open(file);
  try {
    return Buffer.from(await bmffHashOfSource(src, exclusions)).toString('hex');
  } finally {
    await src.close();
  }
}

const CASES = [
  ['seed.mp4', 'video/mp4'],
  ['seed-faststart.mp4', 'video/mp4'],
  ['seed.m4a', 'audio/mp4'],
  ['seed.mov', 'video/quicktime'],
  ['with-aigc.mp4', 'video/mp4'],
  ['largesize.mp4', 'video/mp4'],
] as const;

describe.each(CASES)('SDK-signed %s', (seed, format) => {
  let signed: string;
  beforeAll(async () => {
    signed = await signWithSdk(fx(seed), `sdk-${seed}`, format);
  });

  it('is Trusted by the SDK itself with a bmffHash match', async () => {
    const r = await sdkRead(signed, { anchorsPem: pki.rootPem });
    expect(r?.validation_state).toBe('Trusted');
    expect(r?.validation_results?.activeManifest?.success.map((s) => s.code)).toContain('assertion.bmffHash.match');
  });

  it('has exactly the exclusions of defaultBmffExclusions()', async () => {
    const a = await bmffAssertion(signed);
    const norm = (e: readonly BmffExclusion[]) =>
      e.map((x) => ({ xpath: x.xpath, data: x.data?.map((d) => ({ offset: d.offset, value: Buffer.from(d.value).toString('hex') })) }));
    expect(norm(a.exclusions)).toEqual(norm(defaultBmffExclusions()));
    expect(a.alg).toBe('sha256');
    expect(Object.keys(a)).toEqual(['exclusions', 'alg', 'hash', 'name']);
  });

  it('hashes to the value in its c2pa.hash.bmff.v3 assertion', async () => {
    const a = await bmffAssertion(signed);
    expect(await ourHash(signed, a.exclusions)).toBe(Buffer.from(a.hash).toString('hex'));
    expect(await ourHash(signed, defaultBmffExclusions())).toBe(Buffer.from(a.hash).toString('hex'));
  });

  it('a flipped media byte changes our hash and the SDK reports a bmffHash mismatch', async () => {
    const bytes = new Uint8Array(await readFile(signed));
    const mdat = Buffer.from(bytes).indexOf('mdat');
    bytes[mdat + 200] ^= 0xff;
    const tampered = path.join(dir, `tampered-${seed}`);
    await writeFile(tampered, bytes);
    const a = await bmffAssertion(signed);
    expect(await ourHash(tampered, a.exclusions)).not.toBe(Buffer.from(a.hash).toString('hex'));
    const r = await sdkRead(tampered, { anchorsPem: pki.rootPem });
    expect(r?.validation_results?.activeManifest?.failure.map((s) => s.code)).toContain('assertion.bmffHash.mismatch');
  });

  it('our embed replaces the SDK store: one C2PA box, decodes, store reads back', async () => {
    const src = await FileSource.open(signed);
    try {
      const plan = await mp4Handler.planEmbed(src, 512);
      const store = new Uint8Array(512).fill(0x5a);
      const out = await partsToBytes(src, plan.fill(store));
      expect(countOccurrences(out, Buffer.from('d8fec3d61b0e483c92975828877ec481', 'hex'))).toBe(1);
      expect(Buffer.from((await mp4Handler.readManifest(new BufferSource(out)))!).equals(Buffer.from(store))).toBe(true);
      const f = path.join(dir, `replaced-${seed}`);
      await writeFile(f, out);
      expect(await ffmpegDecodeErrors(f)).toBe('');
    } finally {
      await src.close();
    }
  });
});

describe('the SDK signs what we labelled', () => {
  it('keeps our AIGC label, reads Trusted, and our hash matches its assertion', async () => {
    const label = makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: 'sdk-after-us' });
    const src = await FileSource.open(fx('seed-faststart.mp4'));
    const labelled = path.join(dir, 'labelled.mp4');
    try {
      const plan = await mp4Handler.planEmbed(src, 0, { gb45438: label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
      await writeFile(labelled, await partsToBytes(src, plan.fill(new Uint8Array(0))));
    } finally {
      await src.close();
    }
    const signed = await signWithSdk(labelled, 'labelled-signed.mp4', 'video/mp4');
    const r = await sdkRead(signed, { anchorsPem: pki.rootPem });
    expect(r?.validation_state).toBe('Trusted');
    expect((await ffprobeTags(signed)).AIGC).toBe(serializeGb45438(label));
    const found = await mp4Handler.readLabels(await FileSource.open(signed));
    expect(found.map((f) => f.foundIn)).toEqual(['IPTC DigitalSourceType (XMP (uuid))', 'MP4 moov/udta/meta keys:AIGC']);
    expect(await ffmpegDecodeErrors(signed)).toBe('');
    const a = await bmffAssertion(signed);
    expect(await ourHash(signed, a.exclusions)).toBe(Buffer.from(a.hash).toString('hex'));
  });
});

describe('ours → the SDK (service embed with our manifest core and PKI fixture)', () => {
  const PKI = gen('pki', 'es256');
  const ready = existsSync(path.join(PKI, 'chain.pem')) && existsSync(path.join(PKI, 'key.pem'));
  const label = makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: 'ours-to-sdk' });

  it.skipIf(!ready).each(['seed.mp4', 'seed-faststart.mp4', 'seed.m4a', 'seed.mov', 'phone-keys.mov', 'largesize.mp4'])(
    '%s reads Trusted with assertion.bmffHash.match; tampering is caught',
    async (seed) => {
      const signer = await loadSigner({ chainPath: path.join(PKI, 'chain.pem'), keyPath: path.join(PKI, 'key.pem') });
      const root = await readFile(path.join(PKI, 'root.pem'), 'utf8');
      const src = await FileSource.open(fx(seed));
      const out = path.join(dir, `ours-${seed}`);
      try {
        await embedAndWrite(
          {
            src,
            handler: mp4Handler,
            signer,
            assertions: [CREATED_ACTIONS] as never,
            labels: { gb45438: label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA },
          },
          out,
        );
      } finally {
        await src.close();
      }
      const rd = await sdkRead(out, { anchorsPem: root });
      expect(rd?.validation_state).toBe('Trusted');
      expect(rd?.validation_results?.activeManifest?.failure).toEqual([]);
      expect(rd?.validation_results?.activeManifest?.success.map((s) => s.code)).toContain('assertion.bmffHash.match');
      expect(await ffmpegDecodeErrors(out)).toBe('');
      expect((await ffprobeTags(out)).AIGC).toBe(serializeGb45438(label));

      const bytes = new Uint8Array(await readFile(out));
      const media = Buffer.from(bytes).indexOf('mdat') + 300;
      const flipped = bytes.slice();
      flipped[media] ^= 0x01;
      await writeFile(`${out}.media`, flipped);
      const m = await sdkRead(`${out}.media`, { anchorsPem: root });
      expect(m?.validation_results?.activeManifest?.failure.map((s) => s.code)).toContain('assertion.bmffHash.mismatch');

      const store = Buffer.from(bytes).indexOf('c2pa.signature');
      const inStore = bytes.slice();
      inStore[store + 40] ^= 0x01; // inside the signature box of the excluded C2PA uuid box
      await writeFile(`${out}.store`, inStore);
      const s = await sdkRead(`${out}.store`, { anchorsPem: root }).catch(() => null);
      expect(s === null || s.validation_state !== 'Trusted').toBe(true);
    },
  );
});
