/** Watermark framing: CRC, the convolutional code and its Viterbi decoder, p-values. */
import { describe, expect, it } from 'vitest';
import { CODED_BITS, crc16Bits, decodeFrame, encodeFrame, frameBits, INFO_BITS, parseWatermarkId } from '../../src/watermark/framing.ts';
import { convEncode, viterbiDecode } from '../../src/watermark/conv-code.ts';
import { log10PValue, logNormalTail, scoreThreshold } from '../../src/watermark/stats.ts';
import { newWatermarkId } from '../../src/watermark/identifier.ts';
import { InvalidArgumentError } from '../../src/errors.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

describe('framing', () => {
  it('CRC-16/CCITT-FALSE of "123456789" is 0x29B1', () => {
    const bits = [...new TextEncoder().encode('123456789')].flatMap((b) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (b >> i) & 1));
    expect(crc16Bits(bits)).toBe(0x29b1);
  });

  it('frames version 1 + id + CRC into 84 bits and 270 coded bits', () => {
    expect(INFO_BITS).toBe(84);
    expect(CODED_BITS).toBe(270);
    const bits = frameBits('8000000000000001');
    expect([...bits.subarray(0, 4)]).toEqual([0, 0, 0, 1]);
    expect(bits[4]).toBe(1);
    expect(bits[67]).toBe(1);
    expect(encodeFrame('8000000000000001')).toHaveLength(CODED_BITS);
  });

  it('rejects malformed identifiers', () => {
    for (const bad of ['', '123', 'zz00000000000000', '00000000000000000'])
      expect(() => parseWatermarkId(bad)).toThrow(InvalidArgumentError);
  });

  it('identifiers are 16 hex digits and differ', () => {
    const a = newWatermarkId(),
      b = newWatermarkId();
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
  });

  it('Viterbi recovers the frame from noisy soft bits (σ = 1, amplitude 1.2) and flags garbage', () => {
    const r = rng(7);
    let ok = 0;
    for (let t = 0; t < 40; t++) {
      const id = newWatermarkId();
      const soft = Array.from(encodeFrame(id), (b) => (b ? 1.2 : -1.2) + gauss(r));
      const d = decodeFrame(soft);
      if (d.valid && d.id === id) ok++;
    }
    expect(ok).toBeGreaterThanOrEqual(39);
    let valid = 0;
    for (let t = 0; t < 200; t++) if (decodeFrame(Array.from({ length: CODED_BITS }, () => gauss(r))).valid) valid++;
    expect(valid).toBeLessThanOrEqual(1);
  });

  it('convolutional code round-trips clean bits of any length', () => {
    const bits = Uint8Array.from({ length: 50 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const coded = convEncode(bits);
    expect([
      ...viterbiDecode(
        Array.from(coded, (b) => (b ? 1 : -1)),
        50,
      ),
    ]).toEqual([...bits]);
  });
});

describe('p-values', () => {
  it('normal tail matches known values', () => {
    expect(Math.exp(logNormalTail(0))).toBeCloseTo(0.5, 6);
    expect(Math.exp(logNormalTail(1.959964))).toBeCloseTo(0.025, 5);
    expect(logNormalTail(10) / Math.LN10).toBeCloseTo(Math.log10(7.6198530241605e-24), 4);
  });

  it('the threshold for 1e-6 accounts for all 2^64 identifiers', () => {
    const s = scoreThreshold(1e-6);
    expect(log10PValue(s)).toBeCloseTo(-6, 3);
    expect(s).toBeGreaterThan(10);
    expect(s).toBeLessThan(11);
    expect(log10PValue(0)).toBe(0);
  });
});
