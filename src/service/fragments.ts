/**
 * Opening the separate fragments of a fragmented MP4 for `verify(..., { fragments })`:
 * paths are opened for random access (never loaded whole), bytes are wrapped. All are closed
 * together.
 */
import { BufferSource, type ByteSource } from '../binary/byte-source.ts';
import { FileSource } from '../binary/file-source.ts';
import type { MediaInput } from './input.ts';

/** Opened fragments and a way to close them. */
export interface OpenedFragments {
  readonly sources: ByteSource[];
  close(): Promise<void>;
}

/**
 * Open every fragment, in order.
 * @throws {IoError} when a path cannot be opened (those already opened are closed).
 */
export async function openFragments(inputs: readonly MediaInput[]): Promise<OpenedFragments> {
  const files: FileSource[] = [];
  const sources: ByteSource[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(files.map((f) => f.close().catch(() => undefined)));
  };
  try {
    for (const input of inputs) {
      if (typeof input === 'string') {
        const f = await FileSource.open(input);
        files.push(f);
        sources.push(f);
      } else sources.push(new BufferSource(input));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { sources, close };
}
