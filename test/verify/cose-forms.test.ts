/**
 * Every COSE_Sign1 header form c2pa-rs reads, on files signed by our builder and then
 * re-signed with the chain moved (the COSE box keeps its size, and it lies inside the
 * data-hash exclusion): the x5chain under label 33 or the text key in the protected header,
 * under the text key in the unprotected header (C2PA 1.x); no or an unknown algorithm; an
 * ECDSA signature in DER instead of r‖s. Our codes equal the SDK's (test roots as anchors)
 * and the report names the form. Where c2pa-rs refuses the whole file (label 33 unprotected,
 * a chain in both headers, an unknown algorithm) we report Invalid with the failures listed.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { hashSourceExcluding } from '../../src/binding/data-hash.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import {
  ACTIONS_LABEL,
  buildActions,
  encodeCbor,
  parseManifestStore,
  prepareManifest,
  sigStructure,
  Tag,
} from '../../src/manifest/index.ts';
import { solvePadding } from '../../src/manifest/padding.ts';
import { verify } from '../../src/service/verify.ts';
import { gen } from '../helpers.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { extractJpegStore, jpegWithStore } from '../manifest/helpers/jpeg.ts';
import { nodeSigner, pemToDers } from '../manifest/helpers/pki.ts';
import { codeSet, roots } from './helpers.ts';

let dir: string;
let base: Uint8Array;
const key = () => createPrivateKey(readFileSync(gen('pki', 'es256', 'key.pem'), 'utf8'));
const chain = () => pemToDers(readFileSync(gen('pki', 'es256', 'chain.pem'), 'utf8'));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cose-forms-'));
  const seed = readFileSync(gen('images', 'seed.jpg'));
  const draft = prepareManifest({
    signer: nodeSigner('ES256', key(), chain()),
    claimGenerator: { name: 'cose-form-tests' },
    hardBinding: 'data',
    signatureSize: 8192,
    assertions: [{ label: ACTIONS_LABEL, data: buildActions([{ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA }]) }],
  });
  const placed = jpegWithStore(seed, draft.placeholder);
  const hash = await hashSourceExcluding(new BufferSource(placed.bytes), [placed.exclusion]);
  base = jpegWithStore(seed, await draft.finalize({ exclusions: [placed.exclusion], hash })).bytes;
});

interface Form {
  readonly protectedHeader: Map<number | string, unknown>;
  readonly unprotected: Map<string | number, unknown>;
  readonly der?: boolean;
}

/** Re-sign the file's claim with other COSE headers, keeping the COSE box size. */
function resign(name: string, form: (certs: Uint8Array[]) => Form): string {
  const store = parseManifestStore(extractJpegStore(base)!);
  const m = store.active!;
  const old = m.signature!.cose;
  const f = form(chain());
  const p = encodeCbor(f.protectedHeader);
  const signature = new Uint8Array(
    sign('sha256', sigStructure(p, m.claim!.raw), { key: key(), dsaEncoding: f.der ? 'der' : 'ieee-p1363' }),
  );
  const build = (pad: number, pad2?: number) => {
    const u = new Map(f.unprotected);
    u.set('pad', new Uint8Array(pad));
    if (pad2 !== undefined) u.set('pad2', new Uint8Array(pad2));
    return encodeCbor(new Tag([p, u, null, signature], 18));
  };
  const fit = solvePadding(old.length - build(0).length, 0)!;
  const cose = build(fit.pad, fit.pad2);
  expect(cose.length).toBe(old.length);
  const at = Buffer.from(base).indexOf(Buffer.from(old));
  expect(at).toBeGreaterThan(0);
  const out = new Uint8Array(base);
  out.set(cose, at);
  const file = path.join(dir, name);
  writeFileSync(file, out);
  return file;
}

const chainValue = (c: Uint8Array[]) => (c.length === 1 ? c[0] : c);
/** `refused`: c2pa-rs rejects the whole file (no report); we report Invalid with these failures. */
const FORMS: Record<string, { form: (c: Uint8Array[]) => Form; state: string; name?: string; refused?: string[] }> = {
  'protected, label 33': {
    form: (c) => ({
      protectedHeader: new Map<number, unknown>([
        [1, -7],
        [33, chainValue(c)],
      ]),
      unprotected: new Map(),
    }),
    state: 'Trusted',
    name: 'protected-33',
  },
  'protected, text key': {
    form: (c) => ({
      protectedHeader: new Map<number | string, unknown>([
        [1, -7],
        ['x5chain', chainValue(c)],
      ]),
      unprotected: new Map(),
    }),
    state: 'Trusted',
    name: 'protected-text',
  },
  'unprotected, text key (C2PA 1.x)': {
    form: (c) => ({ protectedHeader: new Map([[1, -7]]), unprotected: new Map([['x5chain', chainValue(c)]]) }),
    state: 'Trusted',
    name: 'unprotected-text',
  },
  'unprotected, label 33 (refused)': {
    form: (c) => ({ protectedHeader: new Map([[1, -7]]), unprotected: new Map<number, unknown>([[33, chainValue(c)]]) }),
    state: 'Invalid',
    refused: ['claimSignature.mismatch'],
  },
  'in both headers (refused)': {
    form: (c) => ({
      protectedHeader: new Map<number, unknown>([
        [1, -7],
        [33, chainValue(c)],
      ]),
      unprotected: new Map([['x5chain', chainValue(c)]]),
    }),
    state: 'Invalid',
    refused: ['claimSignature.mismatch'],
  },
  'an unknown algorithm': {
    form: (c) => ({
      protectedHeader: new Map<number, unknown>([
        [1, -65000],
        [33, chainValue(c)],
      ]),
      unprotected: new Map(),
    }),
    state: 'Invalid',
    refused: ['algorithm.unsupported', 'claimSignature.mismatch'],
  },
  'no algorithm': {
    form: (c) => ({ protectedHeader: new Map<number, unknown>([[33, chainValue(c)]]), unprotected: new Map() }),
    state: 'Invalid',
  },
  'ECDSA signature in DER': {
    form: (c) => ({
      protectedHeader: new Map<number, unknown>([
        [1, -7],
        [33, chainValue(c)],
      ]),
      unprotected: new Map(),
      der: true,
    }),
    state: 'Invalid',
  },
};

describe("COSE header forms: our codes equal the SDK's", () => {
  for (const [title, { form, state, name, refused }] of Object.entries(FORMS)) {
    it(title, async () => {
      const file = resign(`${title.replace(/\W+/g, '-')}.jpg`, form);
      const anchorsPem = roots();
      if (refused) {
        await expect(sdkRead(file, { anchorsPem })).rejects.toThrow();
        const ours = await verify(file, { trust: { anchorsPem } });
        expect(ours.validation_state).toBe(state);
        expect(ours.validation_status.map((e) => e.code)).toEqual(refused);
        return;
      }
      const [ours, sdk] = await Promise.all([verify(file, { trust: { anchorsPem } }), sdkRead(file, { anchorsPem })]);
      expect(sdk!.validation_state).toBe(state);
      expect(ours.validation_state).toBe(state);
      expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
      if (name) expect(ours.manifests[ours.active_manifest!]!.generation).toMatchObject({ x5chain: name, c2pa: '2.x', claim_version: 2 });
    });
  }
});
