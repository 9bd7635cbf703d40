/**
 * One typed error for a failure inside sharp (libvips), shared by the explicit label's overlay and
 * the image watermark. libvips collects its messages in one buffer for the whole process, so a
 * failure's text can carry the same lines again (sharp prefixes the first one) when other decodes failed at the same time (a
 * verify thread beside the main thread); repeated lines are dropped, so the message of the same
 * bad file reads the same wherever it was decoded.
 */
import { LimitExceededError, MalformedInputError, said, ToolkitError, UnsupportedFormatError } from '../errors.ts';

/** libvips's message with each line kept once, in first-seen order (a line that ends a kept one, as after sharp's own prefix, counts as seen). */
export function sharpMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const kept: string[] = [];
  for (const line of msg.split('\n')) if (!kept.some((k) => k.endsWith(line))) kept.push(line);
  return kept.join('\n');
}

/**
 * The typed error for `err`, thrown by sharp while doing `what` (`notImage`: the catalogue key of
 * "not a JPEG, PNG or WebP image" in the caller's words). A typed error passes through unchanged.
 * Returns: {@link LimitExceededError} (pixel limit), {@link UnsupportedFormatError}, else {@link MalformedInputError}.
 */
export function sharpError(err: unknown, what: string, notImage: 'err.wm.notImage' | 'err.lbl.notJPEGPNGWebP'): ToolkitError {
  if (err instanceof ToolkitError) return err;
  const msg = sharpMessage(err);
  if (/pixel limit/i.test(msg))
    return new LimitExceededError('MAX_IMAGE_PIXELS', said('err.in', '{where}: {message}', { where: what, message: msg }), { cause: err });
  if (/unsupported image format/i.test(msg))
    return new UnsupportedFormatError(said(notImage, '{what}: not a JPEG, PNG or WebP image', { what }), { cause: err });
  return new MalformedInputError('image', said('err.in', '{where}: {message}', { where: what, message: msg }), undefined, { cause: err });
}
