import { describe, expect, it } from 'vitest';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { prepareManifest, type AssertionRef } from '../../src/manifest/builder.ts';
import { parseManifestStore } from '../../src/manifest/store.ts';
import { interpretAssertion } from '../../src/manifest/assertions/registry.ts';
import { buildActions, ACTIONS_LABEL } from '../../src/manifest/assertions/actions.ts';
import { defaultBmffExclusions } from '../../src/manifest/assertions/bmff-hash.ts';
import { verifyCoseSign1 } from '../../src/manifest/cose/verify.ts';
import { checkHashedUri } from '../../src/manifest/hashed-uri.ts';
import { ingredientRefs } from '../../src/manifest/ingredient-refs.ts';
import { InvalidArgumentError, SigningError } from '../../src/errors.ts';
import { signerFor } from './helpers/pki.ts';

const signer = signerFor('es256', 'ES256');
const actions = { label: ACTIONS_LABEL, data: buildActions([{ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA }]) };
const base = { signer, claimGenerator: { name: 'test', version: '1' }, assertions: [actions] } as const;
const hash = new Uint8Array(32).fill(0xab);

describe('prepareManifest / finalize', () => {
  it('keeps storeLength for any exclusion values, and the result verifies', async () => {
    const draft = prepareManifest({ ...base, hardBinding: 'data' });
    expect(draft.placeholder.length).toBe(draft.storeLength);
    for (const ex of [
      { start: 0, length: 0 },
      { start: 2, length: 23 },
      { start: 24, length: 256 },
      { start: 65_535, length: 65_536 },
      { start: 2 ** 32, length: 2 ** 40 },
    ]) {
      const store = await draft.finalize({ exclusions: [ex], hash });
      expect(store.length).toBe(draft.storeLength);
      const s = parseManifestStore(store);
      const m = s.active!;
      const dh = interpretAssertion(m.assertions.find((a) => a.label === 'c2pa.hash.data')!);
      expect(dh?.type === 'data-hash' && dh.value.exclusions).toEqual([ex]);
      expect(dh?.type === 'data-hash' && [...dh.value.hash]).toEqual([...hash]);
      for (const u of m.claim!.createdAssertions) expect(checkHashedUri(s.root, m.box, u).status).toBe('match');
      expect((await verifyCoseSign1(m.signature!.cose, m.claim!.raw)).ok).toBe(true);
    }
  });

  it('accepts up to maxDataExclusions exclusions', async () => {
    const draft = prepareManifest({ ...base, hardBinding: 'data', maxDataExclusions: 3 });
    const three = [
      { start: 1, length: 2 },
      { start: 10, length: 2 },
      { start: 100, length: 2 },
    ];
    expect((await draft.finalize({ exclusions: three, hash })).length).toBe(draft.storeLength);
    await expect(draft.finalize({ exclusions: [...three, { start: 200, length: 1 }], hash })).rejects.toThrow(InvalidArgumentError);
    await expect(draft.finalize({ exclusions: three, hash: new Uint8Array(31) })).rejects.toThrow(InvalidArgumentError);
  });

  it('writes c2pa.hash.bmff.v3 with the mandatory exclusions', async () => {
    const draft = prepareManifest({ ...base, hardBinding: 'bmff' });
    expect(draft.hardBindingLabel).toBe('c2pa.hash.bmff.v3');
    const store = await draft.finalize({ hash });
    expect(store.length).toBe(draft.storeLength);
    const m = parseManifestStore(store).active!;
    const bh = interpretAssertion(m.assertions.find((a) => a.label === 'c2pa.hash.bmff.v3')!);
    expect(bh?.type).toBe('bmff-hash');
    if (bh?.type !== 'bmff-hash') return;
    expect(bh.value.exclusions.map((e) => e.xpath)).toEqual(['/uuid', '/ftyp', '/mfra', '/free', '/skip']);
    expect(Buffer.from(bh.value.exclusions[0].data![0].value).toString('hex')).toBe('d8fec3d61b0e483c92975828877ec481');
    expect(bh.value.exclusions[0].data![0].offset).toBe(8);
    expect([...bh.value.hash!]).toEqual([...hash]);
    await expect(draft.finalize({ hash, exclusions: defaultBmffExclusions({ freeAndSkip: false }) })).rejects.toThrow(SigningError);
  });

  it('numbers repeated labels, refuses caller hard bindings and bad labels', () => {
    const d = prepareManifest({
      ...base,
      hardBinding: 'data',
      assertions: [actions, { label: 'org.x.a', data: 1 }, { label: 'org.x.a', data: 2 }],
    });
    const m = parseManifestStore(d.placeholder).active!;
    expect(m.assertions.map((a) => a.label)).toEqual([ACTIONS_LABEL, 'org.x.a', 'org.x.a__1', 'c2pa.hash.data']);
    expect(() => prepareManifest({ ...base, hardBinding: 'data', assertions: [{ label: 'c2pa.hash.data', data: {} }] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => prepareManifest({ ...base, hardBinding: 'data', assertions: [{ label: 'bad label', data: {} }] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => prepareManifest({ ...base, hardBinding: 'x' as 'data' })).toThrow(InvalidArgumentError);
  });

  it('resolves references between assertions of the new manifest', async () => {
    const d = prepareManifest({
      ...base,
      hardBinding: 'data',
      assertions: [
        {
          label: ACTIONS_LABEL,
          data: (ref: AssertionRef) => buildActions([{ action: 'c2pa.opened', parameters: { ingredients: [ref('c2pa.ingredient.v3')] } }]),
        },
        { label: 'c2pa.ingredient.v3', data: { relationship: 'parentOf' } },
      ],
    });
    const s = parseManifestStore(await d.finalize({ exclusions: [{ start: 2, length: 5 }], hash }));
    const acts = interpretAssertion(s.active!.assertions[0]);
    const u = acts?.type === 'actions' ? acts.value.actions[0].ingredients[0] : undefined;
    expect(u?.url).toBe(`self#jumbf=/c2pa/${d.manifestLabel}/c2pa.assertions/c2pa.ingredient.v3`);
    expect(checkHashedUri(s.root, s.active!.box, u!).status).toBe('match');
    const selfRef = (ref: (l: string) => unknown) => ({ x: ref(ACTIONS_LABEL) });
    expect(() => prepareManifest({ ...base, hardBinding: 'data', assertions: [{ label: ACTIONS_LABEL, data: selfRef }] })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      prepareManifest({
        ...base,
        hardBinding: 'data',
        assertions: [{ label: 'org.x.y', data: (ref: (l: string) => unknown) => ref('nope') }],
      }),
    ).toThrow(InvalidArgumentError);
  });

  it('throws SigningError when the signature does not fit its reserve', async () => {
    const draft = prepareManifest({ ...base, hardBinding: 'data', signatureSize: 100 });
    await expect(draft.finalize({ exclusions: [{ start: 2, length: 10 }], hash })).rejects.toThrow(SigningError);
  });

  it('copies ingredient manifests byte for byte, once, before the new active manifest', async () => {
    const parentDraft = prepareManifest({ ...base, hardBinding: 'data' });
    const parent = await parentDraft.finalize({ exclusions: [{ start: 2, length: 5 }], hash });
    const parentStore = parseManifestStore(parent);
    const refs = ingredientRefs(parentStore);
    const child = prepareManifest({ ...base, hardBinding: 'data', ingredientStores: [parent, parentStore] });
    const store = parseManifestStore(await child.finalize({ exclusions: [{ start: 2, length: 5 }], hash }));
    expect(store.manifests.map((m) => m.label)).toEqual([parentDraft.manifestLabel, child.manifestLabel]);
    const copied = store.manifests[0];
    expect(Buffer.from(copied.box.payload).equals(Buffer.from(parentStore.active!.box.payload))).toBe(true);
    expect(checkHashedUri(store.root, store.active!.box, refs.activeManifest).status).toBe('match');
    expect(checkHashedUri(store.root, store.active!.box, refs.claimSignature).status).toBe('match');
    // A different manifest under the same label is refused.
    const other = await parentDraft.finalize({ exclusions: [{ start: 3, length: 5 }], hash });
    expect(() => prepareManifest({ ...base, hardBinding: 'data', ingredientStores: [parent, other] })).toThrow(InvalidArgumentError);
  });
});
