/**
 * Standard output of a batch, written in blocks: the records of a turn of the event loop are
 * joined and written at once (at the latest when 64 KiB are waiting), instead of one stream write
 * (and one system call) per file. Output still waits for the stream to drain: {@link BlockWriter.waiting}.
 */

/** Bytes (UTF-16 code units) gathered before a block is written without waiting for the turn to end. */
export const BLOCK_CHARS = 64 * 1024;

/** Gathers text and writes it to one stream in blocks. */
export class BlockWriter {
  private parts: string[] = [];
  private size = 0;
  private scheduled = false;
  private drained: Promise<void> | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly limit: number = BLOCK_CHARS,
  ) {}

  /** Add text; it is written at the end of this turn of the event loop, or now when a block is full. */
  push(text: string): void {
    if (!text) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.limit) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Write what is gathered now; resolves when the stream has taken it (at once unless it is full). */
  flush(): Promise<void> {
    if (this.size > 0) {
      const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
      this.parts = [];
      this.size = 0;
      if (!this.stream.write(text) && !this.drained)
        this.drained = new Promise<void>((resolve) =>
          this.stream.once('drain', () => {
            this.drained = undefined;
            resolve();
          }),
        );
    }
    return this.drained ?? Promise.resolve();
  }

  /** While the stream is full: a promise of its drain (stop producing until then); else undefined. */
  get waiting(): Promise<void> | undefined {
    return this.drained;
  }
}
