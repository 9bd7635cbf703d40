/**
 * Ours → both verifiers: files stamped by our `stamp()` verify as Trusted in our verifier
 * and in the reference SDK with the same code sets, with the label checks passing; a
 * label edited afterwards, and a platform that claims someone else's code, are caught.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigner, type LocalSigner } from '../../src/crypto/local-signer.ts';
import { GB45438_ASSERTION_LABEL } from '../../src/manifest/index.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { gen } from '../helpers.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { codeSet, roots } from './helpers.ts';
import { sdkEdit } from '../../scripts/support/sdk-edit.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
const PLATFORM_A = '001191000000EXAMPLEA2520000';
const ID = 'PRODUCE-ID-0001';
let dir: string;
const signers: Record<string, LocalSigner> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'verify-stamp-'));
  for (const sub of ['es256', 'ed25519']) {
    signers[sub] = await loadSigner({ chainPath: gen('pki', sub, 'chain.pem'), keyPath: gen('pki', sub, 'key.pem') });
  }
});

async function stamped(from: string, name: string, sub = 'es256'): Promise<string> {
  const out = path.join(dir, name);
  await stamp(gen(...from.split('/')), {
    signer: signers[sub]!,
    producer: PRODUCER,
    produceId: ID,
    output: out,
    explicitLabel: false,
    when: new Date('2026-01-02T03:04:05Z'),
  });
  return out;
}

describe.each([
  ['images/seed.jpg', 'st.jpg', 'es256'],
  ['images/seed.png', 'st.png', 'ed25519'],
  ['webp/seed-vp8x.webp', 'st.webp', 'es256'],
  ['audio/seed.wav', 'st.wav', 'ed25519'],
  ['video/seed.mp4', 'st.mp4', 'es256'],
])('stamp(%s)', (from, name, sub) => {
  it('is Trusted in both verifiers with the same code set, and the label checks pass', async () => {
    const file = await stamped(from, name, sub);
    const anchorsPem = roots();
    const [ours, sdk] = await Promise.all([verify(file, { trust: { anchorsPem } }), sdkRead(file, { anchorsPem })]);
    expect(sdk!.validation_state).toBe('Trusted');
    expect(ours.validation_state).toBe('Trusted');
    expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
    expect(ours.labels.status.map((e) => e.code)).toEqual([
      'gb45438.label.present',
      'gb45438.label.manifestMatch',
      'gb45438.producer.match',
      'gb45438.label.sourceTypeMatch',
      'gb45438.produceId.unchanged',
      'gb45438.securityData.validated',
      'gb45438.securityData.keyMatch',
    ]);
    expect(ours.chain).toHaveLength(1);
    expect(ours.chain[0]).toMatchObject({
      role: 'creation',
      validation_state: 'Trusted',
      label_fields: { ProduceID: ID, ContentProducer: PRODUCER },
    });
  });
});

describe('label and chain forgeries on stamped files', () => {
  it('a label edited after stamping: manifestMismatch (and the data hash breaks)', async () => {
    const file = await stamped('images/seed.jpg', 'edited.jpg');
    const bytes = Buffer.from(readFileSync(file));
    const xmp = bytes.indexOf('tc260.org.cn');
    const at = bytes.indexOf(ID, xmp);
    expect(xmp).toBeGreaterThan(0);
    bytes.write('PRODUCE-ID-0002', at, 'latin1');
    writeFileSync(file, bytes);
    const r = await verify(file, { trust: { anchorsPem: roots() } });
    expect(r.validation_state).toBe('Invalid');
    expect(r.labels.status.map((e) => e.code)).toEqual(
      expect.arrayContaining(['gb45438.label.manifestMismatch', 'gb45438.produceId.changed']),
    );
  });

  const gb = (propagator: string) => ({
    label: GB45438_ASSERTION_LABEL,
    data: {
      Label: '1',
      ContentProducer: PRODUCER,
      ProduceID: ID,
      ReservedCode1: '',
      ContentPropagator: propagator,
      PropagateID: 'pub-1',
      ReservedCode2: '',
    },
  });

  it('a platform manifest (SDK) over our stamp: creation → propagation, propagator matches its certificate', async () => {
    const base = await stamped('images/seed.jpg', 'base.jpg');
    const out = path.join(dir, 'published.jpg');
    sdkEdit(base, out, {
      chainPem: readFileSync(gen('pki', 'platform-a', 'chain.pem')),
      keyPem: readFileSync(gen('pki', 'platform-a', 'key.pem')),
      alg: 'es256',
      format: 'image/jpeg',
      actions: ['c2pa.published'],
      assertions: [gb(PLATFORM_A)],
    });
    const anchorsPem = roots();
    const [ours, sdk] = await Promise.all([verify(out, { trust: { anchorsPem } }), sdkRead(out, { anchorsPem })]);
    expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
    expect(ours.c2pa_validation_state).toBe('Trusted');
    expect(ours.chain.map((s) => [s.role, s.signer?.provider_code])).toEqual([
      ['creation', PRODUCER],
      ['propagation', PLATFORM_A],
    ]);
    const codes = ours.labels.status.map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['gb45438.producer.match', 'gb45438.propagator.match']));
    // The SDK did not rewrite the file's XMP label, so it still holds the producer's fields.
    expect(codes).toContain('gb45438.label.manifestMismatch');
  });

  it("a platform that signs another platform's ContentPropagator: propagator.mismatch, not Trusted", async () => {
    const base = await stamped('images/seed.jpg', 'base2.jpg');
    const out = path.join(dir, 'forged.jpg');
    sdkEdit(base, out, {
      chainPem: readFileSync(gen('pki', 'platform-b', 'chain.pem')),
      keyPem: readFileSync(gen('pki', 'platform-b', 'key.pem')),
      alg: 'es256',
      format: 'image/jpeg',
      actions: ['c2pa.published'],
      assertions: [gb(PLATFORM_A)],
    });
    const r = await verify(out, { trust: { anchorsPem: roots() } });
    expect(r.c2pa_validation_state).toBe('Trusted');
    expect(r.validation_state).toBe('Invalid');
    expect(r.labels.status.map((e) => e.code)).toContain('gb45438.propagator.mismatch');
  });
});
