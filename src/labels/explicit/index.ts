/**
 * Explicit (perceivable) labels per GB 45438-2025 §5: visible overlays on images and video, the
 * audible cue on audio. These renderers re-encode the media; the implicit label and the signed
 * C2PA manifest must be added afterwards (a re-encode drops metadata).
 *
 * ```ts
 * import { renderImageLabel, renderVideoLabel, renderAudioCue } from './labels/explicit/index.ts';
 * const { bytes, info } = await renderImageLabel(jpegBytes, { position: 'bottom-right' });
 * await renderVideoLabel('in.mp4', 'out.mp4');
 * await renderAudioCue('in.mp3', 'out.mp3', { placement: 'both' });
 * ```
 */
export { DEFAULT_LABEL_TEXT, MAX_LABEL_TEXT_LENGTH, checkLabelText, validateLabelText, type LabelTextCheck } from './text.ts';
export { DEFAULT_POSITION, LABEL_POSITIONS, validatePosition, type LabelPosition } from './placement.ts';
export { DEFAULT_SCALE, MIN_SCALE, MAX_SCALE, MIN_LABEL_IMAGE_SIDE } from './options.ts';
export { MIN_CONTRAST_RATIO, contrastRatio, relativeLuminance, type Rgb } from './contrast.ts';
export { supportedCharacters } from './glyphs.ts';
export { rasterizeLabel, labelPng, type Box, type LabelRaster } from './label-raster.ts';
export {
  renderImageLabel,
  renderImageLabelFile,
  FALLBACK_QUALITY,
  type ImageLabelOptions,
  type ImageLabelInfo,
  type ImageLabelResult,
} from './image-overlay.ts';
export {
  renderVideoLabel,
  DEFAULT_OPENING_SECONDS,
  DEFAULT_OPENING_SCALE,
  MIN_OPENING_SECONDS,
  VIDEO_EXTENSIONS,
  type VideoLabelOptions,
  type VideoLabelInfo,
  type VideoLabelResult,
  type OpeningPosition,
} from './video-overlay.ts';
export {
  renderAudioCue,
  measureLoudness,
  CUE_PLACEMENTS,
  SILENT_PROGRAMME_LUFS,
  type AudioCueOptions,
  type AudioCueInfo,
  type AudioCueResult,
  type CuePlacement,
  type Loudness,
} from './audio-cue.ts';
export { MORSE_AI, DEFAULT_UNIT_MS, DEFAULT_TONE_HZ, morseSegments, morseUnits } from './morse.ts';
export { renderVideoLabelBytes, renderAudioCueBytes } from './media-bytes.ts';
export { estimateJpegQuality, readQuantTables, type QualityEstimate } from './jpeg-quality.ts';

import type { AudioCueInfo } from './audio-cue.ts';
import type { ImageLabelInfo } from './image-overlay.ts';
import type { VideoLabelInfo } from './video-overlay.ts';
/** Any explicit label's record, discriminated by `kind`. */
export type ExplicitLabelInfo = ImageLabelInfo | VideoLabelInfo | AudioCueInfo;
