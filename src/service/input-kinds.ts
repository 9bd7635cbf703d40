/**
 * Every input kind the library's entry points accept (issue #12 §7): a path, a `Uint8Array`
 * (a Node Buffer included), an `ArrayBuffer`, a `Blob` (a `File` included), a web
 * `ReadableStream` of bytes or a Node `Readable`. Paths are read by seeking (large files
 * are never loaded whole); the other kinds are collected into memory up to
 * {@link MAX_STREAM_INPUT_BYTES}.
 */
import { Readable } from 'node:stream';
import { MAX_STREAM_INPUT_BYTES } from '../binary/limits.ts';
import { InvalidArgumentError, IoError, LimitExceededError, ToolkitError, said } from '../errors.ts';
import type { MediaInput } from './input.ts';

/** What `stamp`, `propagate`, `verify`, `inspect` and `decide` take as input. */
export type InputLike = MediaInput | ArrayBuffer | Blob | ReadableStream<Uint8Array> | Readable;

const EXPECTED = 'a path, a Uint8Array, an ArrayBuffer, a Blob, a ReadableStream or a Node Readable';

/** Whether `x` is one of the accepted input kinds. */
export function isInputLike(x: unknown): x is InputLike {
  return (
    typeof x === 'string' ||
    x instanceof Uint8Array ||
    x instanceof ArrayBuffer ||
    x instanceof Blob ||
    x instanceof ReadableStream ||
    x instanceof Readable
  );
}

async function collect(chunks: AsyncIterable<unknown>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    const bytes = typeof c === 'string' ? Buffer.from(c) : c instanceof Uint8Array ? c : undefined;
    if (!bytes) throw InvalidArgumentError.expected('a stream of bytes', 'input stream chunk', c);
    total += bytes.length;
    if (total > MAX_STREAM_INPUT_BYTES)
      throw new LimitExceededError(
        'MAX_STREAM_INPUT_BYTES',
        said('err.input.streamTooLarge', 'stream input larger than {max} bytes; pass a path instead', { max: MAX_STREAM_INPUT_BYTES }),
      );
    parts.push(bytes);
  }
  return Buffer.concat(parts, total);
}

/**
 * A path or bytes for any accepted input kind (streams and Blobs are read whole).
 * @throws {InvalidArgumentError} for anything else.
 * @throws {LimitExceededError} above {@link MAX_STREAM_INPUT_BYTES}.
 * @throws {IoError} when the stream fails.
 */
export async function materializeInput(input: unknown): Promise<MediaInput> {
  if (typeof input === 'string' || input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (!isInputLike(input)) throw InvalidArgumentError.expected(EXPECTED, 'input', input);
  if (input instanceof Blob && input.size > MAX_STREAM_INPUT_BYTES) {
    throw new LimitExceededError(
      'MAX_STREAM_INPUT_BYTES',
      said('err.input.blobTooLarge', 'Blob input of {size} bytes; pass a path instead', { size: input.size }),
    );
  }
  try {
    if (input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
    return await collect(
      input instanceof ReadableStream ? Readable.fromWeb(input as import('node:stream/web').ReadableStream) : (input as Readable),
    );
  } catch (err) {
    if (err instanceof ToolkitError) throw err;
    throw new IoError(said('err.input.streamFailed', 'the input stream failed: {reason}', { reason: (err as Error).message }), undefined, {
      cause: err,
    });
  }
}
