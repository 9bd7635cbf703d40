import { describe, expect, it } from 'vitest';
import { checkStrictDer, encodeTlv, integerHex, readTlv } from '../../src/pki/der.ts';
import { decodePemBundle, derBlocks, isPem, toPem } from '../../src/pki/pem.ts';
import { CertificateError, LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { MAX_DER_DEPTH, MAX_PEM_BLOCKS, MAX_PEM_BYTES } from '../../src/binary/limits.ts';

const b = (...x: number[]): Uint8Array => new Uint8Array(x);

function nested(depth: number): Uint8Array {
  let v = b(0x05, 0x00); // NULL at the bottom counts as one level
  for (let i = 1; i < depth; i++) v = encodeTlv(0x30, v);
  return v;
}

describe('strict DER', () => {
  it('accepts short and long definite lengths', () => {
    expect(readTlv(b(0x04, 0x01, 0xaa), 0)).toMatchObject({ tag: 4, length: 1, contentStart: 2, end: 3 });
    const long = encodeTlv(0x04, new Uint8Array(200));
    expect(Array.from(long.subarray(0, 3))).toEqual([0x04, 0x81, 200]);
    expect(checkStrictDer(long).length).toBe(200);
  });

  it('rejects indefinite lengths, non-minimal lengths, overruns and trailing bytes', () => {
    expect(() => checkStrictDer(b(0x30, 0x80, 0x00, 0x00))).toThrow(/indefinite/);
    expect(() => checkStrictDer(b(0x04, 0x81, 0x01, 0xaa))).toThrow(/non-minimal/);
    expect(() => checkStrictDer(b(0x04, 0x82, 0x00, 0x81, ...new Array(0x81).fill(0)))).toThrow(/non-minimal/);
    expect(() => checkStrictDer(b(0x04, 0x05, 0x01))).toThrow(/overruns/);
    expect(() => checkStrictDer(b(0x05, 0x00, 0x00))).toThrow(/trailing/);
    expect(() => checkStrictDer(b(0x30, 0x03, 0x04, 0x02, 0x00))).toThrow(MalformedInputError);
  });

  it('rejects non-DER BOOLEAN and INTEGER encodings', () => {
    expect(() => checkStrictDer(b(0x01, 0x01, 0x01))).toThrow(/BOOLEAN/);
    expect(() => checkStrictDer(b(0x02, 0x02, 0x00, 0x05))).toThrow(/INTEGER/);
    expect(() => checkStrictDer(b(0x02, 0x02, 0xff, 0x85))).toThrow(/INTEGER/);
    expect(() => checkStrictDer(b(0x02, 0x02, 0x00, 0x85))).not.toThrow();
  });

  it(`allows nesting of exactly MAX_DER_DEPTH (${MAX_DER_DEPTH}) and rejects one more`, () => {
    expect(() => checkStrictDer(nested(MAX_DER_DEPTH))).not.toThrow();
    expect(() => checkStrictDer(nested(MAX_DER_DEPTH + 1))).toThrow(LimitExceededError);
  });

  it('strips sign padding from serial numbers', () => {
    expect(integerHex(b(0x00, 0x8f, 0x01))).toBe('8f01');
    expect(integerHex(b(0x00))).toBe('00');
  });
});

describe('PEM', () => {
  const block = toPem('CERTIFICATE', b(0x30, 0x00));

  it('round-trips and finds blocks among other text', () => {
    const text = `subject=CN=x\n${block}junk\n${toPem('X509 CRL', b(1, 2, 3))}`;
    const blocks = decodePemBundle(text);
    expect(blocks.map((x) => x.label)).toEqual(['CERTIFICATE', 'X509 CRL']);
    expect(Array.from(blocks[1]!.der)).toEqual([1, 2, 3]);
    expect(isPem(text)).toBe(true);
    expect(isPem(b(0x30, 0x00))).toBe(false);
  });

  it('gives clear errors for corrupt PEM', () => {
    expect(() => decodePemBundle('hello')).toThrow(/no PEM block/);
    expect(() => decodePemBundle('-----BEGIN CERTIFICATE-----\nAAAA\n')).toThrow(/not terminated/);
    expect(() => decodePemBundle('-----BEGIN CERTIFICATE-----\nA*AA\n-----END CERTIFICATE-----')).toThrow(/base64/);
    expect(() => decodePemBundle('-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----')).toThrow(CertificateError);
    expect(() => derBlocks(block, 'X509 CRL', 'crl.pem')).toThrow(/expected PEM blocks labelled X509 CRL/);
    expect(() => derBlocks(b(0x41, 0x42), 'CERTIFICATE', 'x.bin')).toThrow(/neither PEM .* nor DER/);
  });

  it(`accepts exactly MAX_PEM_BYTES and rejects one byte more`, () => {
    const pad = MAX_PEM_BYTES - block.length;
    const atLimit = block + ' '.repeat(pad);
    expect(atLimit.length).toBe(MAX_PEM_BYTES);
    expect(decodePemBundle(atLimit)).toHaveLength(1);
    expect(() => decodePemBundle(`${atLimit} `)).toThrow(LimitExceededError);
  });

  it(`accepts exactly MAX_PEM_BLOCKS (${MAX_PEM_BLOCKS}) blocks and rejects one more`, () => {
    const small = '-----BEGIN X-----\nAAAA\n-----END X-----\n';
    expect(decodePemBundle(small.repeat(MAX_PEM_BLOCKS))).toHaveLength(MAX_PEM_BLOCKS);
    expect(() => decodePemBundle(small.repeat(MAX_PEM_BLOCKS + 1))).toThrow(LimitExceededError);
  });
});
