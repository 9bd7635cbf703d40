/**
 * How `resolveTrust` caches (`src/verify/engine/trust-key.ts`): an options object passed again is
 * served by identity only while every value its configuration depends on is unchanged, including
 * changes made in place; otherwise the configuration is resolved again from the new values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CertificateError } from '../../src/errors.ts';
import { sameInputs, trustInputs, trustKey } from '../../src/verify/engine/trust-key.ts';
import { resolveTrust, type TrustOptions } from '../../src/verify/engine/trust-options.ts';
import { gen } from '../helpers.ts';

const rootA = readFileSync(gen('pki', 'es256', 'root.pem'), 'utf8');
const rootB = readFileSync(gen('pki', 'rsa', 'root.pem'), 'utf8');
const subjects = (t: ReturnType<typeof resolveTrust>): string[] => t.anchors.map((c) => c.subject.text);

type Mutable = { -readonly [K in keyof TrustOptions]: TrustOptions[K] };

describe('trust configuration cache', () => {
  it('serves the same options object by identity', () => {
    const opts: TrustOptions = { defaultTrust: false, anchorsPem: rootA };
    const first = resolveTrust(opts);
    expect(resolveTrust(opts)).toBe(first);
    expect(subjects(first)).toHaveLength(1);
  });

  it('resolves again when a value of the same object changes', () => {
    const opts: Mutable = { defaultTrust: false, anchorsPem: rootA };
    const a = resolveTrust(opts);
    opts.anchorsPem = rootB;
    const b = resolveTrust(opts);
    expect(b).not.toBe(a);
    expect(subjects(b)).not.toEqual(subjects(a));
    opts.anchorsPem = rootA;
    expect(subjects(resolveTrust(opts))).toEqual(subjects(a));
  });

  it('resolves again when a list is changed in place', () => {
    const list = [rootA];
    const opts: TrustOptions = { defaultTrust: false, anchorsPem: list };
    const a = resolveTrust(opts);
    list[0] = rootB;
    expect(subjects(resolveTrust(opts))).not.toEqual(subjects(a));
    list.push(rootA);
    expect(subjects(resolveTrust(opts))).toHaveLength(2);
    const names: Mutable['sourceNames'] & { anchors?: string } = { anchors: 'first.pem' };
    const named: TrustOptions = { defaultTrust: false, anchorsPem: rootA, sourceNames: names };
    const n1 = resolveTrust(named);
    names.anchors = 'second.pem';
    expect(JSON.stringify(resolveTrust(named).lists)).not.toBe(JSON.stringify(n1.lists));
  });

  it('never caches an error: a corrupt bundle throws every time', () => {
    const opts: TrustOptions = { defaultTrust: false, anchorsPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' };
    expect(() => resolveTrust(opts)).toThrow(CertificateError);
    expect(() => resolveTrust(opts)).toThrow(CertificateError);
  });

  it('gives equal inputs exactly when it gives equal keys', () => {
    const values: TrustOptions[] = [
      {},
      { defaultTrust: false },
      { anchorsPem: rootA },
      { anchorsPem: [rootA] },
      { anchorsPem: [rootA, rootB] },
      { anchorsPem: rootA, ekus: ['1.3.6.1.5.5.7.3.36'] },
      { anchorsPem: rootA, ekus: '1.3.6.1.5.5.7.3.36' },
      { tsaAnchorsPem: rootA },
      { trustListPem: rootA },
      { tsaTrustListPem: rootA },
      { allowedListPem: 'x' },
      { crlsPem: 'y' },
      { cawgAnchorsPem: rootB },
      { publicTsaRoots: true },
      { ocspFetch: true },
      { sourceNames: { anchors: 'a.pem' } },
      { sourceNames: { trustList: 'a.pem' } },
    ];
    for (const x of values)
      for (const y of values) {
        // Structural copies, so equal inputs compare equal by value and not by identity alone.
        const same = sameInputs(trustInputs(structuredClone(x)), trustInputs(structuredClone(y)));
        if (same) expect(trustKey(x)).toBe(trustKey(y));
        if (x !== y) expect(same).toBe(false);
      }
  });
});
