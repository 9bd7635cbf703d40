import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseManifestStore } from '../../src/manifest/store.ts';
import { LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { gen } from '../helpers.ts';
import { extractJpegStore } from './helpers/jpeg.ts';

const file = (n: string) => new Uint8Array(readFileSync(gen('manifest', n)));

describe('hostile manifest fixtures', () => {
  it('deep-1000: LimitExceededError (MAX_BOX_DEPTH), also from the JPEG', () => {
    for (const bytes of [file('deep-1000.c2pa'), extractJpegStore(file('deep-1000.jpg'))!]) {
      const err = (() => {
        try {
          parseManifestStore(bytes);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(LimitExceededError);
      expect((err as LimitExceededError).limit).toBe('MAX_BOX_DEPTH');
    }
  });

  it('deep-max parses, deep-max-plus-1 does not', () => {
    expect(parseManifestStore(file('deep-max.c2pa')).manifests).toHaveLength(1);
    expect(() => parseManifestStore(file('deep-max-plus-1.c2pa'))).toThrow(LimitExceededError);
  });

  it.each(['absurd-cbor-claim', 'huge-map-claim'])('%s: claim.cbor.invalid, strict → MalformedInputError', (n) => {
    const bytes = file(`${n}.c2pa`);
    expect(Buffer.from(extractJpegStore(file(`${n}.jpg`))!).equals(Buffer.from(bytes))).toBe(true);
    const m = parseManifestStore(bytes).active!;
    expect(m.problems.map((p) => p.code)).toEqual(['claim.cbor.invalid']);
    expect(() => parseManifestStore(bytes, { strict: true })).toThrow(MalformedInputError);
  });

  it('box-past-end: MalformedInputError', () => {
    expect(() => parseManifestStore(file('box-past-end.c2pa'))).toThrow(MalformedInputError);
  });
});
