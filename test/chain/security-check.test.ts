/**
 * Label security data in the verifier (`verify/labels/security-check.ts`) on synthetic chains with
 * real certificates: signature over the fields, key tied to the named signer's certificate,
 * and the informational cases (absent, opaque vendor strings, SM2); plus the `label.copied`
 * cross-check of `labels-check.ts`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/signer.ts';
import { collectLabels } from '../../src/verify/labels/collect.ts';
import { makeGb45438Label } from '../../src/labels/implicit/gb45438.ts';
import type { Gb45438Label } from '../../src/labels/implicit/types.ts';
import { makeSecurityData, producerMessage, propagatorMessage, SD_ALG_OIDS } from '../../src/labels/security-data.ts';
import { parseCertificate, type Certificate } from '../../src/pki/certificate.ts';
import { checkLabels } from '../../src/verify/labels/labels-check.ts';
import type { ChainStep } from '../../src/verify/report/report.ts';
import { checkSecurityData, looksLikeSecurityData, type SignerCertificates } from '../../src/verify/labels/security-check.ts';
import { kindOf, type StatusCode } from '../../src/verify/report/status-codes.ts';
import { CODES, signerFor } from './helpers.ts';

const AI = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
let producer: Signer;
let platformA: Signer;
let certs: SignerCertificates;

beforeAll(async () => {
  [producer, platformA] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
  const byManifest: Record<string, Certificate> = {
    m0: parseCertificate(producer.certChain[0]!),
    m1: parseCertificate(platformA.certChain[0]!),
  };
  certs = { signerCertificate: (label) => byManifest[label] };
});

function step(index: number, role: ChainStep['role'], code: string): ChainStep {
  return {
    index,
    manifest: `m${index}`,
    role,
    actions: role === 'creation' ? ['c2pa.created'] : ['c2pa.opened', 'c2pa.published'],
    validation_state: 'Trusted',
    failures: [],
    signer: { alg: 'Es256', provider_code: code },
    ...(role === 'creation' ? { digital_source_type: AI } : {}),
  };
}
const CHAIN = (): ChainStep[] => [step(0, 'creation', CODES.producer), step(1, 'propagation', CODES.platformA)];

async function producerLabel(signer = producer, fields: Partial<Gb45438Label> = {}): Promise<Gb45438Label> {
  const l = makeGb45438Label({
    Label: '1',
    ContentProducer: CODES.producer,
    ProduceID: 'p-1',
    ContentPropagator: CODES.producer,
    PropagateID: 'p-1',
    ...fields,
  });
  return { ...l, ReservedCode1: await makeSecurityData(signer, producerMessage(l)) };
}

async function propagated(base: Gb45438Label, signer = platformA, code: string = CODES.platformA): Promise<Gb45438Label> {
  const l = { ...base, ContentPropagator: code, PropagateID: 'q-7', ReservedCode2: '' };
  return { ...l, ReservedCode2: await makeSecurityData(signer, propagatorMessage(l)) };
}

function run(label: Gb45438Label, chain: ChainStep[] = CHAIN(), c: SignerCertificates | null = certs) {
  const codes: { code: StatusCode; url?: string; explanation?: string }[] = [];
  const findings = checkSecurityData(label, 'XMP (APP1)', chain, c ?? undefined, (code, url, explanation) =>
    codes.push({ code, url, explanation }),
  );
  return { findings, codes: codes.map((e) => e.code), entries: codes };
}

describe('ReservedCode1/2 security data in the verifier', () => {
  it('producer and platform signatures valid, each key tied to its signer certificate', async () => {
    const r = run(await propagated(await producerLabel()));
    expect(r.codes).toEqual([
      'gb45438.securityData.validated',
      'gb45438.securityData.keyMatch',
      'gb45438.securityData.validated',
      'gb45438.securityData.keyMatch',
    ]);
    expect(r.findings).toMatchObject([
      {
        field: 'ReservedCode1',
        party: 'producer',
        provider_code: CODES.producer,
        status: 'valid',
        alg: 'ES256',
        key: 'bound',
        manifest: 'm0',
      },
      {
        field: 'ReservedCode2',
        party: 'propagator',
        provider_code: CODES.platformA,
        status: 'valid',
        alg: 'ES256',
        key: 'bound',
        manifest: 'm1',
      },
    ]);
    expect(r.codes.every((c) => kindOf(c) === 'success')).toBe(true);
  });

  it('a field edited after signing breaks both signatures (fields altered)', async () => {
    const label = { ...(await propagated(await producerLabel())), ProduceID: 'p-2' };
    const r = run(label);
    expect(r.codes).toEqual(['gb45438.securityData.mismatch', 'gb45438.securityData.mismatch']);
    expect(kindOf('gb45438.securityData.mismatch')).toBe('failure');
    expect(r.findings.map((f) => [f.status, f.key])).toEqual([
      ['invalid', null],
      ['invalid', null],
    ]);
  });

  it("only the platform's fields edited: ReservedCode1 still valid, ReservedCode2 not", async () => {
    const label = { ...(await propagated(await producerLabel())), PropagateID: 'q-8' };
    expect(run(label).codes).toEqual(['gb45438.securityData.validated', 'gb45438.securityData.keyMatch', 'gb45438.securityData.mismatch']);
  });

  it("producer fields signed with another key (the platform's): keyMismatch", async () => {
    const r = run(await producerLabel(platformA));
    expect(r.codes).toEqual(['gb45438.securityData.validated', 'gb45438.securityData.keyMismatch']);
    expect(r.entries[1]!.url).toBe('m0');
    expect(r.findings[0]!.key).toBe('unbound');
    expect(kindOf('gb45438.securityData.keyMismatch')).toBe('failure');
  });

  it('a label naming a producer no signer of the chain carries: keyMismatch', async () => {
    const other = '001191000000EXAMPLEC3A18020';
    const r = run(await producerLabel(producer, { ContentProducer: other, ContentPropagator: other }));
    expect(r.codes).toEqual(['gb45438.securityData.validated', 'gb45438.securityData.keyMismatch']);
    expect(r.entries[1]!.explanation).toContain(`provider code ${other}`);
  });

  it('ReservedCode2 naming platform B when only platform A signed: keyMismatch', async () => {
    const label = await propagated(await producerLabel(), platformA, CODES.platformB);
    expect(run(label).codes.slice(2)).toEqual(['gb45438.securityData.validated', 'gb45438.securityData.keyMismatch']);
  });

  it('without a manifest (or without certificates) the key is unverified, not failed', async () => {
    const label = await producerLabel();
    expect(run(label, []).codes).toEqual(['gb45438.securityData.validated', 'gb45438.securityData.keyUnverified']);
    expect(run(label, CHAIN(), null).codes).toEqual(['gb45438.securityData.validated', 'gb45438.securityData.keyUnverified']);
    expect(run(label, [step(0, 'propagation', CODES.platformA)]).findings[0]!.key).toBe('unverified');
    expect(kindOf('gb45438.securityData.keyUnverified')).toBe('informational');
  });

  it('a KeyID naming another certificate of the same key is noted, the key still ties', async () => {
    const label = await producerLabel();
    const sd = JSON.parse(label.ReservedCode1) as { SecurityData: { PubSD: { Type: string; KeyID?: string }[] } };
    sd.SecurityData.PubSD.find((e) => e.Type === 'PubKey')!.KeyID = 'AB'.repeat(32);
    const r = run({ ...label, ReservedCode1: JSON.stringify(sd) });
    expect(r.codes).toEqual(['gb45438.securityData.validated', 'gb45438.securityData.keyMatch']);
    expect(r.entries[1]!.explanation).toContain('KeyID');
  });

  it('absent, opaque vendor strings and SM2 are informational; a broken structure is a failure', async () => {
    const bare = makeGb45438Label({
      Label: '1',
      ContentProducer: CODES.producer,
      ProduceID: 'p-1',
      ContentPropagator: CODES.producer,
      PropagateID: 'p-1',
    });
    // Annex E Note 1 (propagation fields = producer's): ReservedCode2 is not expected.
    expect(run(bare).codes).toEqual(['gb45438.securityData.absent']);
    // A platform set its fields without signing them.
    expect(run({ ...bare, ContentPropagator: CODES.platformA, PropagateID: 'q' }).codes).toEqual([
      'gb45438.securityData.absent',
      'gb45438.securityData.absent',
    ]);
    expect(run({ ...bare, ReservedCode1: 'e862483430d978cbf828b8b24296ef9328d843a0' }).codes).toEqual(['gb45438.securityData.opaque']);
    const sm2 = (await producerLabel()).ReservedCode1.replaceAll(SD_ALG_OIDS.ES256, SD_ALG_OIDS.SM2);
    const r = run({ ...bare, ReservedCode1: sm2 });
    expect(r.codes).toEqual(['gb45438.securityData.unsupported']);
    expect(r.findings[0]!.alg).toBe('SM2');
    expect(run({ ...bare, ReservedCode1: '{"SecurityData":{"Type":"TC260PG","Version":1}}' }).codes).toEqual([
      'gb45438.securityData.malformed',
    ]);
    for (const c of ['gb45438.securityData.absent', 'gb45438.securityData.opaque', 'gb45438.securityData.unsupported'] as const)
      expect(kindOf(c)).toBe('informational');
    expect(kindOf('gb45438.securityData.malformed')).toBe('failure');
  });

  it('looksLikeSecurityData tells the TC260 structure from vendor strings', () => {
    expect(looksLikeSecurityData('{"SecurityData":{}}')).toBe(true);
    expect(looksLikeSecurityData('e862483430d978cbf828b8b24296ef9328d843a0')).toBe(false);
    expect(looksLikeSecurityData('{"Sig":"00"}')).toBe(false);
    expect(looksLikeSecurityData('{not json')).toBe(false);
  });
});

describe('labels section', () => {
  const carrier = (l: Gb45438Label) => ({ kind: 'gb45438' as const, foundIn: 'XMP (APP1)', raw: JSON.stringify(l) });

  it('carries the findings and makes a broken signature a label failure', async () => {
    const label = await producerLabel();
    const chain = [{ ...step(0, 'creation', CODES.producer), label_fields: label }];
    const ok = checkLabels(collectLabels([carrier(label)]), chain, true, certs);
    expect(ok.security_data).toMatchObject([{ field: 'ReservedCode1', status: 'valid', key: 'bound' }]);
    expect(ok.status.filter((e) => kindOf(e.code) === 'failure')).toEqual([]);
    const edited = checkLabels(collectLabels([carrier({ ...label, Label: '2' })]), chain, true);
    expect(edited.status.map((e) => e.code)).toContain('gb45438.securityData.mismatch');
  });

  it('a label whose ProduceID no manifest of the chain signs was copied from another item', async () => {
    const mine = await producerLabel();
    const theirs = await producerLabel(producer, { ProduceID: 'p-9', PropagateID: 'p-9' });
    const chain = [{ ...step(0, 'creation', CODES.producer), label_fields: mine }];
    const copied = checkLabels(collectLabels([carrier(theirs)]), chain, true);
    expect(copied.status.map((e) => e.code)).toEqual(
      expect.arrayContaining(['gb45438.label.copied', 'gb45438.produceId.changed', 'gb45438.label.manifestMismatch']),
    );
    expect(kindOf('gb45438.label.copied')).toBe('failure');
    expect(checkLabels(collectLabels([carrier(mine)]), chain, true).status.map((e) => e.code)).not.toContain('gb45438.label.copied');
    // A platform-inferred label without producer fields names no ProduceID: nothing to compare.
    const inferred = makeGb45438Label({ Label: '3', ContentPropagator: CODES.platformA, PropagateID: 'q' });
    expect(
      checkLabels(collectLabels([carrier(inferred)]), [{ ...step(0, 'creation', CODES.producer), label_fields: mine }], true).status.map(
        (e) => e.code,
      ),
    ).not.toContain('gb45438.label.copied');
  });
});
