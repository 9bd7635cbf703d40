/** Result types of watermark detection. */

/** What a detector reports for one medium. */
export interface WatermarkDetection {
  /** A mark was decoded (version and CRC check) with a p-value at or below the ceiling. */
  found: boolean;
  /** The 64-bit identifier as 16 hex digits, when found. */
  id?: string;
  /**
   * Probability that unmarked content scores this high for some valid identifier: the union
   * bound 2^64 · Q(score) over all identifiers (capped at 1); 1 when the decoded bits fail
   * the version/CRC check. Tiny values underflow to 0; see {@link log10PValue}.
   */
  pValue: number;
  /** log10 of {@link pValue}, which stays finite where pValue underflows. */
  log10PValue: number;
  /** Correlation of the soft bits with the decoded codeword, N(0,1) on unmarked content. */
  score: number;
  /**
   * Bit margin: the mean soft bit along the decoded codeword, in noise standard deviations
   * (≈ 0 unmarked; decoding is reliable above ≈ 1).
   */
  margin: number;
  /** Coded bits whose hard decision disagrees with the decoded codeword (the ECC corrected them). */
  bitErrors: number;
  /** Coded bits per frame. */
  codedBits: number;
  /** Whether the decoded bits passed the version and CRC check (before the p-value test). */
  crcValid: boolean;
}
