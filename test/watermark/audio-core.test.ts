/**
 * The audio watermark's PCM core without codecs: the timing search finds a trimmed copy, another key
 * or digital silence finds nothing, the embedder keeps its SNR floor, and the p-value bound; content
 * with nothing in the marked band carries the mark through the noise floor, digital silence stays
 * silent, and audio shorter than one period is reported as too short.
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

/** Plucked low notes (220–415 Hz, a weak octave) with no energy in 0.8–4 kHz, then `silence` s of digital silence. */
function plucked(seconds: number, silence: number, rate: number): Float32Array {
  const x = new Float32Array(Math.round((seconds + silence) * rate));
  for (let i = 0; i < seconds * rate; i++) {
    const t = i / rate;
    const f = 220 * 2 ** (Math.floor((t * 2) % 12) / 12);
    x[i] = 0.3 * Math.exp(-4 * (t % 0.5)) * (Math.sin(2 * Math.PI * f * t) + 0.1 * Math.sin(4 * Math.PI * f * t));
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

  it('content with no energy in 0.8–4 kHz carries the mark through the noise floor; digital silence stays silent', () => {
    const host = plucked(14, 2, rate);
    const m = embedAudioPcm({ channels: [host, host], rate }, 'a1b2c3d4e5f60718');
    expect(m.snr).toBeGreaterThanOrEqual(35.9);
    expect(m.meanMargin).toBeGreaterThan(1);
    expect(detectAudioPcm(m.pcm.channels[0]!, rate)).toMatchObject({ found: true, id: 'a1b2c3d4e5f60718' });
    // The floor follows the content's loudness over ±2 slots: from 0.3 s after the end on, nothing is added.
    const tail = m.pcm.channels[1]!.subarray(Math.round(14.3 * rate));
    expect(tail.every((v) => v === 0)).toBe(true);
  });

  it('reports "too short" when nothing is found in less than one period; a clean short copy may still be read', () => {
    expect(detectAudioPcm(host.subarray(0, 8 * rate), rate)).toMatchObject({ found: false, tooShort: true, durationMs: 8000 });
    expect(detectAudioPcm(new Float32Array(rate), rate)).toMatchObject({ found: false, tooShort: true, durationMs: 1000 });
    expect(detectAudioPcm(host, rate)).toMatchObject({ found: false, tooShort: false, durationMs: 26000 });
    // 8 s of a clean marked copy: most bits are read and the code fills in the rest.
    expect(detectAudioPcm(r.pcm.channels[0]!.subarray(0, 8 * rate), rate)).toMatchObject({ found: true, tooShort: false });
  });
});
