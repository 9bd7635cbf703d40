/**
 * A {@link ByteSource} that reads a planned output (a `Part[]` over a source) as if it
 * were already written, so the output can be parsed and hashed before it exists.
 */
import { type ByteSource, checkRange } from './byte-source.ts';
import type { Part } from './parts.ts';

/** The virtual file described by `parts` over `src`. */
export class PartsSource implements ByteSource {
  readonly size: number;
  private readonly starts: number[] = [];

  constructor(
    readonly base: ByteSource,
    private readonly parts: readonly Part[],
  ) {
    let n = 0;
    for (const p of parts) {
      this.starts.push(n);
      n += 'copy' in p ? p.copy.length : p.bytes.length;
    }
    this.size = n;
  }

  private indexAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private async readIn(i: number, from: number, length: number): Promise<Uint8Array> {
    const p = this.parts[i]!;
    return 'copy' in p ? this.base.read(p.copy.offset + from, length) : p.bytes.subarray(from, from + length);
  }

  /** @throws {MalformedInputError} past the end; {@link IoError} from the source. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    if (length === 0) return new Uint8Array(0);
    let i = this.indexAt(offset);
    while (i < this.parts.length - 1 && this.starts[i + 1]! <= offset) i++; // skip empty parts
    const partEnd = i + 1 < this.starts.length ? this.starts[i + 1]! : this.size;
    if (offset + length <= partEnd) return this.readIn(i, offset - this.starts[i]!, length);
    const out = new Uint8Array(length);
    let at = 0;
    while (at < length) {
      const start = this.starts[i]!;
      const end = i + 1 < this.starts.length ? this.starts[i + 1]! : this.size;
      const from = offset + at - start;
      const n = Math.min(end - start - from, length - at);
      if (n > 0) out.set(await this.readIn(i, from, n), at);
      at += Math.max(n, 0);
      i++;
    }
    return out;
  }

  /**
   * The pieces of `[start, end)`: new bytes as `bytes`, copied ranges as offsets in `base`.
   * @throws {MalformedInputError} past the end.
   */
  *segments(start: number, end: number): Generator<{ bytes: Uint8Array } | { offset: number; length: number }> {
    checkRange(this.size, start, end - start);
    if (start === end) return;
    for (let i = this.indexAt(start); i < this.parts.length; i++) {
      const s = this.starts[i]!;
      if (s >= end) return;
      const p = this.parts[i]!;
      const len = 'copy' in p ? p.copy.length : p.bytes.length;
      const from = Math.max(start, s) - s;
      const to = Math.min(end, s + len) - s;
      if (to <= from) continue;
      if ('copy' in p) yield { offset: p.copy.offset + from, length: to - from };
      else yield { bytes: p.bytes.subarray(from, to) };
    }
  }
}
