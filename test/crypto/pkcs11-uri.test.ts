/** RFC 7512 PKCS#11 URIs: the examples of RFC 7512 §3.3 and the errors (issue #13). */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePkcs11Uri, pinOf } from '../../src/crypto/pkcs11-uri.ts';
import { InvalidArgumentError } from '../../src/errors.ts';

describe('parsePkcs11Uri', () => {
  it('reads path and query attributes, percent-decoded', () => {
    const u = parsePkcs11Uri(
      'pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token&module-path=/usr/lib/p11.so',
    );
    expect(u.token).toBe('The Software PKCS#11 Softtoken');
    expect(u.manufacturer).toBe('Snake Oil, Inc.');
    expect(u.model).toBe('1.0');
    expect(u.object).toBe('my-certificate');
    expect(u.type).toBe('cert');
    expect([...u.id!]).toEqual([0x69, 0x95, 0x3e, 0x5c, 0xf4, 0xbd, 0xec, 0x91]);
    expect(u.serial).toBe('');
    expect(u.pinSource).toBe('file:/etc/token');
    expect(u.modulePath).toBe('/usr/lib/p11.so');
  });
  it('accepts the empty URI and slot-id', () => {
    expect(parsePkcs11Uri('pkcs11:')).toEqual({});
    expect(parsePkcs11Uri('pkcs11:slot-id=3').slotId).toBe(3);
  });
  it.each([
    ['https://kms.example/sign', /pkcs11:/],
    ['pkcs11:tokn=x', /attribute/],
    ['pkcs11:token=a;token=b', /each attribute once/],
    ['pkcs11:object=%zz', /percent-encoding/],
    ['pkcs11:slot-id=abc', /decimal slot-id/],
    ['pkcs11:type=key', /type/],
    ['pkcs11:object?pin-value', /name=value/],
  ])('%s is refused', (uri, msg) => {
    expect(() => parsePkcs11Uri(uri)).toThrow(InvalidArgumentError);
    expect(() => parsePkcs11Uri(uri)).toThrow(msg);
  });
});

describe('pinOf', () => {
  it('takes pin-value, then env: and file: sources, then the fallback', async () => {
    expect(await pinOf(parsePkcs11Uri('pkcs11:?pin-value=1234'))).toBe('1234');
    process.env.AIGC_TEST_PIN = '4321';
    expect(await pinOf(parsePkcs11Uri('pkcs11:?pin-source=env:AIGC_TEST_PIN'))).toBe('4321');
    const f = path.join(await mkdtemp(path.join(os.tmpdir(), 'aigc-pin-')), 'pin');
    await writeFile(f, '9999\n');
    expect(await pinOf(parsePkcs11Uri(`pkcs11:?pin-source=file:${f}`))).toBe('9999');
    expect(await pinOf(parsePkcs11Uri('pkcs11:'), 'x')).toBe('x');
  });
  it('an unset variable or unknown scheme is an InvalidArgumentError', async () => {
    await expect(pinOf(parsePkcs11Uri('pkcs11:?pin-source=env:AIGC_NO_SUCH_PIN'))).rejects.toThrow(InvalidArgumentError);
    await expect(pinOf(parsePkcs11Uri('pkcs11:?pin-source=https://x'))).rejects.toThrow(/env:NAME or file:PATH/);
  });
});
