/**
 * Stapled OCSP judged alike by the reference SDK (c2pa-node 0.8.0 = c2pa-rs 0.90.1) and by us:
 * a "good" answer, "revoked" answers with and without a reason, before and after a trusted
 * time-stamp, "unknown", and a response that embeds only the responder certificate (c2pa-rs
 * builds the responder's path from the response's own certificates, so that one counts in
 * neither tool). c2pa-rs logs `signingCredential.ocsp.revoked` and then refuses the file
 * (`CertificateTrustError(CertificateNotTrusted)`); we report it as a failure: Invalid.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus, ResponseBytes, id_pkix_ocsp_basic } from '@peculiar/asn1-ocsp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { caResponderOptions } from '../../src/ocsp/ca-responder.ts';
import { fetchSignerOcsp } from '../../src/ocsp/client.ts';
import { startOcspServer, type OcspResponderOptions, type SerialStatus } from '../../src/ocsp/responder.ts';
import { embedAndWrite } from '../../src/service/embed.ts';
import { openInput } from '../../src/service/input.ts';
import { verify } from '../../src/service/verify.ts';
import { ACTIONS_LABEL, buildActions } from '../../src/manifest/index.ts';
import { startTsaServer, type TsaServer } from '../../src/tsa/server.ts';
import { tsaTimestamper } from '../../src/tsa/client.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { sdkRead, type ManifestStore } from '../sdk.ts';
import { makeKit, type Kit } from './pki-kit.ts';

let kit: Kit;
let tsa: TsaServer;
let signer: Signer;
let base: OcspResponderOptions;

beforeAll(async () => {
  kit = await makeKit('ocsp-parity');
  tsa = await startTsaServer({ chain: kit.tsa.chain, key: kit.tsa.key });
  signer = await loadSigner(kit.signer);
  base = await caResponderOptions({ caDir: kit.caDir, responderChainPath: kit.ocsp.chainPath, responderKeyPath: kit.ocsp.keyPath });
});
afterAll(async () => {
  await tsa?.close();
  await kit?.cleanup();
});

/** Our responder's answer for the signer, with the given status. */
async function answer(st: SerialStatus): Promise<Uint8Array> {
  const server = await startOcspServer({ ...base, lookup: () => st });
  try {
    return (await fetchSignerOcsp(signer.certChain, { url: server.url }))!.der;
  } finally {
    await server.close();
  }
}

/** Sign the kit's image with `der` stapled (and a time-stamp when asked). */
async function stapled(name: string, der: Uint8Array, timestamped: boolean): Promise<string> {
  const src = await openInput(kit.image);
  const out = kit.file(`${name}-${timestamped ? 'ts' : 'plain'}.jpg`);
  try {
    await embedAndWrite(
      {
        src: src.src,
        handler: src.handler,
        signer,
        ocspVals: [der],
        ...(timestamped ? { timestamp: tsaTimestamper({ url: tsa.url }) } : {}),
        assertions: [
          {
            label: ACTIONS_LABEL,
            data: buildActions([
              { action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia' },
            ]),
          },
        ],
      },
      out,
    );
  } finally {
    await src.close();
  }
  return out;
}

type Lists = { success: string[]; informational: string[]; failure: string[] };
const ocspOnly = (codes: readonly { code: string }[]) => codes.map((e) => e.code).filter((c) => c.startsWith('signingCredential.ocsp'));
function sdkLists(s: ManifestStore | null): Lists {
  const am = s!.validation_results!.activeManifest!;
  return { success: ocspOnly(am.success), informational: ocspOnly(am.informational), failure: ocspOnly(am.failure) };
}
function ourLists(r: VerifyReport): Lists {
  const am = r.validation_results!.activeManifest!;
  return { success: ocspOnly(am.success), informational: ocspOnly(am.informational), failure: ocspOnly(am.failure) };
}
const NONE: Lists = { success: [], informational: [], failure: [] };
const NOT_REVOKED: Lists = { success: [], informational: ['signingCredential.ocsp.notRevoked'], failure: [] };

describe.each([false, true])('stapled OCSP (time-stamped: %s)', (ts) => {
  it('"good": signingCredential.ocsp.notRevoked (informational) in both tools, Trusted', async () => {
    const file = await stapled('good', await answer({ status: 'good' }), ts);
    const sdk = await sdkRead(file, { anchorsPem: kit.rootPem });
    const ours = await verify(file, { trust: { anchorsPem: kit.rootPem } });
    expect(sdk?.validation_state).toBe('Trusted');
    expect(sdkLists(sdk)).toEqual(NOT_REVOKED);
    expect(ours.validation_state).toBe('Trusted');
    expect(ourLists(ours)).toEqual(NOT_REVOKED);
    // No anchor for the responder: neither tool counts the response.
    expect(sdkLists(await sdkRead(file, {}))).toEqual(NONE);
    expect(ourLists(await verify(file, { trust: { defaultTrust: false } }))).toEqual(NONE);
  });

  it('"revoked" after signing, no reason: the SDK refuses the file, we report signingCredential.ocsp.revoked', async () => {
    const file = await stapled('revoked', await answer({ status: 'revoked', revokedAt: new Date(Date.now() + 2_000) }), ts);
    await expect(sdkRead(file, { anchorsPem: kit.rootPem })).rejects.toThrow(/certificate is not trusted/);
    const ours = await verify(file, { trust: { anchorsPem: kit.rootPem } });
    expect(ours.validation_state).toBe('Invalid');
    expect(ourLists(ours)).toEqual({ ...NONE, failure: ['signingCredential.ocsp.revoked'] });
  });

  it('"revoked" (keyCompromise) after signing: counts only without a trusted time-stamp', async () => {
    const file = await stapled(
      'key-compromise',
      await answer({ status: 'revoked', revokedAt: new Date(Date.now() + 60_000), reason: 1 }),
      ts,
    );
    const ours = await verify(file, { trust: { anchorsPem: kit.rootPem } });
    if (ts) {
      // Signed (by the TSA's clock) before the revocation: no code in either tool.
      const sdk = await sdkRead(file, { anchorsPem: kit.rootPem });
      expect(sdk?.validation_state).toBe('Trusted');
      expect(sdkLists(sdk)).toEqual(NONE);
      expect(ours.validation_state).toBe('Trusted');
      expect(ourLists(ours)).toEqual(NONE);
    } else {
      await expect(sdkRead(file, { anchorsPem: kit.rootPem })).rejects.toThrow(/certificate is not trusted/);
      expect(ourLists(ours)).toEqual({ ...NONE, failure: ['signingCredential.ocsp.revoked'] });
    }
  });

  it('"revoked" with removeFromCRL dated after signing: no code in either tool', async () => {
    const file = await stapled(
      'remove-from-crl',
      await answer({ status: 'revoked', revokedAt: new Date(Date.now() + 60_000), reason: 8 }),
      ts,
    );
    const sdk = await sdkRead(file, { anchorsPem: kit.rootPem });
    const ours = await verify(file, { trust: { anchorsPem: kit.rootPem } });
    expect([sdk?.validation_state, sdkLists(sdk)]).toEqual(['Trusted', NONE]);
    expect([ours.validation_state, ourLists(ours)]).toEqual(['Trusted', NONE]);
  });

  it('"unknown", and a response without the responder\'s issuing chain: no OCSP code in either tool', async () => {
    const unknown = await stapled('unknown', await answer({ status: 'unknown' }), ts);
    const bare = await stapled('bare', withoutIssuers(await answer({ status: 'good' })), ts);
    for (const file of [unknown, bare]) {
      const sdk = await sdkRead(file, { anchorsPem: kit.rootPem });
      const ours = await verify(file, { trust: { anchorsPem: kit.rootPem } });
      expect(sdk?.validation_state).toBe('Trusted');
      expect(sdkLists(sdk)).toEqual(NONE);
      expect(ours.validation_state).toBe('Trusted');
      expect(ourLists(ours)).toEqual(NONE);
    }
  });
});

/** The same response with only the responder certificate embedded (as we wrote it before). */
function withoutIssuers(der: Uint8Array): Uint8Array {
  const r = AsnConvert.parse(der, OCSPResponse);
  const b = AsnConvert.parse(r.responseBytes!.response.buffer, BasicOCSPResponse);
  expect(b.certs?.length).toBe(2);
  b.certs = b.certs!.slice(0, 1);
  return new Uint8Array(
    AsnConvert.serialize(
      new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(b)) }),
      }),
    ),
  );
}

describe('inspect decodes the stapled response (#14)', () => {
  it('in the report, the tree and --detailed: status, thisUpdate/nextUpdate, revocation time and reason, responder', async () => {
    const revokedAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    const file = await stapled('decoded', await answer({ status: 'revoked', revokedAt, reason: 1 }), true);
    const r = await verify(file, { trust: { anchorsPem: kit.rootPem } });
    const o = r.manifests[r.active_manifest!]!.signature_info!.ocsp!;
    expect(o.response_status).toBe('successful');
    expect(o.responder).toMatch(/CN=AIGC Provenance Test OCSP Responder/);
    expect(o.certificates).toHaveLength(2);
    expect(o.responses).toHaveLength(1);
    const e = o.responses![0]!;
    expect(e).toMatchObject({ status: 'revoked', revoked_at: revokedAt.toISOString(), reason: 'keyCompromise', for_signer: true });
    expect(Date.parse(e.next_update!) - Date.parse(e.this_update)).toBe(24 * 3600_000);
    const { formatInspectTree } = await import('../../src/verify/render/format-tree.ts');
    const tree = formatInspectTree(r, file);
    expect(tree).toContain(
      `OCSP response stapled (rVals): the responder says revoked (revoked ${revokedAt.toISOString()}, keyCompromise) for this certificate`,
    );
    expect(tree).toMatch(/thisUpdate \S+, nextUpdate \S+/);
    const { aigc } = await import('../cli/helpers.ts');
    const run = await aigc(['inspect', file, '--detailed', '--json', '--trust', kit.file('ca/root.pem')]);
    const d = JSON.parse(run.stdout) as {
      detailed: Record<string, { cose: { unprotected: { rVals: { ocspVals: { status?: string; responses: { status: string }[] }[] } } } }>;
    };
    const vals = Object.values(d.detailed)[0]!.cose.unprotected.rVals.ocspVals;
    expect(vals[0]!.responses[0]!.status).toBe('revoked');
    expect(JSON.stringify(vals)).not.toMatch(/<\d+ bytes>/);
  });
});

describe('stapling a responder that embeds only its own certificate', () => {
  it("stamp adds the responder's issuing CA (outside the signed data): notRevoked in both tools", async () => {
    const { stamp } = await import('../../src/service/stamp.ts');
    const server = await startOcspServer({ ...base, signerChain: [] });
    try {
      const raw = (await fetchSignerOcsp(signer.certChain, { url: server.url }))!.der;
      expect(certCount(raw)).toBe(1);
      const out = kit.file('completed.jpg');
      await stamp(kit.image, {
        signer,
        producer: '001191000000EXAMPLE01P10000',
        output: out,
        explicitLabel: false,
        ocsp: { url: server.url },
      });
      const sdk = await sdkRead(out, { anchorsPem: kit.rootPem });
      expect(sdkLists(sdk)).toEqual(NOT_REVOKED);
      const ours = await verify(out, { trust: { anchorsPem: kit.rootPem } });
      expect(ourLists(ours)).toEqual(NOT_REVOKED);
    } finally {
      await server.close();
    }
  });

  it('leaves a response alone when it already names the issuer, or when nothing in the x5chain issued its responder', async () => {
    const { completeResponderChain } = await import('../../src/ocsp/staple.ts');
    const full = await answer({ status: 'good' });
    expect(completeResponderChain(full, signer.certChain)).toBe(full);
    const bare = withoutIssuers(full);
    expect(certCount(completeResponderChain(bare, signer.certChain))).toBe(2);
    expect(completeResponderChain(bare, signer.certChain.slice(0, 1))).toBe(bare);
    const garbage = new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x00]);
    expect(completeResponderChain(garbage, signer.certChain)).toBe(garbage);
  });
});

function certCount(der: Uint8Array): number {
  const r = AsnConvert.parse(der, OCSPResponse);
  return AsnConvert.parse(r.responseBytes!.response.buffer, BasicOCSPResponse).certs?.length ?? 0;
}
