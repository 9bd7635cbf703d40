/**
 * Output plans as a list of parts: ranges copied from the source plus new bytes.
 * Large inputs are never loaded whole: a plan is materialised by streaming.
 */
import type { ByteSource } from './byte-source.ts';

/** A run of bytes copied from the source. */
export interface CopyPart {
  readonly copy: { readonly offset: number; readonly length: number };
}
/** New bytes. */
export interface BytesPart {
  readonly bytes: Uint8Array;
}
/** One piece of an output file. */
export type Part = CopyPart | BytesPart;

/** Total length of a list of parts. */
export function partsLength(parts: readonly Part[]): number {
  let n = 0;
  for (const p of parts) n += 'copy' in p ? p.copy.length : p.bytes.length;
  return n;
}

/** Size of the chunks in which copied ranges are streamed. */
export const COPY_CHUNK = 1 << 20;

/**
 * Iterate the output bytes of `parts` in order, in chunks of at most {@link COPY_CHUNK}.
 * Memory stays bounded by the chunk size whatever the file size.
 */
export async function* iterateParts(src: ByteSource, parts: readonly Part[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    if ('bytes' in p) {
      if (p.bytes.length) yield p.bytes;
      continue;
    }
    let off = p.copy.offset;
    const end = p.copy.offset + p.copy.length;
    while (off < end) {
      const n = Math.min(COPY_CHUNK, end - off);
      yield await src.read(off, n);
      off += n;
    }
  }
}

/** Materialise parts into one buffer (small files, tests). */
export async function partsToBytes(src: ByteSource, parts: readonly Part[]): Promise<Uint8Array> {
  const out = new Uint8Array(partsLength(parts));
  let at = 0;
  for await (const chunk of iterateParts(src, parts)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
