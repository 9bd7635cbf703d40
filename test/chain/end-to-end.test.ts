/**
 * Issue #6 end to end, for JPEG and MP4: a producer stamps (explicit label, implicit label,
 * manifest), platform A propagates, platform B transcodes and propagates. The final file is
 * Trusted in our verifier (three-step chain, every cross-check passing, both security data
 * signatures valid and tied to their signers' certificates) and in the reference SDK (every
 * ingredient `ingredient.manifest.validated`), and exiftool reads the label with the
 * producer's fields intact and platform B's propagation fields.
 */
import { exiftool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/signer.ts';
import { parseGb45438 } from '../../src/labels/implicit/gb45438.ts';
import type { Gb45438Label } from '../../src/labels/implicit/types.ts';
import { formatInspectTree, inspect } from '../../src/service/inspect.ts';
import { propagate, type PropagateResult } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { gen } from '../helpers.ts';
import { sdkRead, type ManifestStore } from '../../scripts/support/sdk.ts';
import { codeSet } from '../verify/helpers.ts';
import { CODES, labelCodes, signerFor, tempDir, trust } from './helpers.ts';

const TAG = { jpg: 'XMP-TC260:Aigc', mp4: 'Keys:AIGC' } as const;
const SOURCE = { jpg: gen('images', 'seed.jpg'), mp4: gen('video', 'seed.mp4') } as const;

let signers: { producer: Signer; a: Signer; b: Signer };
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir('chain-e2e');
  const [producer, a, b] = await Promise.all([signerFor('es256'), signerFor('platform-a'), signerFor('platform-b')]);
  signers = { producer, a, b };
});
afterAll(async () => {
  await exiftool.end();
  await tmp.cleanup();
});

describe.each(['jpg', 'mp4'] as const)('producer → platform A → platform B (transcode), %s', (ext) => {
  let stampedLabel: Gb45438Label;
  let atA: PropagateResult;
  let atB: PropagateResult;
  let final: string;
  let ours: VerifyReport;
  let sdk: ManifestStore | null;

  beforeAll(async () => {
    const stamped = tmp.file(`stamped.${ext}`);
    const s = await stamp(SOURCE[ext], { signer: signers.producer, producer: CODES.producer, output: stamped });
    stampedLabel = s.label;
    expect(s.explicit).toBeDefined();
    atA = await propagate(stamped, { signer: signers.a, propagator: CODES.platformA, trust: trust(), output: tmp.file(`a.${ext}`) });
    final = tmp.file(`b.${ext}`);
    atB = await propagate(tmp.file(`a.${ext}`), {
      signer: signers.b,
      propagator: CODES.platformB,
      trust: trust(),
      output: final,
      transcode: { maxSide: 64, quality: 70 },
    });
    [ours, sdk] = await Promise.all([verify(final, { trust: trust() }), sdkRead(final, { anchorsPem: trust().anchorsPem })]);
  });

  it('each platform saw a Trusted, AI-labelled upload and kept Label "1"', () => {
    for (const r of [atA, atB]) {
      expect(r.incoming.validation_state).toBe('Trusted');
      expect(r.decision).toMatchObject({ prompt: 'ai-generated', label: '1' });
      expect(r.decision.evidence).toMatchObject({ producerSecurityData: 'valid', producerKey: 'bound', c2paState: 'Trusted' });
    }
    expect(atA.decision.evidence.propagatorSecurityData).toBeNull();
    expect(atB.decision.evidence.propagatorSecurityData).toBe('valid');
  });

  it('our verify: Trusted, a three-step chain creation first, every cross-check passing', () => {
    expect(ours.validation_state).toBe('Trusted');
    expect(ours.c2pa_validation_state).toBe('Trusted');
    expect(ours.chain.map((s) => s.role)).toEqual(['creation', 'propagation', 'propagation']);
    expect(ours.chain.map((s) => s.signer?.provider_code)).toEqual([CODES.producer, CODES.platformA, CODES.platformB]);
    expect(ours.chain.map((s) => s.validation_state)).toEqual(['Trusted', 'Trusted', 'Trusted']);
    expect(ours.chain[0]!.actions).toEqual(['c2pa.created', 'c2pa.edited']);
    expect(ours.chain[1]!.actions).toEqual(['c2pa.opened', 'c2pa.published']);
    expect(ours.chain[2]!.actions).toEqual(['c2pa.opened', 'c2pa.transcoded']);
    expect(ours.chain.map((s) => s.label_fields?.ContentPropagator)).toEqual([CODES.producer, CODES.platformA, CODES.platformB]);
    expect(labelCodes(ours, 'failure')).toEqual([]);
    expect(labelCodes(ours, 'success').sort()).toEqual([
      'chain.validated',
      'gb45438.label.manifestMatch',
      'gb45438.label.present',
      'gb45438.label.sourceTypeMatch',
      'gb45438.produceId.unchanged',
      'gb45438.producer.match',
      'gb45438.propagator.match',
      'gb45438.propagator.match',
      'gb45438.securityData.keyMatch',
      'gb45438.securityData.keyMatch',
      'gb45438.securityData.validated',
      'gb45438.securityData.validated',
    ]);
    expect(ours.labels.security_data).toMatchObject([
      { field: 'ReservedCode1', status: 'valid', key: 'bound', manifest: ours.chain[0]!.manifest },
      { field: 'ReservedCode2', status: 'valid', key: 'bound', manifest: ours.chain[2]!.manifest },
    ]);
  });

  it('the reference SDK: Trusted, every ingredient ingredient.manifest.validated, same codes as ours', () => {
    expect(sdk!.validation_state).toBe('Trusted');
    // Platform B recorded platform A's ingredient delta in its own ingredient (validationResults.ingredientDeltas),
    // so only B's ingredient is still a delta of the final file.
    const deltas = (sdk!.validation_results?.ingredientDeltas ?? []) as {
      validationDeltas: { success: { code: string }[]; failure: unknown[] };
    }[];
    expect(deltas).toHaveLength(1);
    for (const d of deltas) {
      expect(d.validationDeltas.success.map((e) => e.code)).toContain('ingredient.manifest.validated');
      expect(d.validationDeltas.failure).toEqual([]);
    }
    expect(codeSet(ours.validation_results)).toEqual(codeSet(sdk!.validation_results));
  });

  it("exiftool reads the final label: producer fields intact, platform B's propagation fields", async () => {
    const raw = (await exiftool.readRaw(final, ['-G1', '-XMP-TC260:all', '-Keys:all'])) as Record<string, unknown>;
    const label = parseGb45438(String(raw[TAG[ext]])).label;
    for (const f of ['Label', 'ContentProducer', 'ProduceID', 'ReservedCode1'] as const) expect(label[f]).toBe(stampedLabel[f]);
    expect(label.ContentPropagator).toBe(CODES.platformB);
    expect(label).toEqual(atB.label);
    expect(label.PropagateID).not.toBe(atA.label!.PropagateID);
  });

  it("platform B re-encoded the media and kept the producer's IPTC digital source type (regression: transcode dropped it)", async () => {
    expect(ours.labels.iptc?.digitalSourceType).toBe('http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia');
    if (ext === 'jpg') {
      const meta = await sharp(final).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(64);
    }
  });

  it('inspect shows the chain from creation and the security data findings', async () => {
    const tree = formatInspectTree(await inspect(final, { trust: trust() }));
    expect(tree).toMatch(/\[0\] creation: urn:c2pa:[^\n]+ — Trusted/);
    expect(tree.indexOf('[0] creation')).toBeLessThan(tree.indexOf('[2] propagation'));
    expect(tree).toContain(`ReservedCode1 (producer ${CODES.producer}): valid ES256, key tied to the signer certificate`);
    expect(tree).toContain(`ReservedCode2 (propagator ${CODES.platformB}): valid ES256, key tied to the signer certificate`);
  });
});
