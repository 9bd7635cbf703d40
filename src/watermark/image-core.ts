/**
 * The image watermark on raw pixels (no codec): a keyed ±1 spread-spectrum pattern on a
 * canonical 128 × 128 grid stretched over the image, scaled per cell by a perceptual mask and
 * per coded bit by informed embedding, upsampled bilinearly and added to luma. Detection
 * area-averages the image back onto the same grid, whitens it, correlates to soft bits and
 * decodes them (see README "Watermark").
 */
import { InvalidArgumentError, said } from '../errors.ts';
import { CODED_BITS, decodeFrame, encodeFrame } from './framing.ts';
import {
  DEFAULT_IMAGE_PSNR,
  DEFAULT_MAX_P_VALUE,
  IMAGE_GRID,
  MIN_IMAGE_PSNR,
  MIN_IMAGE_SIDE,
  TEXTURE_MASKING_DB_PER_LEVEL,
  TEXTURE_MASKING_FROM,
  TEXTURE_MASKING_MAX_DB,
} from './image-constants.ts';
import { addUpsampled, boxMean3, gridStats, upsampleGain, whitenedResidual, type RawImage } from './image-grid.ts';
import { planPattern } from './image-plan.ts';
import { DEFAULT_WATERMARK_KEY, demodulate, spreadLayout } from './keyed-layout.ts';
import { codewordScore, log10PValue } from './stats.ts';
import type { WatermarkDetection } from './types.ts';

/** Options of the raw embedder. */
export interface RawEmbedOptions {
  /** Spreading key (default the public {@link DEFAULT_WATERMARK_KEY}). */
  key?: string;
  /** Preferred PSNR in dB (default {@link DEFAULT_IMAGE_PSNR}). */
  psnr?: number;
  /**
   * Lowest PSNR the embedder may use to strengthen a thin mark (default {@link MIN_IMAGE_PSNR},
   * never above `psnr`), lowered further on busy textures unless `textureMasking` is false.
   */
  minPsnr?: number;
  /** Allow the texture allowance below `minPsnr` (default true). */
  textureMasking?: boolean;
}

/** What the embedder did. */
export interface RawEmbedResult {
  /** Predicted PSNR of the luma change (before rounding and clipping). */
  psnr: number;
  /** Predicted mean and smallest soft-bit margin on the unattacked image. */
  meanMargin: number;
  minMargin: number;
}

/** Perceptual mask per cell: contrast masking grows with local luma deviation, damped (not zeroed) in flat areas. */
function perceptualMask(std: Float32Array): Float32Array {
  const m = new Float32Array(std.length);
  for (let i = 0; i < std.length; i++) m[i] = Math.min(40, Math.max(2, std[i]!)) ** 0.6;
  return boxMean3(m, IMAGE_GRID, IMAGE_GRID);
}

/** dB below the PSNR floor that a busy texture allows (contrast masking), from the lower-quartile cell deviation. */
export function textureAllowance(std: Float32Array): number {
  const sorted = Float32Array.from(std).sort();
  const q1 = sorted[sorted.length >> 2]!;
  return Math.min(TEXTURE_MASKING_MAX_DB, Math.max(0, (q1 - TEXTURE_MASKING_FROM) * TEXTURE_MASKING_DB_PER_LEVEL));
}

/** RMS luma change for a PSNR target. */
export function rmsForPsnr(psnr: number): number {
  return 255 / 10 ** (psnr / 20);
}

function checkPsnr(value: number | undefined, name: string, fallback: number): number {
  const v = value ?? fallback;
  if (!(v >= 20 && v <= 70)) throw InvalidArgumentError.expected('a PSNR between 20 and 70 dB', name, value);
  return v;
}

/**
 * Embed `id` (16 hex digits) into `img` in place.
 * @throws {InvalidArgumentError} for a malformed id, a PSNR outside 20–70 dB or an image whose
 *   shortest side is under {@link MIN_IMAGE_SIDE} px.
 */
export function embedRaw(img: RawImage, id: string, options: RawEmbedOptions = {}): RawEmbedResult {
  const psnr = checkPsnr(options.psnr, 'psnr', DEFAULT_IMAGE_PSNR);
  const minPsnr = Math.min(psnr, checkPsnr(options.minPsnr, 'minPsnr', MIN_IMAGE_PSNR));
  if (Math.min(img.width, img.height) < MIN_IMAGE_SIDE) {
    throw new InvalidArgumentError(
      said('err.wm.imageSmall', 'image of {width}x{height} is too small for a watermark (shortest side under {min} px)', {
        width: img.width,
        height: img.height,
        min: MIN_IMAGE_SIDE,
      }),
    );
  }
  const codeword = encodeFrame(id);
  const layout = spreadLayout(options.key ?? DEFAULT_WATERMARK_KEY, 'image', IMAGE_GRID * IMAGE_GRID);
  // Large images: every 2nd/3rd pixel is plenty for the mask and the host model (≥ 16 samples a cell).
  const step = Math.max(1, Math.min(3, Math.floor(Math.min(img.width, img.height) / (IMAGE_GRID * 4))));
  const { mean, std } = gridStats(img, IMAGE_GRID, IMAGE_GRID, step);
  const mask = perceptualMask(std);
  const floor = options.textureMasking === false ? minPsnr : minPsnr - textureAllowance(std);
  const probe = new Float32Array(layout.cells);
  for (let k = 0; k < probe.length; k++) probe[k] = layout.chips[k]! * mask[k]!;
  const plan = planPattern({
    hostMean: mean,
    mask,
    layout,
    codeword,
    upsampleGain: upsampleGain(probe, IMAGE_GRID, IMAGE_GRID, img.width, img.height, 384),
    rms: rmsForPsnr(psnr),
    maxRms: rmsForPsnr(Math.min(psnr, floor)),
  });
  addUpsampled(img, plan.field, IMAGE_GRID, IMAGE_GRID);
  return { psnr: 20 * Math.log10(255 / plan.pixelRms), meanMargin: plan.meanMargin, minMargin: plan.minMargin };
}

/** Soft bits of the image mark in `img` (length {@link CODED_BITS}). */
export function imageSoftBits(img: RawImage, key = DEFAULT_WATERMARK_KEY): Float64Array {
  const layout = spreadLayout(key, 'image', IMAGE_GRID * IMAGE_GRID);
  const { mean } = gridStats(img, IMAGE_GRID, IMAGE_GRID);
  return demodulate(layout, whitenedResidual(mean, IMAGE_GRID, IMAGE_GRID));
}

/**
 * Decide on soft bits: Viterbi-decode, check version and CRC, score against the decoded
 * codeword, p-value by the union bound over all identifiers and `hypotheses`.
 * @throws {InvalidArgumentError} when `soft` is not {@link CODED_BITS} long.
 */
export function decideSoftBits(soft: Float64Array, maxPValue = DEFAULT_MAX_P_VALUE, hypotheses = 1): WatermarkDetection {
  if (soft.length !== CODED_BITS) throw InvalidArgumentError.expected(`${CODED_BITS} soft bits`, 'soft', soft.length);
  const frame = decodeFrame(soft);
  const { score, bitErrors, meanSoft } = codewordScore(soft, frame.codeword);
  // Only a decode that checks names an identifier; otherwise there is nothing to be confident about.
  const log10p = frame.valid ? log10PValue(score, hypotheses) : 0;
  const found = frame.valid && log10p <= Math.log10(maxPValue);
  return {
    found,
    ...(found ? { id: frame.id } : {}),
    pValue: 10 ** log10p,
    log10PValue: log10p,
    score,
    margin: meanSoft,
    bitErrors,
    codedBits: CODED_BITS,
    crcValid: frame.valid,
  };
}

/** Detect the mark in raw pixels. */
export function detectRaw(img: RawImage, options: { key?: string; maxPValue?: number } = {}): WatermarkDetection {
  return decideSoftBits(imageSoftBits(img, options.key), options.maxPValue);
}
