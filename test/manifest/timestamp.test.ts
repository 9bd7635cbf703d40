import { describe, expect, it } from 'vitest';
import { signClaim, timestampDataV1, timestampDataV2 } from '../../src/manifest/cose/sign.ts';
import { parseCoseSign1, verifyCoseSign1 } from '../../src/manifest/cose/verify.ts';
import { verifyTimestampToken } from '../../src/manifest/cose/timestamp.ts';
import { decodeCbor, encodeCbor, Tag } from '../../src/manifest/cbor.ts';
import { hasOpenssl, signerFor, tsaUnderTestCa } from './helpers/pki.ts';
import { makeTimestampToken } from './helpers/tsa.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const claim = encodeCbor({ instanceID: 'xmp:iid:ts', signature: 'self#jumbf=/c2pa/urn:c2pa:t/c2pa.signature' });
// Inside the validity of the TSA certificate the helper issues now (c2pa-rs checks it at genTime).
const genTime = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);

describe.skipIf(!hasOpenssl())('RFC 3161 time-stamps', () => {
  const tsa = hasOpenssl() ? tsaUnderTestCa() : undefined!;
  const signer = signerFor('es256', 'ES256');

  it('sigTst2: a local TSA token over the signature verifies, with genTime and the TSA chain', async () => {
    const cose = await signClaim(claim, signer, {
      size: 6000,
      timestamp: async (data) => makeTimestampToken(data, tsa.key, tsa.chain, { genTime }),
    });
    expect(cose.length).toBe(6000);
    const v = await verifyCoseSign1(cose, claim);
    expect(v.ok).toBe(true);
    expect(v.timestamps).toHaveLength(1);
    expect(v.timestamp).toMatchObject({ version: 2, status: 'valid', imprintAlg: 'sha256', policy: '1.2.3.4.1' });
    expect(v.timestamp!.genTime!.toISOString()).toBe(genTime.toISOString());
    expect(v.timestamp!.tsaChainDer.map(hex)).toEqual(tsa.chain.map(hex));
  });

  it('a token over other data is an imprint mismatch', async () => {
    const cose = await signClaim(claim, signer, {
      timestamp: async (data) => makeTimestampToken(data, tsa.key, tsa.chain, { imprintOver: claim }),
    });
    const v = await verifyCoseSign1(cose, claim);
    expect(v.ok).toBe(true);
    expect(v.timestamp).toMatchObject({ status: 'imprint-mismatch' });
    expect(v.timestamp!.genTime).toBeInstanceOf(Date);
  });

  it('a corrupted TSA signature is reported', async () => {
    const cose = await signClaim(claim, signer, {
      timestamp: async (data) => makeTimestampToken(data, tsa.key, tsa.chain, { badSignature: true }),
    });
    expect((await verifyCoseSign1(cose, claim)).timestamp).toMatchObject({ status: 'signature-invalid' });
  });

  it('sigTst (v1) covers the claim', async () => {
    const plain = await signClaim(claim, signer);
    const p = parseCoseSign1(plain);
    const token = makeTimestampToken(timestampDataV1(p.protectedRaw, claim), tsa.key, tsa.chain, { genTime });
    const u = new Map<unknown, unknown>([
      ['sigTst', { tstTokens: [{ val: token }] }],
      ['pad', new Uint8Array(0)],
    ]);
    const cose = encodeCbor(new Tag([p.protectedRaw, u, null, p.signature], 18));
    const v = await verifyCoseSign1(cose, claim);
    expect(v.ok).toBe(true);
    expect(v.timestamp).toMatchObject({ version: 1, status: 'valid' });
    // The same token does not fit the v2 rule.
    expect(verifyTimestampToken(token, timestampDataV2(p.protectedRaw, p.signature), 2).status).toBe('imprint-mismatch');
  });

  it('garbage tokens are malformed, never thrown', async () => {
    expect(verifyTimestampToken(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), claim, 2).status).toBe('malformed');
    const plain = decodeCbor<Tag>(await signClaim(claim, signer), { maps: 'maps' }).value;
    const [ph, , , sig] = plain.value as [Uint8Array, Map<unknown, unknown>, null, Uint8Array];
    const u = new Map<unknown, unknown>([['sigTst2', { tstTokens: [{ val: new Uint8Array([1, 2, 3]) }, { nope: 1 }] }]]);
    const v = await verifyCoseSign1(encodeCbor(new Tag([ph, u, null, sig], 18)), claim);
    expect(v.ok).toBe(true);
    // As in c2pa-rs: more than one token in the header is itself malformed.
    expect(v.timestamps.map((t) => t.status)).toEqual(['malformed']);
    expect(v.timestamps[0]!.message).toMatch(/only a single timestamp/);
  });
});
