/**
 * The audio watermark's PCM core without codecs: the timing search finds a trimmed copy, another key
 * or digital silence finds nothing, the embedder keeps its SNR floor, and the p-value bound.
 */
import { describe, expect, it } from 'vitest';
import { AUDIO_TIMING_HYPOTHESES } from '../../src/watermark/audio-constants.ts';
import { detectAudioPcm } from '../../src/watermark/audio-detect-core.ts';
import { embedAudioPcm } from '../../src/watermark/audio-embed.ts';
import { resample } from '../../src/watermark/resample.ts';
import { log10PValueSubGaussian } from '../../src/watermark/stats.ts';

/** Deterministic noisy harmonic programme at `rate` Hz. */
function programme(seconds: number, rate: number, seed = 1): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] =
      0.2 * Math.sin(2 * Math.PI * 220 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.5 * t)) +
      0.1 * Math.sin(2 * Math.PI * 1500 * t + Math.sin(2 * Math.PI * 3 * t)) +
      0.05 * (s / 4294967296 - 0.5);
  }
  return x;
}

describe('audio watermark core', () => {
  const rate = 16000;
  const host = programme(26, rate);
  const r = embedAudioPcm({ channels: [host], rate }, '1122334455667788');

  it('embeds at or above the SNR floor without touching the input, and detects the id', () => {
    expect(r.snr).toBeGreaterThanOrEqual(35.9);
    expect(r.periods).toBe(2);
    expect(r.meanMargin).toBeGreaterThan(0.7);
    expect(r.pcm.channels[0]).not.toBe(host);
    expect(detectAudioPcm(r.pcm.channels[0]!, rate)).toMatchObject({ found: true, id: '1122334455667788', crcValid: true, offsetMs: 0 });
  });

  it('finds a copy that starts mid-period (trimmed by 1.3 s plus a fraction of a hop) and a 44.1 kHz copy', () => {
    const cut = Math.round(1.3 * rate) + 37;
    const d = detectAudioPcm(r.pcm.channels[0]!.subarray(cut), rate);
    expect(d).toMatchObject({ found: true, id: '1122334455667788' });
    expect(detectAudioPcm(resample(r.pcm.channels[0]!, rate, 44100), 44100)).toMatchObject({ found: true, id: '1122334455667788' });
  });

  it('finds nothing under another key, in the unmarked host or in digital silence', () => {
    expect(detectAudioPcm(r.pcm.channels[0]!, rate, { key: 'another key' }).found).toBe(false);
    const none = detectAudioPcm(host, rate);
    expect(none.found).toBe(false);
    expect(none.log10PValue).toBeGreaterThan(-6);
    expect(detectAudioPcm(new Float32Array(rate * 26), rate)).toMatchObject({ found: false, pValue: 1 });
  });

  it('p-value: the Chernoff/union bound over 2^64 ids and every timing hypothesis', () => {
    // ln p = ln H + 64 ln 2 − S²/2
    const s = 12;
    expect(log10PValueSubGaussian(s, AUDIO_TIMING_HYPOTHESES)).toBeCloseTo(
      (Math.log(AUDIO_TIMING_HYPOTHESES) + 64 * Math.LN2 - 72) / Math.LN10,
      9,
    );
    expect(log10PValueSubGaussian(0, AUDIO_TIMING_HYPOTHESES)).toBe(0);
  });
});
