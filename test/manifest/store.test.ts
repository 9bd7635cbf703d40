import { describe, expect, it } from 'vitest';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { parseManifestStore } from '../../src/manifest/store.ts';
import { checkHashedUri, parseJumbfUri, resolveJumbfUri } from '../../src/manifest/hashed-uri.ts';
import { prepareManifest } from '../../src/manifest/builder.ts';
import { buildActions, ACTIONS_LABEL } from '../../src/manifest/assertions/actions.ts';
import {
  encodeAssertionBox,
  encodeAssertionStore,
  encodeClaimBox,
  encodeSignatureBox,
  encodeStoreBox,
} from '../../src/manifest/store-writer.ts';
import { encodeBox } from '../../src/manifest/jumbf/box.ts';
import { encodeSuperbox } from '../../src/manifest/jumbf/superbox.ts';
import { UUID_CBOR, UUID_CLAIM, UUID_MANIFEST, UUID_STORE } from '../../src/manifest/jumbf/c2pa-types.ts';
import { encodeCbor } from '../../src/manifest/cbor.ts';
import { LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { MAX_ASSERTIONS, MAX_MANIFESTS, MAX_MANIFEST_BYTES } from '../../src/binary/limits.ts';
import { signerFor } from './helpers/pki.ts';

const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const actions = { label: ACTIONS_LABEL, data: buildActions([{ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA }]) };

async function builtStore(): Promise<Uint8Array> {
  const draft = prepareManifest({
    signer: signerFor('ed25519', 'Ed25519'),
    claimGenerator: { name: 'test', version: '1' },
    assertions: [
      actions,
      { label: 'org.example.note', data: { note: 'hi' }, kind: 'json' },
      { label: 'org.example.extra', data: { n: 1 }, gathered: true },
    ],
    hardBinding: 'data',
    title: 't.jpg',
  });
  return draft.finalize({ exclusions: [{ start: 2, length: draft.storeLength + 100 }], hash: new Uint8Array(32).fill(1) });
}

const urn = 'urn:c2pa:00000000-0000-4000-8000-000000000000';
const claimV2 = (assertionUrls: string[] = []) =>
  encodeCbor({
    instanceID: 'xmp:iid:x',
    claim_generator_info: { name: 'n' },
    signature: `self#jumbf=/c2pa/${urn}/c2pa.signature`,
    created_assertions: assertionUrls.map((url) => ({ url, hash: new Uint8Array(32) })),
    alg: 'sha256',
  });
const manifestWith = (children: Uint8Array[], label = urn) => encodeSuperbox({ type: UUID_MANIFEST, label }, children);

describe('parseManifestStore', () => {
  it('reads a built store: manifests, claim, assertions of each kind, signature', async () => {
    const store = parseManifestStore(await builtStore());
    expect(store.manifests).toHaveLength(1);
    const m = store.active!;
    expect(m.type).toBe('standard');
    expect(m.problems).toEqual([]);
    expect(m.assertions.map((a) => [a.label, a.kind])).toEqual([
      [ACTIONS_LABEL, 'cbor'],
      ['org.example.note', 'json'],
      ['org.example.extra', 'cbor'],
      ['c2pa.hash.data', 'cbor'],
    ]);
    expect(m.assertions[1].data).toEqual({ note: 'hi' });
    expect(m.claim!.title).toBe('t.jpg');
    expect(m.claim!.instanceID).toMatch(/^xmp:iid:[0-9a-f-]{36}$/);
    expect(m.claim!.signature).toBe(`self#jumbf=/c2pa/${m.label}/c2pa.signature`);
    expect(m.claim!.createdAssertions.map((u) => u.url.split('/').pop())).toEqual([ACTIONS_LABEL, 'org.example.note', 'c2pa.hash.data']);
    expect(m.claim!.gatheredAssertions.map((u) => u.url.split('/').pop())).toEqual(['org.example.extra']);
    for (const u of [...m.claim!.createdAssertions, ...m.claim!.gatheredAssertions])
      expect(checkHashedUri(store.root, m.box, u).status).toBe('match');
    expect(m.signature!.cose[0]).toBe(0xd2);
  });

  it('a flipped assertion byte is recorded, and its hashed URI no longer matches', async () => {
    const bytes = await builtStore();
    const store0 = parseManifestStore(bytes);
    const a = store0.active!.assertions[0];
    const at = a.box.offset + a.box.headerLength + a.box.payload.length - 3; // inside the CBOR content
    const broken = bytes.slice();
    broken[at] ^= 0x01;
    const store = parseManifestStore(broken);
    const m = store.active!;
    expect(checkHashedUri(store.root, m.box, m.claim!.createdAssertions[0]).status).toBe('mismatch');
  });

  it('records a CBOR claim with absurd lengths as claim.cbor.invalid (strict: throws)', () => {
    const absurd = unhex('a2 6a696e7374616e63654944 5b1000000000000000');
    const bytes = encodeStoreBox([
      manifestWith([
        encodeSuperbox({ type: UUID_CLAIM, label: 'c2pa.claim.v2' }, [encodeBox('cbor', absurd)]),
        encodeSignatureBox(new Uint8Array([0xf6])),
      ]),
    ]);
    const m = parseManifestStore(bytes).active!;
    expect(m.claim).toBeUndefined();
    expect(m.problems.map((p) => p.code)).toEqual(['claim.cbor.invalid']);
    expect(m.problems[0].error).toBeInstanceOf(MalformedInputError);
    expect(() => parseManifestStore(bytes, { strict: true })).toThrow(MalformedInputError);
  });

  it('records missing, multiple and malformed claims, missing signatures, bad assertion CBOR', () => {
    const cases: [Uint8Array[], string[]][] = [
      [[encodeSignatureBox(new Uint8Array([0xf6]))], ['claim.missing']],
      [[encodeClaimBox(claimV2())], ['claimSignature.missing']],
      [[encodeClaimBox(claimV2()), encodeClaimBox(claimV2()), encodeSignatureBox(new Uint8Array([0xf6]))], ['claim.multiple']],
      [[encodeClaimBox(encodeCbor({ instanceID: 'x' })), encodeSignatureBox(new Uint8Array([0xf6]))], ['claim.malformed']],
      [
        [
          encodeAssertionStore([encodeAssertionBox('a.b', 'cbor', unhex('9f'))]),
          encodeClaimBox(claimV2()),
          encodeSignatureBox(new Uint8Array([0xf6])),
        ],
        ['assertion.cbor.invalid'],
      ],
      [
        [
          encodeAssertionStore([encodeAssertionBox('a.j', 'json', unhex('7b'))]),
          encodeClaimBox(claimV2()),
          encodeSignatureBox(new Uint8Array([0xf6])),
        ],
        ['assertion.json.invalid'],
      ],
    ];
    for (const [children, codes] of cases)
      expect(parseManifestStore(encodeStoreBox([manifestWith(children)])).active!.problems.map((p) => p.code)).toEqual(codes);
  });

  it('rejects what is not a C2PA store', () => {
    expect(() => parseManifestStore(encodeSuperbox({ type: UUID_CBOR, label: 'c2pa' }, []))).toThrow(MalformedInputError);
    expect(() => parseManifestStore(Buffer.concat([encodeStoreBox([]), unhex('00')]))).toThrow(MalformedInputError);
    expect(() => parseManifestStore(unhex('00000008 6a756d62'))).toThrow(MalformedInputError);
  });

  it(`MAX_MANIFESTS (${MAX_MANIFESTS}) manifests are read, one more is refused`, () => {
    const store = (n: number) => encodeStoreBox(Array.from({ length: n }, (_, i) => manifestWith([], `urn:c2pa:m${i}`)));
    expect(parseManifestStore(store(MAX_MANIFESTS)).manifests).toHaveLength(MAX_MANIFESTS);
    expect(() => parseManifestStore(store(MAX_MANIFESTS + 1))).toThrow(LimitExceededError);
  });

  it(`MAX_ASSERTIONS (${MAX_ASSERTIONS}) assertions are read, one more is refused`, () => {
    const one = encodeAssertionBox('a.b', 'cbor', unhex('a0'));
    const store = (n: number) =>
      encodeStoreBox([manifestWith([encodeAssertionStore(Array.from({ length: n }, () => one)), encodeClaimBox(claimV2())])]);
    expect(parseManifestStore(store(MAX_ASSERTIONS)).active!.assertions).toHaveLength(MAX_ASSERTIONS);
    expect(() => parseManifestStore(store(MAX_ASSERTIONS + 1))).toThrow(LimitExceededError);
  });

  it(`MAX_MANIFEST_BYTES (${MAX_MANIFEST_BYTES}) is read, one byte more is refused`, () => {
    const sized = (total: number) => {
      const empty = encodeStoreBox([]);
      return encodeSuperbox({ type: UUID_STORE, label: 'c2pa' }, [encodeBox('free', new Uint8Array(total - empty.length - 8))]);
    };
    const at = sized(MAX_MANIFEST_BYTES);
    expect(at.length).toBe(MAX_MANIFEST_BYTES);
    expect(parseManifestStore(at).manifests).toEqual([]);
    expect(() => parseManifestStore(sized(MAX_MANIFEST_BYTES + 1))).toThrow(LimitExceededError);
  });
});

describe('hashed URI resolution', () => {
  it('resolves absolute, manifest-relative and slash-less store paths; refuses ..', async () => {
    const store = parseManifestStore(await builtStore());
    const m = store.active!;
    const target = m.assertions[0].box;
    for (const url of [
      `self#jumbf=/c2pa/${m.label}/c2pa.assertions/${ACTIONS_LABEL}`,
      `self#jumbf=c2pa.assertions/${ACTIONS_LABEL}`,
      `self#jumbf=c2pa/${m.label}/c2pa.assertions/${ACTIONS_LABEL}`,
    ])
      expect(resolveJumbfUri(store.root, m.box, url), url).toBe(target);
    expect(resolveJumbfUri(store.root, m.box, `self#jumbf=/c2pa/${m.label}`)).toBe(m.box);
    expect(resolveJumbfUri(store.root, m.box, `self#jumbf=/c2pa/${m.label}/c2pa.signature`)).toBe(m.signature!.box);
    expect(parseJumbfUri('self#jumbf=/c2pa/../x')).toBeUndefined();
    expect(parseJumbfUri('https://example.com/x')).toBeUndefined();
    expect(checkHashedUri(store.root, m.box, { url: 'self#jumbf=c2pa.assertions/nope', hash: new Uint8Array(32) }).status).toBe('missing');
    expect(
      checkHashedUri(store.root, m.box, { url: `self#jumbf=c2pa.assertions/${ACTIONS_LABEL}`, hash: new Uint8Array(32), alg: 'md5' })
        .status,
    ).toBe('unsupported-alg');
  });
});
