/** Named parameters of the image watermark (see README "Watermark" for the reasons). */

/** Grid cells per side: 128 keeps a cell ≥ 1 px after a 0.5× resize of a 256-px image. */
export const IMAGE_GRID = 128;
/** Preferred PSNR of the watermarked image (dB). */
export const DEFAULT_IMAGE_PSNR = 42;
/** The embedder may strengthen a mark with thin margins down to this PSNR (dB). */
export const MIN_IMAGE_PSNR = 40;
/** Default false-alarm ceiling: a detection needs p ≤ 1e-6. */
export const DEFAULT_MAX_P_VALUE = 1e-6;
/** Smallest image side the watermark is embedded in. */
export const MIN_IMAGE_SIDE = 64;
/** The detector reduces larger images to at most this many pixels per side before gridding. */
export const DETECT_REDUCE_SIDE = 512;
