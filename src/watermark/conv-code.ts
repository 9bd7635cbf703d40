/**
 * Rate-1/3 convolutional code, constraint length 7 (generators 133, 171, 165 octal — the
 * code of 3GPP LTE's control channels), terminated with six zero tail bits, and its
 * soft-decision Viterbi decoder. Soft inputs are per-coded-bit log-likelihood-like scores:
 * positive means "1", negative "0", magnitude the confidence (in noise standard deviations).
 */

/** Constraint length K; the encoder has 2^(K-1) states. */
export const CONSTRAINT_LENGTH = 7;
/** Generator polynomials (octal 133, 171, 165). */
export const GENERATORS = [0o133, 0o171, 0o165] as const;
const STATES = 1 << (CONSTRAINT_LENGTH - 1);
const TAIL = CONSTRAINT_LENGTH - 1;

function parity(x: number): number {
  x ^= x >> 4;
  x ^= x >> 2;
  x ^= x >> 1;
  return x & 1;
}

/** Output bits (one per generator) for register value `reg` (newest bit at bit 0). */
const OUTPUTS: Uint8Array = (() => {
  const out = new Uint8Array(1 << CONSTRAINT_LENGTH);
  for (let reg = 0; reg < out.length; reg++) {
    let v = 0;
    GENERATORS.forEach((g, i) => {
      v |= parity(reg & g) << i;
    });
    out[reg] = v;
  }
  return out;
})();

/** Number of coded bits for `infoBits` information bits (tail included). */
export function codedLength(infoBits: number): number {
  return (infoBits + TAIL) * GENERATORS.length;
}

/** Encode `bits` (0/1 values); the result is `codedLength(bits.length)` bits long. */
export function convEncode(bits: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(codedLength(bits.length));
  let reg = 0;
  let o = 0;
  for (let i = 0; i < bits.length + TAIL; i++) {
    const b = i < bits.length ? bits[i]! & 1 : 0;
    reg = ((reg << 1) | b) & ((1 << CONSTRAINT_LENGTH) - 1);
    const v = OUTPUTS[reg]!;
    for (let g = 0; g < GENERATORS.length; g++) out[o++] = (v >> g) & 1;
  }
  return out;
}

/**
 * Maximum-likelihood decoding of `soft` (length `codedLength(infoBits)`) to `infoBits` bits,
 * the trellis starting and ending in the zero state. Branch metric: Σ ±soft (correlation).
 */
export function viterbiDecode(soft: ArrayLike<number>, infoBits: number): Uint8Array {
  const steps = infoBits + TAIL;
  const n = GENERATORS.length;
  let metric = new Float64Array(STATES).fill(-Infinity);
  let next = new Float64Array(STATES);
  metric[0] = 0;
  const decisions = new Uint8Array(steps * STATES); // predecessor's dropped (oldest) bit per state
  const branch = new Float64Array(8);
  for (let t = 0; t < steps; t++) {
    for (let v = 0; v < 1 << n; v++) {
      let m = 0;
      for (let g = 0; g < n; g++) m += ((v >> g) & 1 ? 1 : -1) * soft[t * n + g]!;
      branch[v] = m;
    }
    next.fill(-Infinity);
    const forceZero = t >= infoBits;
    for (let s = 0; s < STATES; s++) {
      // state s = last 6 bits, newest at bit 0; predecessors p = (s >> 1) | (d << 5), input b = s & 1
      const b = s & 1;
      if (forceZero && b) continue;
      for (let d = 0; d < 2; d++) {
        const p = (s >> 1) | (d << (CONSTRAINT_LENGTH - 2));
        const pm = metric[p]!;
        if (pm === -Infinity) continue;
        const reg = (p << 1) | b;
        const m = pm + branch[OUTPUTS[reg]!]!;
        if (m > next[s]!) {
          next[s] = m;
          decisions[t * STATES + s] = d;
        }
      }
    }
    [metric, next] = [next, metric];
  }
  const bits = new Uint8Array(steps);
  let s = 0;
  for (let t = steps - 1; t >= 0; t--) {
    bits[t] = s & 1;
    s = (s >> 1) | (decisions[t * STATES + s]! << (CONSTRAINT_LENGTH - 2));
  }
  return bits.subarray(0, infoBits);
}
