/** 64-bit watermark identifiers: random from the platform CSPRNG, written as 16 hex digits. */
import { bytesToHex } from '@noble/hashes/utils.js';

/** A fresh random 64-bit identifier (16 lowercase hex digits) from `crypto.getRandomValues`. */
export function newWatermarkId(): string {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  return bytesToHex(b);
}
