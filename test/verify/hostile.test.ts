/**
 * Hostile and broken inputs never make `verify` throw: each gives a report with an
 * `error` or an `Invalid` verdict (or, for intact media without C2PA, no manifest), and a
 * random mutation or truncation of signed files still yields a report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { gen } from '../helpers.ts';
import { vfx } from './helpers.ts';

const files = (family: string, pick: (f: string) => boolean): string[] =>
  readdirSync(gen(family))
    .filter(pick)
    .map((f) => gen(family, f));

const MANIFEST = files('manifest', (f) => /\.(jpg|c2pa)$/.test(f));
const BROKEN = [
  ...readdirSync(gen('images', 'hostile')).map((f) => gen('images', 'hostile', f)),
  ...files('webp', (f) => /deep|past-eof|truncated/.test(f)),
  ...files('audio', (f) => /bad-|past-eof|deep|truncated|rf64/.test(f)),
  ...files('video', (f) => /deep|past-eof|truncated|huge/.test(f)),
  vfx('truncated.jpg'),
  vfx('truncated-store.jpg'),
];

describe('hostile manifest stores', () => {
  it.each(MANIFEST)('%s: a report, Invalid', async (file) => {
    const r = await verify(file);
    expect(r.validation_state).toBe('Invalid');
    expect(r.validation_status.length).toBeGreaterThan(0);
  });
});

describe('broken containers', () => {
  it.each(BROKEN)('%s: a report, never a throw', async (file) => {
    const r = await verify(file);
    expect(r.validation_state === 'Invalid' || r.error !== undefined || r.validation_state === null).toBe(true);
    if (r.error) expect(r.error.code).toMatch(/^(MALFORMED_INPUT|LIMIT_EXCEEDED|UNSUPPORTED_FORMAT|MULTIPLE_MANIFESTS)$/);
  });
});

describe('random damage to signed files', () => {
  const SIGNED = ['sdk-ed25519.jpg', 'sdk-es256.png', 'sdk-ed25519.webp', 'sdk-es256.mp4', 'chain-2.jpg'].map(
    (f) => new Uint8Array(readFileSync(vfx(f))),
  );
  it('mutated or truncated, every input gives a report with a known code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(SIGNED.length - 1),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
        async (which, flips, cut) => {
          const bytes = SIGNED[which]!.slice();
          for (const [where, x] of flips) bytes[Math.floor(where * (bytes.length - 1))]! ^= x;
          const input = cut === null ? bytes : bytes.subarray(0, Math.floor(cut * bytes.length));
          const r = await verify(input);
          expect(r.error?.code ?? 'ok').not.toBe('INTERNAL_ERROR');
          expect(['Trusted', 'Valid', 'Invalid', null]).toContain(r.validation_state);
        },
      ),
      { numRuns: 60 },
    );
  });
});
