import { describe, expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { isAnnexECharset, makeGb45438Label, parseGb45438, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import {
  makeSecurityData,
  producerMessage,
  propagatorMessage,
  rawToDer,
  SD_ALG_OIDS,
  verifySecurityData,
} from '../../src/labels/security-data.ts';
import { gen } from '../helpers.ts';

const FIELDS = {
  Label: '1',
  ContentProducer: '001191000000EXAMPLE01P10000',
  ProduceID: 'abc123',
  ContentPropagator: '001191000000EXAMPLE01P10000',
  PropagateID: 'abc123',
};

describe.each(['ed25519', 'es256'])('label security data (%s)', (alg) => {
  it('signs the producer fields, fits Annex E j) and verifies after a JSON round trip', async () => {
    const signer = await loadSigner({ chainPath: gen('pki', alg, 'chain.pem'), keyPath: gen('pki', alg, 'key.pem') });
    const label = makeGb45438Label(FIELDS);
    const sd = await makeSecurityData(signer, producerMessage(label));
    expect(isAnnexECharset(sd)).toBe(true);
    const stamped = makeGb45438Label({ ...FIELDS, ReservedCode1: sd });
    const back = parseGb45438(serializeGb45438(stamped)).label;
    const check = verifySecurityData(back.ReservedCode1, producerMessage(back));
    expect(check.status).toBe('valid');
    expect(check.algId).toBe(alg === 'ed25519' ? SD_ALG_OIDS.Ed25519 : SD_ALG_OIDS.ES256);
    expect(check.keyId).toMatch(/^[0-9A-F]{64}$/);
  });

  it('detects an edited field', async () => {
    const signer = await loadSigner({ chainPath: gen('pki', alg, 'chain.pem'), keyPath: gen('pki', alg, 'key.pem') });
    const label = makeGb45438Label(FIELDS);
    const sd = await makeSecurityData(signer, propagatorMessage(label));
    expect(verifySecurityData(sd, propagatorMessage(label)).status).toBe('valid');
    const edited = makeGb45438Label({ ...FIELDS, PropagateID: 'other' });
    expect(verifySecurityData(sd, propagatorMessage(edited)).status).toBe('invalid');
  });
});

describe('security data parsing', () => {
  it('reports malformed values without throwing', () => {
    expect(verifySecurityData('not json', 'x').status).toBe('malformed');
    expect(verifySecurityData('{"SecurityData":{}}', 'x').status).toBe('malformed');
    expect(
      verifySecurityData(
        '{"SecurityData":{"PubSD":[{"Type":"DS","AlgID":"1.3.101.112","Signature":"zz"},{"Type":"PubKey","KeyValue":"00"}]}}',
        'x',
      ).status,
    ).toBe('malformed');
    expect(verifySecurityData('x'.repeat(20000), 'x').status).toBe('malformed');
  });

  it('recognises SM3withSM2 (real MiniMax-style data) as unsupported, not invalid', () => {
    const sm2 =
      '{"SecurityData":{"Type":"TC260PG","Version":1,"PubSD":[{"Type":"DS","AlgID":"1.2.156.10197.1.501","TBSData":{"Type":"LabelMataData"},"Signature":"3046022100AA"},{"Type":"PubKey","AlgID":"1.2.156.10197.1.501","KeyValue":"3059301306072A8648CE3D020106082A811CCF5501822D03420004AA"}]}}';
    expect(verifySecurityData(sm2, 'x').status).toBe('unsupported');
  });

  it('encodes raw r||s as minimal DER integers', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80; // high bit: needs a 0x00 pad
    raw[63] = 1;
    const der = rawToDer(raw);
    expect(Buffer.from(der).toString('hex')).toBe(`30260221${'00'}80${'00'.repeat(31)}020101`);
  });
});
