/**
 * The ordered list of format handlers and content-based detection. Cheap, strict
 * sniffers come first; MP3 (whose frame-sync sniff is the loosest) comes last.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { UnsupportedFormatError, said } from '../errors.ts';
import { aviHandler } from './avi.ts';
import { flacHandler, isFlacSource } from './flac.ts';
import { flvHandler } from './flv.ts';
import { gifHandler } from './gif.ts';
import { heifHandler } from './heif.ts';
import { jpegHandler } from './jpeg.ts';
import { mkvHandler } from './mkv.ts';
import { mp3Handler } from './mp3.ts';
import { mp4Handler } from './mp4.ts';
import { oggHandler } from './ogg.ts';
import { pngHandler } from './png.ts';
import { wavHandler } from './wav.ts';
import { webpHandler } from './webp.ts';
import type { FormatHandler, FormatId } from './types.ts';

const KIND_ORDER = ['image', 'audio', 'video'];

/** Every handler, in detection order. */
export const FORMAT_HANDLERS: readonly FormatHandler[] = [
  jpegHandler,
  pngHandler,
  webpHandler,
  wavHandler,
  flacHandler,
  oggHandler,
  heifHandler,
  mp4Handler,
  mkvHandler,
  flvHandler,
  gifHandler,
  aviHandler,
  mp3Handler,
];

/** The supported containers for messages, from the table: `JPEG, PNG, …`. */
export const SUPPORTED_NAMES = [...FORMAT_HANDLERS]
  .sort((a, b) => KIND_ORDER.indexOf(a.mediaKind) - KIND_ORDER.indexOf(b.mediaKind))
  .map((h) => h.name)
  .join(', ');

/** How many bytes a sniffer sees. */
export const SNIFF_BYTES = 64;

/** The handler with this id. */
export function handlerById(id: FormatId): FormatHandler {
  const h = FORMAT_HANDLERS.find((x) => x.id === id);
  if (!h) throw new UnsupportedFormatError(said('err.format.noHandler', 'no handler for {id}', { id }));
  return h;
}

/**
 * The handler whose sniffer accepts `head` (the first ≤ 64 bytes).
 * @throws {UnsupportedFormatError} when none does.
 */
export function detectHandler(head: Uint8Array): FormatHandler {
  for (const h of FORMAT_HANDLERS) if (h.sniff(head)) return h;
  throw new UnsupportedFormatError(
    said('err.format.unrecognised', 'unrecognised content (starts with {head}); supported: {supported}', {
      head: hexHead(head),
      supported: SUPPORTED_NAMES,
    }),
  );
}

/**
 * Detect the handler of a source. An ID3v2 tag in front of the content (MP3, or FLAC
 * as the reference SDK writes it) is skipped before sniffing again, so a FLAC with a
 * C2PA ID3 tag is still FLAC.
 * @throws {UnsupportedFormatError} when no handler recognises the content.
 */
export async function detectSourceHandler(src: ByteSource): Promise<FormatHandler> {
  const head = await src.read(0, Math.min(SNIFF_BYTES, src.size));
  if (head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33 && (await isFlacSource(src))) return flacHandler;
  return detectHandler(head);
}

function hexHead(head: Uint8Array): string {
  return Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(empty)';
}
