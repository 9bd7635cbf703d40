/**
 * Open a caller's input (a path or bytes) as a {@link ByteSource} and pick its handler
 * by content, not by extension.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { BufferSource, type ByteSource } from '../binary/byte-source.ts';
import { FileSource } from '../binary/file-source.ts';
import { type PooledBytes, takeReadBuffer } from '../binary/read-pool.ts';
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
  /**
   * Present when the bytes are lent from the read pool (`openInputBuffered(…, { pooled: true })`):
   * `close()` gives them back unless this was called first, for bytes handed to something that
   * may keep them (sharp, whose cache knows a buffer by its address).
   */
  retainBytes?(): void;
}

/**
 * Open `input` and detect its format.
 * @throws {IoError} when a path cannot be read.
 * @throws {UnsupportedFormatError} when no handler recognises the content.
 */
export async function openInput(input: MediaInput): Promise<OpenedInput> {
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    throw InvalidArgumentError.expected('a path or a Uint8Array', 'input', input);
  return openSource(typeof input === 'string' ? await FileSource.open(input) : new BufferSource(input), input);
}

/** {@link openInput} of a source already open (closed here on failure). */
async function openSource(src: ByteSource, input: MediaInput): Promise<OpenedInput> {
  try {
    const handler = await detectSourceHandler(src);
    const variant = handler.variantOf?.(await src.read(0, Math.min(SNIFF_BYTES, src.size))) ?? {
      mime: handler.mimeTypes[0]!,
      extension: handler.extensions[0]!,
    };
    let extensionWarning: string | undefined;
    if (typeof input === 'string') {
      const ext = path.extname(input).slice(1).toLowerCase();
      if (ext && !handler.extensions.includes(ext)) {
        extensionWarning = `file extension .${ext} does not match its content (${handler.id})`;
      }
    }
    return {
      src,
      handler,
      variant,
      ...(typeof input === 'string' ? { path: input } : {}),
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

/**
 * The whole of a regular file of at most {@link IN_MEMORY_MAX_BYTES}, read through one
 * descriptor (open, fstat, read, close: no second lookup of the path); for a larger regular
 * file, that descriptor kept open as a {@link FileSource}; undefined for anything else or on
 * any error, which `openInput` then reports. Opened non-blocking, so a FIFO given as the path
 * never blocks here.
 */
function readOrOpen(file: string, pooled: boolean): { bytes: Uint8Array; release?: () => void } | { large: FileSource } | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  let lent: PooledBytes | undefined;
  let keep = false;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    if (st.size > IN_MEMORY_MAX_BYTES) {
      keep = true; // from here the descriptor is the source's (adopt closes it should it throw)
      return { large: FileSource.adopt(fd, st, file) };
    }
    lent = pooled ? takeReadBuffer(st.size) : undefined;
    const bytes = lent ? lent.bytes : Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n <= 0) break; // the file shrank meanwhile: what is there
      at += n;
    }
    return { bytes: at === bytes.length ? bytes : bytes.subarray(0, at), ...(lent ? { release: lent.release } : {}) };
  } catch {
    lent?.release();
    return undefined;
  } finally {
    if (!keep) closeSync(fd);
  }
}

/**
 * `openInput`, reading a small file whole first with one read (keeping the extension
 * check): the handlers' many small positioned reads then cost nothing. Larger files are
 * parsed by seeking. With `pooled`, the bytes are lent from the read pool
 * (`binary/read-pool.ts`) and given back by `close()`: only for a caller that keeps no view
 * of them past `close()` (see {@link OpenedInput.retainBytes}).
 * @throws as {@link openInput}.
 */
export async function openInputBuffered(input: MediaInput, options: { pooled?: boolean } = {}): Promise<OpenedInput> {
  if (typeof input !== 'string') return openInput(input);
  const read = readOrOpen(input, options.pooled === true);
  if (!read) return openInput(input);
  if ('large' in read) return openSource(read.large, input);
  let opened: OpenedInput;
  try {
    opened = await openInput(read.bytes);
  } catch (err) {
    read.release?.();
    throw err;
  }
  const ext = path.extname(input).slice(1).toLowerCase();
  const extensionWarning =
    ext && !opened.handler.extensions.includes(ext)
      ? `file extension .${ext} does not match its content (${opened.handler.id})`
      : undefined;
  const withPath = { ...opened, path: input, ...(extensionWarning ? { extensionWarning } : {}) };
  if (!read.release) return withPath;
  let release: (() => void) | undefined = read.release;
  return {
    ...withPath,
    close: async () => {
      await opened.close();
      release?.();
      release = undefined;
    },
    retainBytes: () => {
      release = undefined;
    },
  };
}
