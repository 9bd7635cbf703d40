/**
 * The recovery detector gives null (so recovery falls back to the perceptual hash) for content it
 * cannot read, instead of throwing: a damaged MP3 or WAV that ffmpeg cannot decode, an unknown format.
 */
import { describe, expect, it } from 'vitest';
import { watermarkDetector } from '../../src/repository/detector.ts';

/** An ID3v2.3 header followed by noise: sniffed as MP3, undecodable by ffmpeg. */
function damagedMp3(): Uint8Array {
  const b = new Uint8Array(4096);
  b.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10]);
  for (let i = 20; i < b.length; i++) b[i] = (i * 7919) & 255;
  return b;
}

/** A RIFF/WAVE header whose `fmt ` chunk is cut off. */
function damagedWav(): Uint8Array {
  const b = new Uint8Array(4096);
  b.set(new TextEncoder().encode('RIFF'));
  new DataView(b.buffer).setUint32(4, b.length - 8, true);
  b.set(new TextEncoder().encode('WAVEfmt '), 8);
  return b;
}

describe('watermarkDetector on unreadable content', () => {
  it('gives null for a damaged MP3 and WAV and for bytes of no known format', async () => {
    const detect = (await watermarkDetector())!;
    expect(await detect(damagedMp3())).toBeNull();
    expect(await detect(damagedWav())).toBeNull();
    expect(await detect(new Uint8Array(64).fill(7))).toBeNull();
  });
});
