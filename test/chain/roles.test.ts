/**
 * Issue #12 §3: roles enforced everywhere. A producer certificate cannot propagate and a
 * propagator certificate cannot stamp (library and CLI); files signed across roles by other
 * tools are flagged by `verify` with `gb45438.role.mismatch`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateError } from '../../src/errors.ts';
import { propagate } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { checkRoles } from '../../src/verify/labels/role-check.ts';
import type { ChainStep } from '../../src/verify/report/report.ts';
import { codeRole, roleFrom } from '../../src/pki/service-role.ts';
import { gen } from '../helpers.ts';
import { sdkSign } from '../sdk.ts';
import { signCreation, signedProducerLabel } from './forge.ts';
import { aigc, cfx, CODES, cred, labelCodes, ROOTS, signerFor, tempDir, trust } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('roles');
});
afterAll(() => tmp.cleanup());

describe('signing is refused across roles', () => {
  it('stamp() refuses a propagator certificate', async () => {
    const out = tmp.file('stamp-by-platform.jpg');
    const err = await stamp(gen('images', 'seed.jpg'), {
      signer: await signerFor('platform-a'),
      producer: CODES.platformA,
      output: out,
      explicitLabel: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateError);
    expect((err as Error).message).toMatch(
      /is a propagator certificate \(001191000000EXAMPLEA2520000\): only a producer certificate may stamp/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('propagate() refuses a producer certificate', async () => {
    const out = tmp.file('propagate-by-producer.jpg');
    const err = await propagate(cfx('stamped.jpg'), {
      signer: await signerFor('es256'),
      propagator: CODES.producer,
      trust: trust(),
      output: out,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateError);
    expect((err as Error).message).toMatch(/is a producer certificate .*only a propagator certificate may propagate/);
    expect(existsSync(out)).toBe(false);
  });

  it('the CLI refuses both (exit 65, one clear line, nothing written)', async () => {
    const p = cred('platform-a');
    const s = cred('es256');
    const [st, pr] = await Promise.all([
      aigc([
        'stamp',
        gen('images', 'seed.jpg'),
        '-o',
        tmp.file('cli-stamp.jpg'),
        '--cert',
        p.chainPath,
        '--key',
        p.keyPath,
        '--producer',
        CODES.platformA,
        '--no-explicit',
      ]),
      aigc([
        'propagate',
        cfx('stamped.jpg'),
        '-o',
        tmp.file('cli-prop.jpg'),
        '--cert',
        s.chainPath,
        '--key',
        s.keyPath,
        '--propagator',
        CODES.producer,
        '--trust',
        ROOTS,
      ]),
    ]);
    expect(st.code).toBe(65);
    expect(st.stderr).toMatch(/^aigc: error \[CERTIFICATE_ERROR\]: the signing certificate is a propagator certificate/);
    expect(pr.code).toBe(65);
    expect(pr.stderr).toMatch(/^aigc: error \[CERTIFICATE_ERROR\]: the signing certificate is a producer certificate/);
    expect(existsSync(tmp.file('cli-stamp.jpg')) || existsSync(tmp.file('cli-prop.jpg'))).toBe(false);
  });
});

describe('verify flags files signed across roles by other tools', () => {
  it('a creation manifest signed by a propagator certificate with the reference SDK', async () => {
    const out = tmp.file('sdk-created-by-platform.jpg');
    await sdkSign(gen('images', 'seed.jpg'), out, {
      chainPem: readFileSync(cred('platform-a').chainPath),
      keyPem: readFileSync(cred('platform-a').keyPath),
      alg: 'es256',
    });
    const r = await verify(out, { trust: trust() });
    expect(r.c2pa_validation_state).toBe('Trusted');
    expect(r.validation_state).toBe('Invalid');
    const e = r.labels.status.find((x) => x.code === 'gb45438.role.mismatch');
    expect(e?.explanation).toMatch(
      /^step 0 \(creation, .*\) is a creation step but its signer holds a propagator certificate \(001191000000EXAMPLEA2520000\): only a producer may sign it$/,
    );
  });

  it("a forged creation whose label names the platform's code as producer", async () => {
    const platform = await signerFor('platform-a');
    const label = await signedProducerLabel(platform, CODES.platformA, 'role-forgery-1');
    const forged = await signCreation(await readFile(gen('images', 'seed.jpg')), { signer: platform, label });
    const r = await verify(forged, { trust: trust() });
    expect(r.validation_state).toBe('Invalid');
    const mismatches = r.labels.status.filter((x) => x.code === 'gb45438.role.mismatch').map((x) => x.explanation);
    expect(mismatches).toHaveLength(2);
    expect(mismatches[1]).toMatch(
      /ContentProducer 001191000000EXAMPLEA2520000 is a propagator's code \(its certificate in the chain is a propagator's\)/,
    );
  });

  it('a file stamped and propagated by the right roles has no role finding', async () => {
    const r = await verify(cfx('platform-a.jpg'), { trust: trust() });
    expect(r.validation_state).toBe('Trusted');
    expect(labelCodes(r)).not.toContain('gb45438.role.mismatch');
  });
});

describe('role rules', () => {
  const step = (index: number, role: ChainStep['role'], ou: string | undefined, code: string | undefined): ChainStep => ({
    index,
    manifest: `urn:c2pa:${index}`,
    role,
    actions: [],
    validation_state: 'Trusted',
    failures: [],
    signer: { alg: 'Es256', ...(ou ? { role: ou } : {}), ...(code ? { provider_code: code } : {}) },
  });

  it("reads a role from the OU and the code's service type, and a conflict between them", () => {
    expect(codeRole(CODES.producer)).toBe('producer');
    expect(codeRole(CODES.platformB)).toBe('propagator');
    expect(codeRole('001191000000EXAMPLE01P00000')).toBeUndefined();
    expect(roleFrom('producer', CODES.platformA).conflict).toMatch(/OU says producer but provider code .* is a content-propagation/);
    expect(roleFrom(undefined, undefined)).toEqual({});
  });

  it('a propagation step signed by a producer, and a label naming a producer as propagator', () => {
    const out = checkRoles([step(0, 'creation', 'producer', CODES.producer), step(1, 'propagation', 'producer', CODES.producer)], {
      ContentProducer: CODES.platformB,
      ContentPropagator: CODES.producer,
    });
    expect(out.map((e) => e.explanation)).toEqual([
      expect.stringMatching(/^step 1 \(propagation, urn:c2pa:1\) is a propagation step but its signer holds a producer certificate/),
      expect.stringMatching(/^ContentProducer 001191000000EXAMPLEB3920001 is a propagator's code \(service type 2\)/),
      expect.stringMatching(
        /^ContentPropagator 001191000000EXAMPLE01P10000 is a producer's code \(its certificate in the chain is a producer's\), not the label's producer/,
      ),
    ]);
  });

  it('an edit step may be signed by either role; a producer may name itself as propagator (Annex E Note 1)', () => {
    expect(
      checkRoles([step(0, 'creation', 'producer', CODES.producer), step(1, 'edit', 'propagator', CODES.platformA)], {
        ContentProducer: CODES.producer,
        ContentPropagator: CODES.producer,
      }),
    ).toEqual([]);
  });
});
