/**
 * Invisible watermarks (issue #17): a 64-bit identifier in image pixels or audio samples, declared in the C2PA
 * manifest as a soft binding. There is deliberately no removal function.
 */
export { detectWatermark, mediumOf, type WatermarkReport } from './detect.ts';
export {
  embedImageWatermark,
  detectImageWatermark,
  WATERMARK_IMAGE_FORMATS,
  type ImageEmbedOptions,
  type ImageEmbedResult,
  type DetectOptions,
} from './image.ts';
export { embedRaw, detectRaw, decideSoftBits, imageSoftBits, type RawEmbedOptions, type RawEmbedResult } from './image-core.ts';
export type { RawImage } from './image-grid.ts';
export { newWatermarkId } from './identifier.ts';
export { WATERMARK_VERSION, INFO_BITS, CODED_BITS, encodeFrame, decodeFrame, frameBits, parseWatermarkId } from './framing.ts';
export {
  buildSoftBinding,
  readSoftBinding,
  SOFT_BINDING_LABEL,
  WATERMARK_ALGS,
  WATERMARKED_ACTION,
  type SoftBinding,
  type WatermarkMedium,
} from './soft-binding.ts';
export { DEFAULT_WATERMARK_KEY } from './keyed-layout.ts';
export { log10PValue, scoreThreshold } from './stats.ts';
export * from './image-constants.ts';
export type { WatermarkDetection } from './types.ts';
export { embedAudioWatermark, detectAudioWatermark, decodeAudio, type AudioFileEmbedOptions, type AudioFileEmbedResult } from './audio.ts';
export { WATERMARK_AUDIO_FORMATS, WATERMARK_AUDIO_DETECT_FORMATS } from './audio-formats.ts';
export { embedAudioPcm, snrDb, type AudioPcm, type AudioEmbedOptions, type AudioEmbedResult } from './audio-embed.ts';
export { detectAudioPcm, type AudioDetection, type AudioDetectOptions } from './audio-detect-core.ts';
export * from './audio-constants.ts';
