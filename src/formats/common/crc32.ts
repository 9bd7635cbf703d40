/**
 * CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected), as used by PNG
 * chunk checksums (PNG spec §5.5). Incremental: `crc32(a, b)` equals `crc32(concat(a, b))`.
 */

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * Continue a CRC-32 over `data`. Start with {@link CRC32_INIT}, finish with {@link crc32Final}.
 */
export function crc32Update(crc: number, data: Uint8Array): number {
  let c = crc >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

/** Initial register value for {@link crc32Update}. */
export const CRC32_INIT = 0xffffffff;

/** Final XOR of a running CRC-32 register. */
export function crc32Final(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of the concatenation of `parts` (unsigned 32-bit result). */
export function crc32(...parts: Uint8Array[]): number {
  let c = CRC32_INIT;
  for (const p of parts) c = crc32Update(c, p);
  return crc32Final(c);
}
