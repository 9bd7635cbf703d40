/** Named parameters of the image watermark (see README "Watermark" for the reasons). */

/** Grid cells per side: 128 keeps a cell ≥ 1 px after a 0.5× resize of a 256-px image. */
export const IMAGE_GRID = 128;
/** Preferred PSNR of the watermarked image (dB). */
export const DEFAULT_IMAGE_PSNR = 42;
/** The embedder may strengthen a mark with thin margins down to this PSNR (dB). */
export const MIN_IMAGE_PSNR = 40;
/**
 * Contrast masking: in busy textures (grass, gravel) a mark is far less visible than PSNR says, and
 * the host's own detail drowns it. The PSNR floor drops by this many dB per grey level of the
 * image's lower-quartile cell deviation above {@link TEXTURE_MASKING_FROM}, by at most
 * {@link TEXTURE_MASKING_MAX_DB}.
 */
export const TEXTURE_MASKING_DB_PER_LEVEL = 0.8;
/** Lower-quartile cell deviation (grey levels) below which an image gets no texture allowance. */
export const TEXTURE_MASKING_FROM = 3;
/** Largest texture allowance below {@link MIN_IMAGE_PSNR}, in dB. */
export const TEXTURE_MASKING_MAX_DB = 7;
/** Default false-alarm ceiling: a detection needs p ≤ 1e-6. */
export const DEFAULT_MAX_P_VALUE = 1e-6;
/** Smallest image side the watermark is embedded in. */
export const MIN_IMAGE_SIDE = 64;
/** The detector reduces larger images to at most this many pixels per side before gridding. */
export const DETECT_REDUCE_SIDE = 512;
