import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROKEN_VARIANTS } from '../../scripts/pki/broken-variants.ts';
import { gen } from '../helpers.ts';

describe('generated test PKI layout', () => {
  it('has both CAs with service leaves, the platforms and roots.pem', () => {
    for (const alg of ['ed25519', 'es256']) {
      for (const f of ['root.pem', 'root.key', 'intermediate.pem', 'intermediate.key', 'chain.pem', 'key.pem']) {
        expect(existsSync(gen('pki', alg, f)), `${alg}/${f}`).toBe(true);
      }
    }
    for (const p of ['platform-a', 'platform-b', 'rsa']) expect(existsSync(gen('pki', p, 'chain.pem'))).toBe(true);
    expect(existsSync(gen('pki', 'roots.pem'))).toBe(true);
    expect(existsSync(gen('pki', 'broken', 'crl.pem'))).toBe(true);
  });

  it.each([...BROKEN_VARIANTS])('broken/%s has chain.pem and a 0600 key.pem', (v) => {
    expect(existsSync(gen('pki', 'broken', v, 'chain.pem'))).toBe(true);
    expect(statSync(gen('pki', 'broken', v, 'key.pem')).mode & 0o777).toBe(0o600);
  });

  it('private keys are mode 0600', () => {
    for (const f of [
      'ed25519/root.key',
      'ed25519/intermediate.key',
      'ed25519/key.pem',
      'es256/key.pem',
      'platform-a/key.pem',
      'rsa/key.pem',
    ]) {
      expect(statSync(gen('pki', ...f.split('/'))).mode & 0o777, f).toBe(0o600);
    }
  });
});
