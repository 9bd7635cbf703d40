/**
 * The platform's duty on each upload (CAC Labeling Measures Art. 6), through `propagate()`
 * and through `aigc propagate --json`: a labelled upload keeps Label "1"; an unlabelled one
 * declared AI gets Label "2"; an unlabelled one whose C2PA says trainedAlgorithmicMedia gets
 * Label "3"; an unlabelled, undeclared, untraced one gets no label but still a verifiable
 * propagation manifest with an ingredient of unknown provenance. Producer fields are never
 * altered; bad input is refused with a typed error and no output file.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/signer.ts';
import { InvalidArgumentError, IoError, MalformedInputError, UnsupportedFormatError } from '../../src/errors.ts';
import { decide } from '../../src/service/decide.ts';
import { propagate, type PropagateResult } from '../../src/service/propagate.ts';
import { verify } from '../../src/service/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { gen } from '../helpers.ts';
import { readStore, rewriteLabel } from '../../scripts/support/forge.ts';
import { aigc, cfx, CODES, cred, labelCodes, ROOTS, signerFor, tempDir, trust, type CliRun } from './helpers.ts';

/** input, declared AI, expected prompt, expected Label. */
const CASES = {
  labelled: [cfx('stamped.jpg'), false, 'ai-generated', '1'],
  declared: [gen('images', 'seed.jpg'), true, 'possibly-ai-generated', '2'],
  traced: [cfx('sdk-created.jpg'), false, 'suspected-ai-generated', '3'],
  untraced: [gen('images', 'seed.jpg'), false, 'none', null],
} as const;
type CaseName = keyof typeof CASES;
const NAMES = Object.keys(CASES) as CaseName[];

let platformA: Signer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
const lib: Partial<Record<CaseName, { result: PropagateResult; report: VerifyReport }>> = {};
const cli: Partial<Record<CaseName, { run: CliRun; report: VerifyReport }>> = {};

beforeAll(async () => {
  tmp = await tempDir('uploads');
  platformA = await signerFor('platform-a');
  const a = cred('platform-a');
  // The four CLI runs go concurrently with the library calls.
  const cliRuns = Promise.all(
    NAMES.map((n) =>
      aigc([
        'propagate',
        CASES[n][0],
        '-o',
        tmp.file(`cli-${n}.jpg`),
        '--cert',
        a.chainPath,
        '--key',
        a.keyPath,
        '--propagator',
        CODES.platformA,
        '--trust',
        ROOTS,
        '--json',
        ...(CASES[n][1] ? ['--declared-ai'] : []),
      ]),
    ),
  );
  for (const n of NAMES) {
    const output = tmp.file(`lib-${n}.jpg`);
    const result = await propagate(CASES[n][0], {
      signer: platformA,
      propagator: CODES.platformA,
      declaredAi: CASES[n][1],
      trust: trust(),
      output,
    });
    lib[n] = { result, report: await verify(output, { trust: trust() }) };
  }
  const runs = await cliRuns;
  for (const [i, n] of NAMES.entries()) cli[n] = { run: runs[i]!, report: await verify(tmp.file(`cli-${n}.jpg`), { trust: trust() }) };
});
afterAll(() => tmp.cleanup());

describe.each(NAMES)('upload case: %s', (name) => {
  const [, declared, prompt, label] = CASES[name];

  it('propagate(): the decision, the label written, and a Trusted propagation manifest', () => {
    const { result, report } = lib[name]!;
    expect(result.decision.prompt).toBe(prompt);
    expect(result.decision.label).toBe(label);
    expect(result.decision.evidence.declaredAi).toBe(declared);
    expect(result.decision.reasons.length).toBeGreaterThan(0);
    expect(report.validation_state).toBe('Trusted');
    expect(report.chain.at(-1)).toMatchObject({
      role: 'propagation',
      actions: ['c2pa.opened', 'c2pa.published'],
      signer: { provider_code: CODES.platformA },
    });
    expect(labelCodes(report, 'failure')).toEqual([]);
    if (label === null) {
      expect(result.label).toBeUndefined();
      expect(report.labels.gb45438).toBeNull();
    } else {
      expect(report.labels.gb45438?.fields).toMatchObject({ Label: label, ContentPropagator: CODES.platformA });
      expect(report.labels.gb45438?.fields).toEqual(result.label);
      expect(report.labels.security_data?.find((f) => f.field === 'ReservedCode2')).toMatchObject({ status: 'valid', key: 'bound' });
    }
  });

  it('aigc propagate --json: the same decision and label', () => {
    const { run, report } = cli[name]!;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      decision: { prompt: string; label: string | null };
      label: { Label: string } | null;
      incoming: { failures: unknown[] };
    };
    expect(out.decision).toMatchObject({ prompt, label });
    expect(out.label?.Label ?? null).toBe(label);
    expect(out.incoming.failures).toEqual([]);
    expect(report.validation_state).toBe('Trusted');
    expect(report.labels.gb45438?.fields.Label ?? null).toBe(label);
  });
});

describe('upload case details', () => {
  it("labelled: the producer's fields are carried over unaltered", async () => {
    const before = (await verify(CASES.labelled[0])).labels.gb45438!.fields;
    const after = lib.labelled!.result.label!;
    for (const f of ['Label', 'ContentProducer', 'ProduceID', 'ReservedCode1'] as const) expect(after[f]).toBe(before[f]);
    expect(after.ContentPropagator).not.toBe(before.ContentPropagator);
    expect(lib.labelled!.report.chain.map((s) => s.role)).toEqual(['creation', 'propagation']);
  });

  it('declared and traced: the platform infers the label and leaves the producer fields empty', () => {
    for (const n of ['declared', 'traced'] as const) {
      expect(lib[n]!.result.label).toMatchObject({ ContentProducer: '', ProduceID: '', ReservedCode1: '' });
    }
    expect(lib.traced!.result.decision.evidence.c2paDigitalSourceType).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    );
    expect(lib.traced!.result.decision.reasons.join(' ')).toContain('trainedAlgorithmicMedia');
    expect(lib.traced!.report.chain.map((s) => s.role)).toEqual(['creation', 'propagation']);
  });

  it('untraced: an ingredient of unknown provenance, and still Trusted', () => {
    const { report } = lib.untraced!;
    expect(report.chain).toHaveLength(1);
    const ingredient = report.manifests[report.active_manifest!]!.ingredients[0]!;
    expect(ingredient).toMatchObject({ relationship: 'parentOf' });
    expect(ingredient.active_manifest).toBeUndefined();
    const info = report.validation_results!.ingredientDeltas.flatMap((d) => d.validationDeltas.informational.map((e) => e.code));
    expect(info).toContain('ingredient.unknownProvenance');
  });

  it('a Label "2" set by an earlier platform is kept by the next one', async () => {
    const b = await signerFor('platform-b');
    const r = await propagate(tmp.file('lib-declared.jpg'), {
      signer: b,
      propagator: CODES.platformB,
      trust: trust(),
      output: tmp.file('declared-b.jpg'),
    });
    expect(r.decision).toMatchObject({ prompt: 'possibly-ai-generated', label: '2' });
    expect(r.label).toMatchObject({ Label: '2', ContentPropagator: CODES.platformB });
    const v = await verify(tmp.file('declared-b.jpg'), { trust: trust() });
    expect(v.validation_state).toBe('Trusted');
    expect(v.chain.map((s) => s.signer?.provider_code)).toEqual([CODES.platformA, CODES.platformB]);
  });

  it('a labelled upload without any manifest: the producer is unverified, not orphaned (nothing was stripped)', async () => {
    const r = await propagate(gen('images', 'doubao-like.jpg'), {
      signer: platformA,
      propagator: CODES.platformA,
      trust: trust(),
      output: tmp.file('doubao-a.jpg'),
    });
    expect(r.decision).toMatchObject({ prompt: 'ai-generated', label: '1' });
    const v = await verify(tmp.file('doubao-a.jpg'), { trust: trust() });
    expect(v.validation_state).toBe('Trusted');
    expect(labelCodes(v)).toContain('gb45438.producer.unverified');
    expect(labelCodes(v)).not.toContain('gb45438.label.orphaned');
  });
});

describe('producer fields are carried verbatim', () => {
  it('even outside the Annex E j) character set (regression: propagate refused such uploads)', async () => {
    const vendor = {
      Label: '1',
      ContentProducer: 'MiniMax',
      ProduceID: 'id with space 生成',
      ReservedCode1: 'e862483430d978cbf828b8b24296ef9328d843a0',
      ContentPropagator: 'MiniMax',
      PropagateID: 'id with space 生成',
      ReservedCode2: '',
    };
    const upload = await rewriteLabel(
      await readFile(gen('images', 'seed.jpg')),
      vendor,
      (await readStore(await readFile(cfx('stamped.jpg')))).bytes,
    );
    const r = await propagate(upload, { signer: platformA, propagator: CODES.platformA, propagateId: 'A-1' });
    expect(r.label).toMatchObject({
      ...vendor,
      ContentPropagator: CODES.platformA,
      PropagateID: 'A-1',
      ReservedCode2: expect.stringContaining('SecurityData'),
    });
    const v = await verify(r.bytes!, { trust: trust() });
    expect(v.labels.gb45438?.fields).toEqual(r.label);
    expect(v.validation_state).toBe('Trusted');
    expect(labelCodes(v)).toEqual(
      expect.arrayContaining(['gb45438.label.charset', 'gb45438.securityData.opaque', 'gb45438.securityData.keyMatch']),
    );
  });
});

describe('propagate refuses bad requests with typed errors and writes nothing', () => {
  const out = () => tmp.file(`refused-${Math.random().toString(36).slice(2)}.jpg`);

  it.each([
    [
      "a propagator code that is not its certificate's",
      () => ({ input: cfx('stamped.jpg'), propagator: CODES.platformB }),
      InvalidArgumentError,
    ],
    ['a malformed propagator code', () => ({ input: cfx('stamped.jpg'), propagator: 'PLATFORM-A' }), InvalidArgumentError],
    ['a PropagateID outside Annex E j)', () => ({ input: cfx('stamped.jpg'), propagateId: 'has space' }), InvalidArgumentError],
    ['a missing input', () => ({ input: tmp.file('nope.jpg') }), IoError],
    ['an unsupported format', () => ({ input: gen('images', 'recipes.json') }), UnsupportedFormatError],
    ['a transcode of lossless audio', () => ({ input: gen('audio', 'seed.wav'), transcode: {} }), InvalidArgumentError],
  ] as const)('%s', async (_what, make, type) => {
    const o = make() as { input: string; propagator?: string; propagateId?: string; transcode?: object };
    const output = out();
    await expect(
      propagate(o.input, {
        signer: platformA,
        propagator: o.propagator ?? CODES.platformA,
        output,
        ...(o.transcode ? { transcode: o.transcode } : {}),
        ...(o.propagateId ? { propagateId: o.propagateId } : {}),
      }),
    ).rejects.toBeInstanceOf(type);
    expect(existsSync(output)).toBe(false);
  });

  it('decide() refuses what propagate cannot read, even with acceptInvalid, and does not throw', async () => {
    const cut = tmp.file('cut-decide.jpg');
    await writeFile(cut, (await readFile(cfx('stamped.jpg'))).subarray(0, 1000));
    for (const input of [tmp.file('nope.jpg'), gen('images', 'recipes.json'), cut])
      for (const acceptInvalid of [false, true]) {
        const { decision, incoming } = await decide(input, { acceptInvalid });
        expect(incoming.error, input).toBeDefined();
        expect(decision.policy?.verdict, input).toBe('refuse');
        expect(decision.policy?.unreadable, input).toBe(incoming.error?.code);
        expect(decision.reasons[0]).toBe(`REFUSED: the upload cannot be read (${incoming.error?.code}); there is nothing to sign over`);
      }
    // a readable upload without a manifest is still accepted
    expect((await decide(gen('images', 'bench-1024.jpg'))).decision.policy?.verdict).toBe('accept');
  });

  it('a JPEG cut inside its header segments', async () => {
    const cut = tmp.file('cut.jpg');
    await writeFile(cut, (await readFile(cfx('stamped.jpg'))).subarray(0, 1000));
    const output = out();
    await expect(propagate(cut, { signer: platformA, propagator: CODES.platformA, output })).rejects.toBeInstanceOf(MalformedInputError);
    expect(existsSync(output)).toBe(false);
  });

  it('writing over the input without inPlace', async () => {
    const copy = tmp.file('copy.jpg');
    await writeFile(copy, await readFile(cfx('stamped.jpg')));
    await expect(propagate(copy, { signer: platformA, propagator: CODES.platformA, output: copy })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await readFile(copy)).toEqual(await readFile(cfx('stamped.jpg')));
  });

  it('the CLI maps them to exit codes and writes nothing', async () => {
    const a = cred('platform-a');
    const [wrongCode, missing] = await Promise.all([
      aigc([
        'propagate',
        cfx('stamped.jpg'),
        '-o',
        tmp.file('cli-wrong.jpg'),
        '--cert',
        a.chainPath,
        '--key',
        a.keyPath,
        '--propagator',
        CODES.platformB,
      ]),
      aigc([
        'propagate',
        tmp.file('nope.jpg'),
        '-o',
        tmp.file('cli-missing.jpg'),
        '--cert',
        a.chainPath,
        '--key',
        a.keyPath,
        '--propagator',
        CODES.platformA,
      ]),
    ]);
    expect(wrongCode.code).toBe(64);
    expect(wrongCode.stderr).toContain('INVALID_ARGUMENT');
    expect(missing.code).toBe(66);
    expect(existsSync(tmp.file('cli-wrong.jpg'))).toBe(false);
    expect(existsSync(tmp.file('cli-missing.jpg'))).toBe(false);
  });
});
