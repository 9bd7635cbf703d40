/**
 * Whole-tag unsynchronisation (ID3v2.2/2.3 header flag 0x80) undone lazily, in bounded
 * memory. A raw byte is dropped exactly when it is `00` and follows an `FF` (a dropped byte
 * is never `FF`, so the rule needs one byte of context). One streaming pass over the raw
 * body records, every {@link UNSYNC_CHECKPOINT} raw bytes, how many bytes were decoded
 * before that point; a read of decoded bytes then starts at the nearest checkpoint and
 * decodes forward. Memory is the checkpoint table (8 bytes per 64 KiB) plus what the caller
 * reads, so a 70 MB tag no longer costs twice its size.
 */
import { checkRange, type ByteSource } from '../../binary/byte-source.ts';

/** Raw bytes between two checkpoints of the index. */
export const UNSYNC_CHECKPOINT = 64 * 1024;
/** Raw bytes read at a time while scanning or decoding. */
const SCAN_CHUNK = 1024 * 1024;

/** A de-unsynchronised view of `length` raw bytes of `src` at `base`. */
export interface UnsyncSource extends ByteSource {
  /** Bytes removed by the decoding (the number of `FF 00` pairs). */
  readonly removed: number;
}

/**
 * Index the unsynchronised region `[base, base + length)` of `src` and return its decoded view.
 * @throws {MalformedInputError} {@link IoError} from `src` reads.
 */
export async function openUnsynchronised(src: ByteSource, base: number, length: number, step = UNSYNC_CHECKPOINT): Promise<UnsyncSource> {
  // decodedAt[k] = decoded bytes produced by raw bytes [0, k*step).
  const decodedAt: number[] = [0];
  let dropped = 0;
  let prev = -1;
  const chunkSize = Math.max(step, Math.floor(SCAN_CHUNK / step) * step);
  for (let pos = 0; pos < length; pos += chunkSize) {
    const chunk = await src.read(base + pos, Math.min(chunkSize, length - pos));
    for (let seg = 0; seg < chunk.length; seg += step) {
      if (pos + seg > 0) decodedAt.push(pos + seg - dropped);
      const end = Math.min(seg + step, chunk.length);
      if (chunk[seg] === 0x00 && prev === 0xff) dropped++;
      for (let i = seg + 1; i < end; i++) if (chunk[i] === 0x00 && chunk[i - 1] === 0xff) dropped++;
      prev = chunk[end - 1]!;
    }
  }
  const decoded = length - dropped;
  const size = decoded;
  return {
    size,
    removed: length - size,
    async read(offset: number, want: number): Promise<Uint8Array> {
      checkRange(size, offset, want, 'id3');
      const out = new Uint8Array(want);
      if (want === 0) return out;
      // Last checkpoint whose decoded offset is <= offset.
      let lo = 0;
      let hi = decodedAt.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (decodedAt[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      let raw = lo * step;
      let d = decodedAt[lo]!;
      let last = raw > 0 ? (await src.read(base + raw - 1, 1))[0]! : -1;
      let n = 0;
      while (n < want && raw < length) {
        const chunk = await src.read(base + raw, Math.min(SCAN_CHUNK, length - raw));
        for (let i = 0; i < chunk.length && n < want; i++) {
          const b = chunk[i]!;
          const drop = b === 0x00 && last === 0xff;
          last = b;
          if (drop) continue;
          if (d >= offset) out[n++] = b;
          d++;
        }
        raw += chunk.length;
      }
      return out;
    },
  };
}
