/**
 * Open a caller's input (a path or bytes) as a {@link ByteSource} and pick its handler
 * by content, not by extension.
 */
import path from 'node:path';
import { BufferSource, type ByteSource } from '../binary/byte-source.ts';
import { FileSource } from '../binary/file-source.ts';
import { detectSourceHandler } from '../formats/registry.ts';
import type { FormatHandler } from '../formats/types.ts';
import { InvalidArgumentError } from '../errors.ts';

/** A path on disk or the bytes themselves. */
export type MediaInput = string | Uint8Array;

/** An opened input with its handler. */
export interface OpenedInput {
  readonly src: ByteSource;
  readonly handler: FormatHandler;
  readonly path?: string;
  /** Set when the file extension names another format than the content. */
  readonly extensionWarning?: string;
  close(): Promise<void>;
}

/**
 * Open `input` and detect its format.
 * @throws {IoError} when a path cannot be read.
 * @throws {UnsupportedFormatError} when no handler recognises the content.
 */
export async function openInput(input: MediaInput): Promise<OpenedInput> {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw InvalidArgumentError.expected('a path or a Uint8Array', 'input', input);
  const src: ByteSource = typeof input === 'string' ? await FileSource.open(input) : new BufferSource(input);
  try {
    const handler = await detectSourceHandler(src);
    let extensionWarning: string | undefined;
    if (typeof input === 'string') {
      const ext = path.extname(input).slice(1).toLowerCase();
      if (ext && !handler.extensions.includes(ext)) {
        extensionWarning = `file extension .${ext} does not match its content (${handler.id})`;
      }
    }
    return {
      src, handler, ...(typeof input === 'string' ? { path: input } : {}), ...(extensionWarning ? { extensionWarning } : {}),
      close: async () => { await src.close?.(); },
    };
  } catch (err) {
    await src.close?.();
    throw err;
  }
}
