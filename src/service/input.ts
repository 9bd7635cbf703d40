/**
 * Open a caller's input (a path or bytes) as a {@link ByteSource} and pick its handler
 * by content, not by extension.
 */
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BufferSource, type ByteSource } from '../binary/byte-source.ts';
import { FileSource, HeldFileBytes } from '../binary/file-source.ts';
import { detectSourceHandler, SNIFF_BYTES } from '../formats/registry.ts';
import type { FormatHandler } from '../formats/types.ts';
import { InvalidArgumentError } from '../errors.ts';

/** A path on disk or the bytes themselves. */
export type MediaInput = string | Uint8Array;

/** An opened input with its handler. */
export interface OpenedInput {
  readonly src: ByteSource;
  readonly handler: FormatHandler;
  readonly path?: string;
  /** This file's MIME type and usual extension (an M4A is `audio/mp4` though its handler is MP4's). */
  readonly variant: { readonly mime: string; readonly extension: string };
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
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    throw InvalidArgumentError.expected('a path or a Uint8Array', 'input', input);
  const src: ByteSource = typeof input === 'string' ? await FileSource.open(input) : new BufferSource(input);
  return openSource(src, typeof input === 'string' ? input : undefined);
}

/** Detect the handler of an open source (closed on failure); `filePath` is the path it was read from. */
async function openSource(src: ByteSource, filePath: string | undefined): Promise<OpenedInput> {
  try {
    const handler = await detectSourceHandler(src);
    const variant = handler.variantOf?.(await src.read(0, Math.min(SNIFF_BYTES, src.size))) ?? {
      mime: handler.mimeTypes[0]!,
      extension: handler.extensions[0]!,
    };
    let extensionWarning: string | undefined;
    if (filePath !== undefined) {
      const ext = path.extname(filePath).slice(1).toLowerCase();
      if (ext && !handler.extensions.includes(ext)) {
        extensionWarning = `file extension .${ext} does not match its content (${handler.id})`;
      }
    }
    return {
      src,
      handler,
      variant,
      ...(filePath !== undefined ? { path: filePath } : {}),
      ...(extensionWarning ? { extensionWarning } : {}),
      close: async () => {
        await src.close?.();
      },
    };
  } catch (err) {
    await src.close?.();
    throw err;
  }
}

/**
 * Files up to this size are read into memory with one synchronous read before parsing (a
 * few milliseconds at most, as the reference SDK's own reads): the handlers' many small
 * positioned reads then cost no event-loop round trips, which more than halves the time per
 * file. Larger files are parsed by seeking and hashed in chunks, never loaded whole.
 */
export const IN_MEMORY_MAX_BYTES = 8 * 1024 * 1024;

/** Options of {@link openInputBuffered}. */
export interface BufferedOpenOptions {
  /**
   * Keep a small file's descriptor open until `close()` (its source is then a
   * `HeldFileBytes`), so another thread can read the same open file: `verify` hashes it on
   * the hashing thread while this thread checks the rest (`binding/prefetch-hash.ts`).
   */
  readonly holdFile?: boolean;
}

/**
 * `openInput`, reading a small file whole first with one read (keeping the extension
 * check): the handlers' many small positioned reads then cost nothing. Larger files are
 * parsed by seeking.
 * @throws as {@link openInput}.
 */
export async function openInputBuffered(input: MediaInput, options: BufferedOpenOptions = {}): Promise<OpenedInput> {
  if (typeof input !== 'string') return openInput(input);
  let src: ByteSource | undefined;
  let fd: number | undefined;
  try {
    const st = statSync(input);
    if (st.isFile() && st.size <= IN_MEMORY_MAX_BYTES) {
      if (options.holdFile) {
        fd = openSync(input, 'r');
        src = new HeldFileBytes(readFileSync(fd), fd);
      } else src = new BufferSource(readFileSync(input));
    }
  } catch {
    if (fd !== undefined && !src) closeSync(fd);
    src = undefined; // openInput reports the path's problem
  }
  if (!src) return openInput(input);
  return openSource(src, input);
}
