/**
 * Signing with a TSA and OCSP, checked in both tools: files stamped with `--tsa` read
 * `timeStamp.validated` + `timeStamp.trusted` in the reference SDK (TSA root as anchor) and
 * in ours; once the signer's certificate has expired, a time-stamped file stays Trusted in
 * both and an untimestamped one does not; OCSP stapling with our responder (openssl ocsp
 * agrees with its answers), revoked signers refused, stapled good/revoked responses judged.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { loadCa, createServiceCertificate, issueServiceCertificate } from '../../src/pki/ca.ts';
import { propagate } from '../../src/service/propagate.ts';
import { toPem } from '../../src/pki/pem.ts';
import { writeFileAtomic, writePrivateKey } from '../../src/crypto/keys.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { embedAndWrite } from '../../src/service/embed.ts';
import { openInput } from '../../src/service/input.ts';
import { ACTIONS_LABEL, buildActions } from '../../src/manifest/index.ts';
import { startTsaServer, type TsaServer } from '../../src/tsa/server.ts';
import { startOcspServer, type OcspServer } from '../../src/ocsp/responder.ts';
import { caResponderOptions } from '../../src/ocsp/ca-responder.ts';
import { fetchSignerOcsp } from '../../src/ocsp/client.ts';
import { revokeCertificate } from '../../src/pki/revocation.ts';
import { SigningError } from '../../src/errors.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { sdkRead, type ManifestStore } from '../sdk.ts';
import { CODE, makeKit, type Kit } from './pki-kit.ts';

let kit: Kit;
let tsa: TsaServer;
let ocsp: OcspServer;

const sdkCodes = (s: ManifestStore | null): string[] => {
  const am = s?.validation_results?.activeManifest;
  return am ? [...am.success, ...am.informational, ...am.failure].map((e) => e.code) : [];
};
const ourCodes = (r: VerifyReport): string[] => {
  const am = r.validation_results?.activeManifest;
  return am ? [...am.success, ...am.informational, ...am.failure].map((e) => e.code) : [];
};

beforeAll(async () => {
  kit = await makeKit('sign-interop');
  tsa = await startTsaServer({ chain: kit.tsa.chain, key: kit.tsa.key });
  ocsp = await startOcspServer(
    await caResponderOptions({ caDir: kit.caDir, responderChainPath: kit.ocsp.chainPath, responderKeyPath: kit.ocsp.keyPath }),
  );
});
afterAll(async () => {
  await tsa?.close();
  await ocsp?.close();
  await kit?.cleanup();
});

describe('stamp --tsa', () => {
  it('the SDK and we report timeStamp.validated and timeStamp.trusted', async () => {
    const signer = await loadSigner(kit.signer);
    const out = kit.file('tsa.jpg');
    const r = await stamp(kit.image, { signer, producer: CODE, output: out, explicitLabel: false, tsa: tsa.url });
    expect(r.warnings).toEqual([]);
    const sdk = await sdkRead(out, { anchorsPem: kit.rootPem });
    expect(sdk?.validation_state).toBe('Trusted');
    expect(sdkCodes(sdk)).toEqual(expect.arrayContaining(['timeStamp.validated', 'timeStamp.trusted']));
    const ours = await verify(out, { trust: { anchorsPem: kit.rootPem } });
    expect(ours.validation_state).toBe('Trusted');
    expect(ourCodes(ours)).toEqual(expect.arrayContaining(['timeStamp.validated', 'timeStamp.trusted']));
    // Without the TSA's root among the anchors (and not a public root) both call it untrusted.
    const bare = await verify(out, {});
    expect(ourCodes(bare)).toEqual(expect.arrayContaining(['timeStamp.validated', 'timeStamp.untrusted']));
    expect(sdkCodes(await sdkRead(out, {}))).toEqual(expect.arrayContaining(['timeStamp.validated', 'timeStamp.untrusted']));
  });

  it('after the signer expires, the time-stamped file stays Trusted in both tools and the other does not', async () => {
    const ca = await loadCa(kit.caDir);
    const now = Date.now();
    const { cert, privateKey } = createServiceCertificate({
      org: 'Test Org',
      service: 'Short Lived',
      code: CODE,
      role: 'producer',
      issuer: ca.intermediate,
      issuerKey: ca.intermediateKey,
      alg: 'es256',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 4_000),
    });
    await mkdir(kit.file('short'), { recursive: true });
    const chainPath = kit.file('short/chain.pem');
    const keyPath = kit.file('short/key.pem');
    await writeFileAtomic(chainPath, toPem('CERTIFICATE', cert.der) + toPem('CERTIFICATE', ca.intermediate.der));
    await writePrivateKey(keyPath, privateKey);
    const signer = await loadSigner({ chainPath, keyPath });
    const withTs = kit.file('short-ts.jpg');
    const without = kit.file('short-plain.jpg');
    await stamp(kit.image, { signer, producer: CODE, output: withTs, explicitLabel: false, tsa: tsa.url });
    await stamp(kit.image, { signer, producer: CODE, output: without, explicitLabel: false });
    const wait = cert.notAfter.getTime() + 1_500 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect((await sdkRead(withTs, { anchorsPem: kit.rootPem }))?.validation_state).toBe('Trusted');
    expect((await sdkRead(without, { anchorsPem: kit.rootPem }))?.validation_state).not.toBe('Trusted');
    const later = new Date(cert.notAfter.getTime() + 86_400_000 * 400);
    expect((await verify(withTs, { trust: { anchorsPem: kit.rootPem }, at: later })).validation_state).toBe('Trusted');
    const plain = await verify(without, { trust: { anchorsPem: kit.rootPem }, at: later });
    expect(plain.validation_state).not.toBe('Trusted');
    expect(ourCodes(plain)).toContain('signingCredential.expired');
  }, 30_000);

  it('a TSA that is down writes nothing, or warns with tsa.optional', async () => {
    const signer = await loadSigner(kit.signer);
    const dead = 'http://127.0.0.1:9/';
    const out = kit.file('dead.jpg');
    await expect(
      stamp(kit.image, { signer, producer: CODE, output: out, explicitLabel: false, tsa: { url: dead, retries: 0 } }),
    ).rejects.toThrow(SigningError);
    expect(existsSync(out)).toBe(false);
    const r = await stamp(kit.image, {
      signer,
      producer: CODE,
      output: out,
      explicitLabel: false,
      tsa: { url: dead, retries: 0, optional: true },
    });
    expect(r.warnings.join()).toMatch(/signed without a time-stamp/);
    expect(ourCodes(await verify(out, { trust: { anchorsPem: kit.rootPem } }))).not.toContain('timeStamp.validated');
  });
});

describe('OCSP', () => {
  it("openssl ocsp accepts our responder's answer", async () => {
    const leaf = kit.file('leaf.pem');
    const issuer = kit.file('ca/intermediate.pem');
    execFileSync('openssl', ['x509', '-in', kit.signer.chainPath, '-out', leaf]);
    // Asynchronously: the responder answers from this process.
    const { stdout: out } = await promisify(execFile)(
      'openssl',
      ['ocsp', '-issuer', issuer, '-cert', leaf, '-url', ocsp.url, '-CAfile', kit.file('ca/root.pem'), '-verify_other', issuer],
      { timeout: 20_000 },
    );
    expect(out).toContain(`${leaf}: good`);
  });

  it('a stapled good response gives signingCredential.ocsp.notRevoked; a revoked signer is refused', async () => {
    const signer = await loadSigner(kit.signer);
    const good = kit.file('ocsp-good.jpg');
    await stamp(kit.image, { signer, producer: CODE, output: good, explicitLabel: false, tsa: tsa.url, ocsp: { url: ocsp.url } });
    const ours = await verify(good, { trust: { anchorsPem: kit.rootPem } });
    expect(ours.validation_state).toBe('Trusted');
    expect(ourCodes(ours)).toContain('signingCredential.ocsp.notRevoked');
    const sdk = await sdkRead(good, { anchorsPem: kit.rootPem });
    expect(sdk?.validation_state).toBe('Trusted');
    expect(sdkCodes(sdk)).toContain('signingCredential.ocsp.notRevoked');

    await revokeCertificate({ caDir: kit.caDir, certPath: kit.signer.chainPath });
    const refused = kit.file('ocsp-refused.jpg');
    await expect(
      stamp(kit.image, { signer, producer: CODE, output: refused, explicitLabel: false, ocsp: { url: ocsp.url } }),
    ).rejects.toThrow(/revoked.*refusing to sign/);
    expect(existsSync(refused)).toBe(false);

    // A file carrying a stapled "revoked" response (signed before we refused, or by another tool).
    const revoked = await fetchSignerOcsp(signer.certChain, { url: ocsp.url });
    expect(revoked?.status).toBe('revoked');
    const src = await openInput(kit.image);
    const bad = kit.file('ocsp-revoked.jpg');
    try {
      await embedAndWrite(
        {
          src: src.src,
          handler: src.handler,
          signer,
          ocspVals: [revoked!.der],
          assertions: [
            {
              label: ACTIONS_LABEL,
              data: buildActions([
                { action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia' },
              ]),
            },
          ],
        },
        bad,
      );
    } finally {
      await src.close();
    }
    const r = await verify(bad, { trust: { anchorsPem: kit.rootPem } });
    expect(r.validation_state).toBe('Invalid');
    expect(r.validation_results?.activeManifest?.failure.map((e) => e.code)).toContain('signingCredential.ocsp.revoked');
    // c2pa-rs 0.90 logs signingCredential.ocsp.revoked and then refuses to read the file.
    await expect(sdkRead(bad, { anchorsPem: kit.rootPem })).rejects.toThrow(/certificate is not trusted/);
  });
});

describe('a certificate that names its OCSP responder (AIA)', () => {
  const PLATFORM = '001191000000EXAMPLEA2520000';
  it('propagate staples by default and time-stamps; a responder that is down only warns', async () => {
    const stamped = kit.file('aia-in.jpg');
    await issueServiceCertificate({
      caDir: kit.caDir,
      outDir: kit.file('aia'),
      service: 'Platform',
      org: 'Test Org',
      code: PLATFORM,
      role: 'propagator',
      ocspUrl: ocsp.url,
    });
    await issueServiceCertificate({
      caDir: kit.caDir,
      outDir: kit.file('aia-dead'),
      service: 'Platform',
      org: 'Test Org',
      code: PLATFORM,
      role: 'propagator',
      ocspUrl: 'http://127.0.0.1:9/',
    });
    const platform = await loadSigner({ chainPath: kit.file('aia/chain.pem'), keyPath: kit.file('aia/key.pem') });
    await stamp(kit.image, { signer: await loadSigner(kit.signer), producer: CODE, output: stamped, explicitLabel: false, ocsp: false });
    const out = kit.file('aia-out.jpg');
    const r = await propagate(stamped, {
      signer: platform,
      propagator: PLATFORM,
      output: out,
      trust: { anchorsPem: kit.rootPem },
      tsa: tsa.url,
    });
    expect(r.warnings).toEqual([]);
    const codes = ourCodes(await verify(out, { trust: { anchorsPem: kit.rootPem } }));
    expect(codes).toEqual(expect.arrayContaining(['signingCredential.ocsp.notRevoked', 'timeStamp.trusted']));

    const dead = await loadSigner({ chainPath: kit.file('aia-dead/chain.pem'), keyPath: kit.file('aia-dead/key.pem') });
    const w = await propagate(stamped, { signer: dead, propagator: PLATFORM, output: kit.file('aia-dead.jpg') });
    expect(w.warnings.join()).toMatch(/no OCSP response stapled: the OCSP responder http:\/\/127.0.0.1:9\/ failed after 3 attempt/);
    await expect(
      propagate(stamped, { signer: dead, propagator: PLATFORM, output: kit.file('aia-dead2.jpg'), ocsp: { retries: 0 } }),
    ).rejects.toThrow(SigningError);

    // Verification is offline unless asked: --ocsp-fetch asks the responder the certificate names.
    const unstapled = kit.file('aia-unstapled.jpg');
    await propagate(stamped, { signer: platform, propagator: PLATFORM, output: unstapled, ocsp: false, tsa: tsa.url });
    const trust = { anchorsPem: kit.rootPem };
    expect(ourCodes(await verify(unstapled, { trust })).filter((c) => c.includes('ocsp'))).toEqual([]);
    expect(ourCodes(await verify(unstapled, { trust: { ...trust, ocspFetch: true } }))).toContain('signingCredential.ocsp.notRevoked');
    expect(ourCodes(await verify(kit.file('aia-dead.jpg'), { trust: { ...trust, ocspFetch: true } }))).toContain(
      'signingCredential.ocsp.inaccessible',
    );
  });
});
