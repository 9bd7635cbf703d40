/**
 * Interop with the reference SDK (@contentauth/c2pa-node 0.8.0):
 *  - SDK → ours: parse the SDK's store, check its hashed URIs and verify its COSE signature;
 *  - ours → SDK: embed a store made by our builder in a JPEG and have the SDK validate it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { sdkRead, sdkSign } from '../../scripts/support/sdk.ts';
import { parseManifestStore } from '../../src/manifest/store.ts';
import { checkHashedUri } from '../../src/manifest/hashed-uri.ts';
import { verifyCoseSign1 } from '../../src/manifest/cose/verify.ts';
import { interpretAssertion } from '../../src/manifest/assertions/registry.ts';
import { prepareManifest, type AssertionRef, type BuilderAssertion } from '../../src/manifest/builder.ts';
import { buildActions, ACTIONS_LABEL } from '../../src/manifest/assertions/actions.ts';
import { buildGb45438Assertion, GB45438_ASSERTION_LABEL } from '../../src/manifest/assertions/gb45438.ts';
import { buildIngredientV3, INGREDIENT_LABEL } from '../../src/manifest/assertions/ingredient.ts';
import { ingredientRefs } from '../../src/manifest/ingredient-refs.ts';
import { hashSourceExcluding } from '../../src/binding/data-hash.ts';
import { BufferSource } from '../../src/binary/byte-source.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { credentials, hasOpenssl, signerFor, tsaUnderTestCa } from './helpers/pki.ts';
import { extractJpegStore, jpegWithStore } from './helpers/jpeg.ts';
import { makeTimestampToken } from './helpers/tsa.ts';

let dir: string;
let seed: string;
const LABEL = {
  Label: '1',
  ContentProducer: '001191000000EXAMPLE01P10000',
  ProduceID: 'img-0001',
  ReservedCode1: '',
  ContentPropagator: '',
  PropagateID: '',
  ReservedCode2: '',
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'manifest-interop-'));
  seed = path.join(dir, 'seed.jpg');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .jpeg()
    .toFile(seed);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CASES = [
  ['ed25519', 'Ed25519'],
  ['es256', 'ES256'],
] as const;

describe('SDK → ours', () => {
  for (const [sub, alg] of CASES) {
    it(`reads and verifies an SDK-signed JPEG (${alg}, with thumbnail)`, async () => {
      const c = credentials(sub);
      const out = path.join(dir, `sdk-${sub}.jpg`);
      await sdkSign(seed, out, { chainPem: c.chainPem, keyPem: c.keyPem, alg: sub, thumbnail: true });
      const store = parseManifestStore(extractJpegStore(await readFile(out))!);
      const m = store.active!;
      expect(m.problems).toEqual([]);
      expect(m.label).toMatch(/^urn:c2pa:/);
      expect(m.claim!.version).toBe(2);
      const uris = [...m.claim!.createdAssertions, ...m.claim!.gatheredAssertions];
      expect(uris.length).toBe(m.assertions.length);
      for (const u of uris) expect(checkHashedUri(store.root, m.box, u, m.claim!.alg).status, u.url).toBe('match');
      const kinds = m.assertions.map((a) => interpretAssertion(a)?.type);
      expect(kinds).toEqual(expect.arrayContaining(['actions', 'data-hash', 'thumbnail']));
      const thumb = m.assertions.map((a) => interpretAssertion(a)).find((k) => k?.type === 'thumbnail');
      expect(thumb?.type === 'thumbnail' && thumb.value.mediaType).toBe('image/jpeg');
      expect(thumb?.type === 'thumbnail' && [...thumb.value.data.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      const v = await verifyCoseSign1(m.signature!.cose, m.claim!.raw);
      expect(v).toMatchObject({ ok: true, status: 'valid', alg });
      expect(v.chainDer.length).toBe(2);
      // A flipped claim byte breaks the signature.
      const raw = m.claim!.raw.slice();
      raw[raw.length - 2] ^= 1;
      expect((await verifyCoseSign1(m.signature!.cose, raw)).ok).toBe(false);
    });
  }
});

/** Sign `jpeg` with our builder and return the output file bytes. */
async function ourJpeg(
  jpeg: Uint8Array,
  signer: Signer,
  assertions: BuilderAssertion[],
  extra: Partial<Parameters<typeof prepareManifest>[0]> = {},
): Promise<Uint8Array> {
  const draft = prepareManifest({
    signer,
    claimGenerator: { name: 'aigc-provenance-test', version: '0.1' },
    assertions,
    hardBinding: 'data',
    title: 'seed.jpg',
    ...extra,
  });
  const placed = jpegWithStore(jpeg, draft.placeholder);
  const hash = await hashSourceExcluding(new BufferSource(placed.bytes), [placed.exclusion]);
  const store = await draft.finalize({ exclusions: [placed.exclusion], hash });
  expect(store.length).toBe(draft.storeLength);
  const final = jpegWithStore(jpeg, store);
  expect(final.exclusion).toEqual(placed.exclusion);
  return final.bytes;
}

const created = (): BuilderAssertion => ({
  label: ACTIONS_LABEL,
  data: buildActions([
    {
      action: 'c2pa.created',
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      softwareAgent: { name: 'Example Image Model', version: '3' },
      when: new Date('2026-01-02T03:04:05Z'),
    },
  ]),
});

describe('ours → SDK', () => {
  for (const [sub, alg] of CASES) {
    it(`the SDK validates our ${alg} store as Trusted with dataHash.match`, async () => {
      const c = credentials(sub);
      const bytes = await ourJpeg(await readFile(seed), signerFor(sub, alg), [
        created(),
        { label: GB45438_ASSERTION_LABEL, data: buildGb45438Assertion(LABEL) },
      ]);
      const out = path.join(dir, `ours-${sub}.jpg`);
      await writeFile(out, bytes);
      const r = await sdkRead(out, { anchorsPem: c.rootPem });
      const res = r!.validation_results!.activeManifest!;
      expect(res.failure).toEqual([]);
      expect(r!.validation_state).toBe('Trusted');
      const codes = res.success.map((s) => s.code);
      expect(codes).toEqual(expect.arrayContaining(['assertion.dataHash.match', 'claimSignature.validated', 'signingCredential.trusted']));
      expect(codes.filter((x) => x === 'assertion.hashedURI.match')).toHaveLength(3);
      // Our own reader agrees.
      const store = parseManifestStore(extractJpegStore(bytes)!);
      const m = store.active!;
      expect(m.assertions.map((a) => a.label)).toEqual([ACTIONS_LABEL, GB45438_ASSERTION_LABEL, 'c2pa.hash.data']);
      for (const a of m.assertions) expect(a.salt?.length).toBe(16);
      for (const u of m.claim!.createdAssertions) expect(checkHashedUri(store.root, m.box, u).status).toBe('match');
      expect((await verifyCoseSign1(m.signature!.cose, m.claim!.raw)).ok).toBe(true);
      const gb = interpretAssertion(m.assertions[1]);
      expect(gb).toEqual({ type: 'gb45438', value: { label: LABEL, explicit: undefined } });
      // A flipped image byte is a data-hash mismatch for the SDK.
      const tampered = bytes.slice();
      tampered[tampered.length - 10] ^= 0xff;
      await writeFile(out, tampered);
      const t = await sdkRead(out, { anchorsPem: c.rootPem });
      expect(t!.validation_results!.activeManifest!.failure.map((f) => f.code)).toContain('assertion.dataHash.mismatch');
    });
  }

  it('the SDK validates our manifest with an SDK-signed parent as ingredient', async () => {
    const c = credentials('es256');
    const parentFile = path.join(dir, 'parent.jpg');
    await sdkSign(seed, parentFile, { chainPem: c.chainPem, keyPem: c.keyPem, alg: 'es256' });
    const parentBytes = await readFile(parentFile);
    const parentStore = parseManifestStore(extractJpegStore(parentBytes)!);
    const refs = ingredientRefs(parentStore);
    const ingredient = buildIngredientV3({
      relationship: 'parentOf',
      title: 'parent.jpg',
      format: 'image/jpeg',
      instanceID: 'xmp:iid:parent',
      activeManifest: refs.activeManifest,
      claimSignature: refs.claimSignature,
      validationResults: {
        activeManifest: { success: [{ code: 'claimSignature.validated', url: refs.claimSignature.url }], informational: [], failure: [] },
      },
    });
    // The opened action points at the ingredient assertion by hashed URI; the builder resolves it.
    const manifestLabel = 'urn:c2pa:11111111-2222-4333-8444-555555555555';
    const bytes = await ourJpeg(
      parentBytes,
      signerFor('es256', 'ES256'),
      [
        {
          label: ACTIONS_LABEL,
          data: (ref: AssertionRef) =>
            buildActions([{ action: 'c2pa.opened', parameters: { ingredients: [ref(INGREDIENT_LABEL)] } }, { action: 'c2pa.published' }]),
        },
        { label: INGREDIENT_LABEL, data: ingredient },
      ],
      { ingredientStores: [parentStore], manifestLabel },
    );
    const out = path.join(dir, 'child.jpg');
    await writeFile(out, bytes);
    const r = await sdkRead(out, { anchorsPem: c.rootPem });
    expect(r!.validation_results!.activeManifest!.failure).toEqual([]);
    expect(r!.validation_state).toBe('Trusted');
    const store = parseManifestStore(extractJpegStore(bytes)!);
    expect(store.manifests.map((m) => m.label)).toEqual([parentStore.active!.label, manifestLabel]);
    const acts = interpretAssertion(store.active!.assertions[0]);
    expect(acts?.type === 'actions' && checkHashedUri(store.root, store.active!.box, acts.value.actions[0].ingredients[0]).status).toBe(
      'match',
    );
    const ing = interpretAssertion(store.active!.assertions[1]);
    expect(ing?.type === 'ingredient' && checkHashedUri(store.root, store.active!.box, ing.value.activeManifest!).status).toBe('match');
    expect(ing?.type === 'ingredient' && checkHashedUri(store.root, store.active!.box, ing.value.claimSignature!).status).toBe('match');
    const deltas = r!.validation_results!.ingredientDeltas as { validationDeltas: { success: { code: string }[]; failure: unknown[] } }[];
    expect(deltas).toHaveLength(1);
    expect(deltas[0].validationDeltas.failure).toEqual([]);
    expect(deltas[0].validationDeltas.success.map((s) => s.code)).toContain('ingredient.manifest.validated');
  });

  it.skipIf(!hasOpenssl())('the SDK accepts our sigTst2 time-stamp from a TSA under the test root', async () => {
    const c = credentials('es256');
    const tsa = tsaUnderTestCa();
    const bytes = await ourJpeg(await readFile(seed), signerFor('es256', 'ES256'), [created()], {
      timestamp: async (data) => makeTimestampToken(data, tsa.key, tsa.chain),
    });
    const out = path.join(dir, 'ours-tsa.jpg');
    await writeFile(out, bytes);
    const r = await sdkRead(out, { anchorsPem: c.rootPem });
    const res = r!.validation_results!.activeManifest!;
    expect(res.failure).toEqual([]);
    expect(r!.validation_state).toBe('Trusted');
    expect(res.success.map((s) => s.code)).toEqual(expect.arrayContaining(['timeStamp.validated', 'timeStamp.trusted']));
    const store = parseManifestStore(extractJpegStore(bytes)!);
    const v = await verifyCoseSign1(store.active!.signature!.cose, store.active!.claim!.raw);
    expect(v.timestamp?.status).toBe('valid');
  });
});
