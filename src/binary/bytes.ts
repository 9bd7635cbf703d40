/** Small byte-array helpers shared by every layer. */
import { InvalidArgumentError } from '../errors.ts';

/** Concatenate byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether two byte arrays hold the same bytes (constant-shape: no early exit on a difference). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** The four-character code at `at` as a Latin-1 string (bytes past the end read as 0). */
export function fourcc(bytes: Uint8Array, at = 0): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

/** Whether every character of `s` is Latin-1 (U+0000–U+00FF). */
export function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * Encode a four-character code (Latin-1, so `©nam` works).
 * @throws {InvalidArgumentError} when `code` is not 4 Latin-1 characters.
 */
export function fourccBytes(code: string): Uint8Array {
  if (code.length !== 4 || !isLatin1(code)) throw InvalidArgumentError.expected('a four-character Latin-1 code', 'box type', code);
  return Uint8Array.from(code, (c) => c.charCodeAt(0));
}
