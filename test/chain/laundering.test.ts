/**
 * Issue #12 §1–2, end to end on JPEG and MP4: a producer's file tampered in each way the
 * tamper tests know (content byte, assertion, claim, signature) is refused by `propagate`
 * (RefusedError, nothing written); with `acceptInvalid` the published file is Invalid in our
 * report with `chain.step.invalid` naming the creation step, while `c2pa_validation_state`
 * still equals the reference SDK's state and the SDK shows the ingredient's failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/signer.ts';
import { RefusedError } from '../../src/errors.ts';
import { propagate, type PropagateResult } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { gen, repo } from '../helpers.ts';
import { sdkRead, type ManifestStore } from '../sdk.ts';
import { tamper, type TamperOp } from '../verify/tamper.ts';
import { CODES, signerFor, tempDir, trust } from './helpers.ts';

const SOURCE = { jpg: gen('images', 'seed.jpg'), mp4: gen('video', 'seed.mp4') } as const;
const OPS: Record<string, TamperOp> = {
  content: { op: 'flip-content' },
  assertion: { op: 'flip-assertion', assertion: 'c2pa.actions.v2', near: 'aigc-provenance' },
  claim: { op: 'flip-claim', near: 'instanceID' },
  signature: { op: 'flip-signature' },
};
/** The failure each tamper leaves in the creation manifest. */
const EXPECTED: Record<string, { jpg: string; mp4: string }> = {
  content: { jpg: 'assertion.dataHash.mismatch', mp4: 'assertion.bmffHash.mismatch' },
  assertion: { jpg: 'assertion.hashedURI.mismatch', mp4: 'assertion.hashedURI.mismatch' },
  claim: { jpg: 'claimSignature.mismatch', mp4: 'claimSignature.mismatch' },
  signature: { jpg: 'claimSignature.mismatch', mp4: 'claimSignature.mismatch' },
};

let producer: Signer;
let platform: Signer;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir('laundering');
  [producer, platform] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
});
afterAll(() => tmp.cleanup());

type SdkIngredient = { validation_results?: { activeManifest?: { failure: { code: string }[] } } };

describe.each(['jpg', 'mp4'] as const)('tampered producer file, %s', (ext) => {
  const tampered: Record<string, string> = {};
  const published: Record<string, { result: PropagateResult; ours: VerifyReport; sdk: ManifestStore | null }> = {};

  beforeAll(async () => {
    const stamped = tmp.file(`stamped.${ext}`);
    await stamp(SOURCE[ext], { signer: producer, producer: CODES.producer, output: stamped, explicitLabel: false });
    const bytes = await readFile(stamped);
    for (const [name, op] of Object.entries(OPS)) {
      tampered[name] = tmp.file(`t-${name}.${ext}`);
      await writeFile(tampered[name]!, await tamper(bytes, op));
      const out = tmp.file(`pub-${name}.${ext}`);
      const result = await propagate(tampered[name]!, {
        signer: platform,
        propagator: CODES.platformA,
        trust: trust(),
        output: out,
        acceptInvalid: true,
      });
      const [ours, sdk] = await Promise.all([verify(out, { trust: trust() }), sdkRead(out, { anchorsPem: trust().anchorsPem })]);
      published[name] = { result, ours, sdk };
    }
  });

  it.each(Object.keys(OPS))('%s: propagate refuses it by default and writes nothing', async (name) => {
    const out = tmp.file(`refused-${name}.${ext}`);
    const err = await propagate(tampered[name]!, { signer: platform, propagator: CODES.platformA, trust: trust(), output: out }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).flag).toBe('--accept-invalid');
    expect((err as Error).message).toContain(EXPECTED[name]![ext]);
    expect(existsSync(out)).toBe(false);
  });

  it.each(Object.keys(OPS))('%s: with acceptInvalid the decision says so and the ingredient records the failure', (name) => {
    const { result } = published[name]!;
    expect(result.decision.policy?.verdict).toBe('accept-invalid');
    expect(result.decision.reasons[0]).toMatch(/^ACCEPTED INVALID: .*--accept-invalid/);
    expect(result.decision.policy?.failures.map((f) => f.code)).toContain(EXPECTED[name]![ext]);
  });

  it.each(Object.keys(OPS))('%s: the published file is Invalid in our report, chain.step.invalid names the creation step', (name) => {
    const { ours } = published[name]!;
    expect(ours.validation_state).toBe('Invalid');
    const creation = ours.chain[0]!;
    expect(creation.role).toBe('creation');
    expect(creation.validation_state).toBe('Invalid');
    expect(ours.chain[1]!.role).toBe('propagation');
    const codes = [...creation.failures, ...(creation.recorded_failures ?? [])].map((f) => f.code);
    expect(codes).toContain(EXPECTED[name]![ext]);
    const step = ours.labels.status.find((e) => e.code === 'chain.step.invalid');
    expect(step?.url).toBe(`self#jumbf=/c2pa/${creation.manifest}`);
    expect(step?.explanation).toMatch(/^step 0 \(creation, urn:c2pa:[^,]+, signed by Example Image Generator \(ES256\)\) is Invalid: /);
    expect(step?.explanation).toContain(EXPECTED[name]![ext]);
  });

  it.each(Object.keys(OPS))('%s: the reference SDK shows the ingredient failure; c2pa_validation_state equals the SDK state', (name) => {
    const { ours, sdk } = published[name]!;
    expect(sdk).not.toBeNull();
    expect(ours.c2pa_validation_state).toBe(sdk!.validation_state);
    const active = sdk!.manifests[sdk!.active_manifest!] as { ingredients?: SdkIngredient[] };
    const recorded = active.ingredients?.[0]?.validation_results?.activeManifest?.failure.map((f) => f.code) ?? [];
    const deltas = ((sdk!.validation_results?.ingredientDeltas ?? []) as { validationDeltas: { failure: { code: string }[] } }[]).flatMap(
      (d) => d.validationDeltas.failure.map((f) => f.code),
    );
    expect([...recorded, ...deltas]).toContain(EXPECTED[name]![ext]);
  });
});

describe('a missing ingredient manifest', () => {
  it('the stripped creation manifest is named by chain.ingredient.missing and makes the verdict Invalid', async () => {
    const r = await verify(gen('chain', 'forged-creation-stripped.jpg'), { trust: trust() });
    expect(r.validation_state).toBe('Invalid');
    const e = r.labels.status.find((x) => x.code === 'chain.ingredient.missing');
    expect(e?.explanation).toMatch(
      /^step 0 \(propagation, urn:c2pa:[^)]+\): its ingredient c2pa\.ingredient\.v3 \(.*\) names manifest urn:c2pa:\S+, which is not in the store$/,
    );
  });
});

describe('a real third-party file: c2pa-rs CIE-sig-CA.jpg (fixtures/external/c2pa-rs/NOTICE)', () => {
  const file = repo('fixtures', 'external', 'c2pa-rs', 'signed', 'CIE-sig-CA.jpg');
  const anchors = (): { anchorsPem: string } => ({
    anchorsPem: readFileSync(repo('fixtures', 'external', 'c2pa-rs', 'test-anchors.pem'), 'utf8'),
  });

  it('Trusted for the SDK, Invalid for us: its ingredient was recorded with claimSignature.mismatch', async () => {
    const sdkReport = JSON.parse(
      readFileSync(repo('fixtures', 'external', 'c2pa-rs', 'sdk-reports', 'CIE-sig-CA.jpg.anchored.json'), 'utf8'),
    ) as { validation_state: string };
    const [ours, live] = await Promise.all([verify(file, { trust: anchors() }), sdkRead(file, { anchorsPem: anchors().anchorsPem })]);
    expect(sdkReport.validation_state).toBe('Trusted');
    expect(live!.validation_state).toBe('Trusted');
    expect(ours.c2pa_validation_state).toBe('Trusted');
    expect(ours.validation_state).toBe('Invalid');
    const e = ours.labels.status.find((x) => x.code === 'chain.ingredient.invalid');
    expect(e?.explanation).toMatch(
      /^step 0 \(creation, .*\): its ingredient c2pa\.ingredient\.v2 \(E-sig-CA\.jpg\) was recorded with claimSignature\.mismatch at /,
    );
  });

  it('propagate refuses it by default', async () => {
    const err = await propagate(file, { signer: platform, propagator: CODES.platformA, trust: anchors() }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as Error).message).toContain('chain.ingredient.invalid');
  });
});
