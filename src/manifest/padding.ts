/**
 * Fitting a CBOR map to an exact size with zero-filled `pad` (and, when one pad cannot
 * reach the size, `pad2`) byte strings, as C2PA does for `c2pa.hash.data` and the COSE
 * unprotected header (profile §4 "Sizing").
 */
import { bstrHeaderSize } from './cbor.ts';

/** Pad lengths found by {@link solvePadding}. */
export interface PadSolution {
  readonly pad: number;
  /** Present when a second pad is needed. */
  readonly pad2?: number;
}

/** Encoded bytes a `pad2` entry adds besides its content: key `"pad2"` (5) + bstr header. */
function pad2Cost(n: number): number {
  return 5 + bstrHeaderSize(n) + n;
}

/** Bytes a `pad` value of `n` adds over an empty `pad` (whose encoding is one byte, `0x40`). */
function padGrowth(n: number): number {
  return bstrHeaderSize(n) - 1 + n;
}

/** Largest n with padGrowth(n) ≤ extra, or -1. */
function largestPad(extra: number): number {
  for (let n = extra; n >= 0 && n >= extra - 9; n--) if (padGrowth(n) <= extra) return n;
  return -1;
}

/**
 * Find pad lengths so that an encoding measured with an EMPTY `pad` (and no `pad2`) grows by
 * exactly `extra` bytes. When adding `pad2` also adds a map entry, `mapHeaderGrowth` is the
 * extra header byte that causes (0 for maps below 23 entries).
 * Returns undefined when `extra` is negative (the content no longer fits).
 */
export function solvePadding(extra: number, mapHeaderGrowth = 0): PadSolution | undefined {
  if (!Number.isSafeInteger(extra) || extra < 0) return undefined;
  const n = largestPad(extra);
  if (n >= 0 && padGrowth(n) === extra) return { pad: n };
  // One pad cannot hit the target (its header grows by a byte at 24, 256, 65536, ...):
  // add pad2 and give it whatever the first pad cannot.
  for (let p2 = 0; p2 <= 16; p2++) {
    const rest = extra - pad2Cost(p2) - mapHeaderGrowth;
    if (rest < 0) break;
    const p = largestPad(rest);
    if (p >= 0 && padGrowth(p) === rest) return { pad: p, pad2: p2 };
  }
  return undefined;
}
