/** Named parameters of the audio watermark (see README "Watermark", audio, for the reasons). */

/**
 * Lowest and highest frequency of the marked band (Hz): speech and music both have energy here and
 * codecs keep it. Inside the 0.8–5 kHz; 4–5 kHz is left out because MP3 at 64 kbps starves it.
 */
export const AUDIO_BAND_LOW_HZ = 800;
export const AUDIO_BAND_HIGH_HZ = 4000;
/** Sub-bands of the marked band, geometrically spaced (even: tiles pair up in 2 × 2 blocks). */
export const AUDIO_BANDS = 12;
/** Length of one time slot (s). A tile is one slot × one sub-band. */
export const AUDIO_SLOT_SECONDS = 0.096;
/** Slots per period (even): one period carries one whole coded frame, and repeats through the file. */
export const AUDIO_SLOTS = 120;
/** Length of one period, s (11.52 s). */
export const AUDIO_PERIOD_SECONDS = AUDIO_SLOT_SECONDS * AUDIO_SLOTS;
/**
 * A tile's energy is measured on the frames whose centres lie in the middle of its slot, leaving
 * this fraction of the slot at each end as a guard against timing offsets and transitions.
 */
export const AUDIO_GUARD = 1 / 6;
/** Analysis frame (s; Hann window) and hop (s): the detector's timing search steps by one hop. */
export const AUDIO_FRAME_SECONDS = 0.032;
export const AUDIO_HOP_SECONDS = 0.008;
/** Quantization step of the spread-transform dither modulation, in nepers of tile energy. */
export const AUDIO_QUANT_STEP = 0.7;
/**
 * A bit's change is spread over its tiles with weights (E_t / E_mean)^−γ, E_t a tile's energy
 * (floor included): 0 moves every tile's log-energy alike (cost ∝ E_t), 1 is the least-power
 * split; ½ halves the difference, so loud tiles still carry some of the mark and weak (floored)
 * tiles carry more, within {@link AUDIO_MAX_TILE_CHANGE}.
 */
export const AUDIO_WEIGHT_EXPONENT = 0.5;
/** Largest change of one tile's energy (nepers; 0.35 ≈ 1.5 dB). */
export const AUDIO_MAX_TILE_CHANGE = 0.35;
/** Preferred and lowest-allowed signal-to-watermark ratio (dB) of the marked audio. */
export const DEFAULT_AUDIO_SNR = 36;
/**
 * Largest share of the watermark's power budget (set by the SNR) the noise floor may take: weak
 * tiles of the marked band are filled with keyed noise up to a floor (see audio-floor.ts).
 */
export const AUDIO_FLOOR_SHARE = 0.5;
/** The floor follows the content's power averaged over this many slots (odd; 5 × 96 ms ≈ 0.5 s, about temporal masking's reach). */
export const AUDIO_FLOOR_SPAN_SLOTS = 5;
/** Band power (full scale = 1) below which a tile counts as silent and carries nothing. */
export const AUDIO_SILENCE_POWER = 1e-10;
/** Rate the detector analyses at (ffmpeg resamples to it); the band stays below its Nyquist frequency. */
export const AUDIO_DETECT_RATE = 16000;
/** Lowest input sample rate the embedder accepts (the band must fit below Nyquist). */
export const MIN_AUDIO_RATE = 11025;
/** The detector also analyses the audio shifted by fractions of a hop: this many analysis phases per hop. */
export const AUDIO_SUBHOP_PHASES = 2;
/** Hypotheses the detector's timing search tries (analysis phases × sub-slot offsets × period phases), for the p-value. */
export const AUDIO_TIMING_HYPOTHESES = AUDIO_SUBHOP_PHASES * Math.round(AUDIO_SLOT_SECONDS / AUDIO_HOP_SECONDS) * AUDIO_SLOTS;
/** The detector decodes the strongest this many timing hypotheses. */
export const AUDIO_DECODE_CANDIDATES = 8;
/** Most audio the detector reads (s): 15 periods; the mark repeats, so the start of a long file is enough and verify stays quick. */
export const MAX_AUDIO_DETECT_SECONDS = 180;
/** Longest audio the embedder marks (s). */
export const MAX_AUDIO_EMBED_SECONDS = 3600;
/** Embedding rounds (apply, re-measure, correct): STFT resynthesis realizes tile gains only approximately. */
export const AUDIO_EMBED_ROUNDS = 3;
