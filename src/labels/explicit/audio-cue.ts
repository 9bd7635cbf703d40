/**
 * Audible label on audio (GB 45438-2025 §5.3): the Morse "AI" rhythm (`.- ..`, 880 Hz, 100 ms
 * unit) or a voice clip the caller supplies, joined to the programme at the start (default), the
 * end or both, separated by a one-word (7-unit) gap, at the programme's loudness (EBU R128
 * integrated, measured with ffmpeg's `ebur128`). The output keeps the codec family and sample rate.
 */
import path from 'node:path';
import { InvalidArgumentError, UnsupportedFormatError, said } from '../../errors.ts';
import { probe, probeDurationMs, runTool, type ProbeResult, type ProbeStream } from '../../media/ffmpeg.ts';
import { DEFAULT_TONE_HZ, DEFAULT_UNIT_MS, MORSE_AI, WORD_GAP_UNITS, amplitudeForLoudness, morseUnits, synthesizeCue } from './morse.ts';
import { assertInputFile, writeViaTemp } from './output-file.ts';

/** Where the cue goes. */
export type CuePlacement = 'start' | 'end' | 'both';
/** Accepted placements. */
export const CUE_PLACEMENTS: readonly CuePlacement[] = ['start', 'end', 'both'];
/** Loudness assumed for a silent programme (EBU R128 target), LUFS. */
export const SILENT_PROGRAMME_LUFS = -23;
/** Silence after an end cue (units), so players do not clip it. */
const END_TAIL_UNITS = 2;

/** Options of {@link renderAudioCue}. */
export interface AudioCueOptions {
  /** `start` (default), `end` or `both`. */
  readonly placement?: CuePlacement;
  /** Morse unit in ms (40–200, default 100). */
  readonly unitMs?: number;
  /** Tone frequency in Hz (300–3000, default 880). */
  readonly toneHz?: number;
  /** A spoken label (audio file) used instead of the Morse rhythm. */
  readonly voiceClip?: string;
}

/** What was added, for the manifest's GB 45438 assertion. */
export interface AudioCueInfo {
  readonly kind: 'audio-cue';
  readonly placement: CuePlacement;
  readonly cue: 'morse' | 'voice';
  /** `.- ..` for the rhythm label. */
  readonly pattern?: string;
  readonly unitMs: number;
  readonly toneHz?: number;
  /** Length of one cue (ms): 11 units for Morse "AI", the clip's length for a voice label. */
  readonly durationMs: number;
  /** Audio added to the programme in total (cues plus gaps), ms. */
  readonly addedMs: number;
  /** Integrated loudness of the programme (LUFS), or null when silent. */
  readonly programmeLufs: number | null;
  /** Loudness the cue was set to (LUFS). */
  readonly cueLufs: number;
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** Duration of the input programme (ms). */
  readonly mediaDurationMs: number;
}

/** Result of {@link renderAudioCue}. */
export interface AudioCueResult {
  readonly output: string;
  readonly info: AudioCueInfo;
}

interface Family {
  readonly exts: readonly string[];
  readonly args: string[];
}

const MP3_RATES = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

function kbps(stream: ProbeStream, p: ProbeResult, fallback: number): number {
  const bps = Number(stream.bit_rate ?? p.format.bit_rate);
  return Number.isFinite(bps) && bps > 0 ? Math.round(bps / 1000) : fallback;
}

/**
 * Encoder arguments that keep the input's codec family, and the output extensions that fit it.
 * @throws {UnsupportedFormatError} for codecs without a family mapping.
 */
export function codecFamily(stream: ProbeStream, p: ProbeResult): Family {
  const codec = stream.codec_name ?? '';
  if (codec === 'mp3') {
    const want = kbps(stream, p, 192);
    const rate = MP3_RATES.reduce((best, r) => (Math.abs(r - want) < Math.abs(best - want) ? r : best), 192);
    return { exts: ['.mp3'], args: ['-c:a', 'libmp3lame', '-b:a', `${rate}k`] };
  }
  if (codec.startsWith('pcm_')) {
    const aiff = p.format.format_name.includes('aiff');
    return { exts: aiff ? ['.aif', '.aiff'] : ['.wav'], args: ['-c:a', codec] };
  }
  if (codec === 'flac') {
    const wide = stream.sample_fmt !== 's16' && stream.sample_fmt !== 's16p';
    const bits = Number(stream.bits_per_raw_sample);
    return {
      exts: ['.flac'],
      args: [
        '-c:a',
        'flac',
        '-sample_fmt',
        wide ? 's32' : 's16',
        ...(wide && bits > 16 && bits <= 24 ? ['-bits_per_raw_sample', String(bits)] : []),
      ],
    };
  }
  if (codec === 'aac')
    return { exts: ['.m4a', '.mp4', '.m4b', '.aac'], args: ['-c:a', 'aac', '-b:a', `${Math.min(512, kbps(stream, p, 192))}k`] };
  if (codec === 'alac') return { exts: ['.m4a'], args: ['-c:a', 'alac'] };
  if (codec === 'vorbis') return { exts: ['.ogg', '.oga'], args: ['-c:a', 'libvorbis', '-b:a', `${kbps(stream, p, 160)}k`] };
  if (codec === 'opus') return { exts: ['.opus', '.ogg'], args: ['-c:a', 'libopus', '-b:a', `${kbps(stream, p, 128)}k`] };
  throw new UnsupportedFormatError(
    said('err.lbl.audioCueCodecNot', 'audio cue: the {v1} codec is not supported (MP3, WAV/AIFF PCM, FLAC, AAC/ALAC, Vorbis, Opus are)', {
      v1: codec || 'unknown',
    }),
  );
}

/** Integrated loudness and sample peak of the first audio stream. */
export interface Loudness {
  readonly lufs: number | null;
  readonly peakDbfs: number | null;
}

/**
 * Measure EBU R128 integrated loudness (null when the programme is silent, below −69 LUFS) and
 * sample peak with ffmpeg's `ebur128` filter.
 * @throws {MalformedInputError} {@link ExternalToolError} {@link IoError} from ffmpeg.
 */
export async function measureLoudness(file: string): Promise<Loudness> {
  const { stderr } = await runTool(
    'ffmpeg',
    [
      '-nostats',
      '-hide_banner',
      '-v',
      'info',
      '-i',
      file,
      '-map',
      '0:a:0',
      '-af',
      'ebur128=framelog=verbose:peak=sample',
      '-f',
      'null',
      '-',
    ],
    { subject: file },
  );
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const i = /I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(summary);
  const peak = /Peak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(summary);
  const lufs = i && i[1] !== '-inf' ? Number(i[1]) : NaN;
  const pk = peak && peak[1] !== '-inf' ? Number(peak[1]) : NaN;
  return { lufs: Number.isFinite(lufs) && lufs > -69 ? lufs : null, peakDbfs: Number.isFinite(pk) ? pk : null };
}

const DEFAULT_LAYOUTS = ['', 'mono', 'stereo', '2.1', 'quad', '5.0', '5.1', '6.1', '7.1'];

function validateNumber(v: unknown, name: string, lo: number, hi: number, fallback: number): number {
  const x = v ?? fallback;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi)
    throw InvalidArgumentError.expected(`a number from ${lo} to ${hi}`, name, v);
  return x;
}

/**
 * Add the audible label to the audio file `input`, writing `output` (same codec family and
 * sample rate; the input is never overwritten).
 * @throws {InvalidArgumentError} for bad options, an output extension outside the input's codec family, or output = input.
 * @throws {UnsupportedFormatError} for inputs without audio, with a video stream, or with an unsupported codec.
 * @throws {MalformedInputError} when ffprobe/ffmpeg cannot read the input or the voice clip.
 * @throws {ExternalToolError} when ffmpeg/ffprobe is missing or fails.
 * @throws {IoError} when a file cannot be read or written.
 */
export async function renderAudioCue(input: string, output: string, options: AudioCueOptions = {}): Promise<AudioCueResult> {
  const placement = options.placement ?? 'start';
  if (!CUE_PLACEMENTS.includes(placement)) throw InvalidArgumentError.expected('start, end or both', 'audio cue placement', placement);
  const unitMs = validateNumber(options.unitMs, 'Morse unit (ms)', 40, 200, DEFAULT_UNIT_MS);
  const toneHz = validateNumber(options.toneHz, 'cue tone (Hz)', 300, 3000, DEFAULT_TONE_HZ);
  if (options.voiceClip !== undefined && (typeof options.voiceClip !== 'string' || !options.voiceClip)) {
    throw InvalidArgumentError.expected('a path to an audio file', 'voice clip', options.voiceClip);
  }
  await assertInputFile(input);
  if (options.voiceClip) await assertInputFile(options.voiceClip);
  const p = await probe(input);
  const a = p.streams.find((s) => s.codec_type === 'audio');
  if (!a) throw new UnsupportedFormatError(said('err.lbl.hasNoAudioStream', '{input} has no audio stream', { input }));
  if (p.streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)) {
    throw new UnsupportedFormatError(
      said('err.lbl.hasVideoStreamLabel', '{input} has a video stream: label it with the video overlay, not the audio cue', { input }),
    );
  }
  const family = codecFamily(a, p);
  const ext = path.extname(output).toLowerCase();
  if (!family.exts.includes(ext)) {
    throw InvalidArgumentError.expected(
      `an output ending in ${family.exts.join(' or ')} (the input's codec family, ${a.codec_name})`,
      'output',
      output,
    );
  }
  const sampleRate = Number(a.sample_rate),
    channels = a.channels ?? 0;
  if (!(sampleRate > 0) || !(channels > 0))
    throw new UnsupportedFormatError(
      said('err.lbl.audioStreamWithoutSample', '{input}: audio stream without sample rate or channel count', { input }),
    );
  const layout = a.channel_layout || DEFAULT_LAYOUTS[channels] || '';
  const fmt = `aformat=sample_fmts=fltp:sample_rates=${sampleRate}${layout ? `:channel_layouts=${layout}` : ''}`;

  const loud = await measureLoudness(input);
  const cueLufs = loud.lufs ?? SILENT_PROGRAMME_LUFS;
  const unitFrames = Math.round((sampleRate * unitMs) / 1000);
  const gapFrames = WORD_GAP_UNITS * unitFrames;
  const wantStart = placement !== 'end',
    wantEnd = placement !== 'start';

  // stdin carries the generated audio: the start segment then the end segment (Morse), or one gap (voice).
  let pcm: Float32Array;
  let splitAt = 0;
  let cueMs: number;
  let voiceGainDb = 0;
  if (!options.voiceClip) {
    const amplitude = amplitudeForLoudness(cueLufs, channels, toneHz);
    const start = wantStart
      ? synthesizeCue({ sampleRate, channels, unitMs, toneHz, amplitude, tailUnits: WORD_GAP_UNITS })
      : new Float32Array(0);
    const end = wantEnd
      ? synthesizeCue({ sampleRate, channels, unitMs, toneHz, amplitude, leadUnits: WORD_GAP_UNITS, tailUnits: END_TAIL_UNITS })
      : new Float32Array(0);
    pcm = new Float32Array(start.length + end.length);
    pcm.set(start);
    pcm.set(end, start.length);
    splitAt = start.length / channels;
    cueMs = morseUnits(MORSE_AI) * unitMs;
  } else {
    pcm = new Float32Array(gapFrames * channels);
    const vp = await probe(options.voiceClip);
    if (!vp.streams.some((s) => s.codec_type === 'audio'))
      throw new UnsupportedFormatError(
        said('err.lbl.voiceClipHasNo', 'voice clip {voiceClip} has no audio stream', { voiceClip: options.voiceClip }),
      );
    cueMs = probeDurationMs(vp);
    const vl = await measureLoudness(options.voiceClip);
    if (vl.lufs === null) throw InvalidArgumentError.expected('a voice clip with audible sound', 'voice clip', options.voiceClip);
    voiceGainDb = Math.max(-30, Math.min(30, cueLufs - vl.lufs));
    if (vl.peakDbfs !== null) voiceGainDb = Math.min(voiceGainDb, -1 - vl.peakDbfs);
  }

  const f: string[] = [`[1:a:0]${fmt}[prog]`];
  const both = wantStart && wantEnd;
  if (!options.voiceClip) {
    if (both)
      f.push(
        `[0:a]${fmt},asplit=2[x0][x1]`,
        `[x0]atrim=end_sample=${splitAt}[cs]`,
        `[x1]atrim=start_sample=${splitAt},asetpts=PTS-STARTPTS[ce]`,
      );
    else f.push(`[0:a]${fmt}[${wantStart ? 'cs' : 'ce'}]`);
  } else {
    f.push(`[2:a:0]${fmt},volume=${voiceGainDb.toFixed(2)}dB${both ? ',asplit=2[vs][ve]' : `[${wantStart ? 'vs' : 've'}]`}`);
    f.push(`[0:a]${fmt}${both ? ',asplit=2[gs][ge]' : `[${wantStart ? 'gs' : 'ge'}]`}`);
    if (wantStart) f.push('[vs][gs]concat=n=2:v=0:a=1[cs]');
    if (wantEnd) f.push('[ge][ve]concat=n=2:v=0:a=1[ce]');
  }
  const parts = [wantStart ? '[cs]' : '', '[prog]', wantEnd ? '[ce]' : ''].filter(Boolean);
  f.push(`${parts.join('')}concat=n=${parts.length}:v=0:a=1[out]`);

  const mediaDurationMs = probeDurationMs(p);
  await writeViaTemp(input, output, async (tmp) => {
    const args = [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'f32le',
      '-ar',
      String(sampleRate),
      '-ac',
      String(channels),
      '-i',
      'pipe:0',
      '-i',
      input,
      ...(options.voiceClip ? ['-i', options.voiceClip] : []),
      '-filter_complex',
      f.join(';'),
      '-map',
      '[out]',
      '-map',
      '1:v?',
      '-c:v',
      'copy',
      '-map_metadata',
      '1',
      ...family.args,
      '-ar',
      String(sampleRate),
      tmp,
    ];
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    await runTool('ffmpeg', args, { stdin: bytes, subject: input });
  });
  const addedMs = options.voiceClip
    ? (cueMs + (gapFrames * 1000) / sampleRate) * (both ? 2 : 1)
    : ((pcm.length / channels) * 1000) / sampleRate;
  return {
    output,
    info: {
      kind: 'audio-cue',
      placement,
      cue: options.voiceClip ? 'voice' : 'morse',
      ...(options.voiceClip ? {} : { pattern: MORSE_AI, toneHz }),
      unitMs,
      durationMs: cueMs,
      addedMs,
      programmeLufs: loud.lufs,
      cueLufs,
      codec: a.codec_name ?? 'unknown',
      sampleRate,
      channels,
      mediaDurationMs,
    },
  };
}
