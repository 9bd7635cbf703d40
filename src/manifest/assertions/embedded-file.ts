/**
 * Embedded-file assertions (thumbnails `c2pa.thumbnail.claim.*` / `c2pa.thumbnail.ingredient*`):
 * a superbox of the embedded-file type holding `bfdb` (toggles, NUL-terminated media type,
 * optional NUL-terminated file name) and `bidb` (the file bytes).
 */
import { MalformedInputError, said } from '../../errors.ts';
import { contentBox } from '../jumbf/superbox.ts';
import type { JumbfSuperbox } from '../jumbf/types.ts';

/** A decoded embedded file. */
export interface EmbeddedFile {
  readonly mediaType: string;
  readonly fileName?: string;
  /** True when `bidb` holds a URL to an external file rather than the bytes. */
  readonly external: boolean;
  /** The file bytes (or URL bytes when external). */
  readonly data: Uint8Array;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** Whether a label names a thumbnail assertion. */
export function isThumbnailLabel(label: string): boolean {
  return /^c2pa\.thumbnail\.(claim|ingredient)(\.|$|__)/.test(label);
}

/**
 * Read the `bfdb`/`bidb` pair of an embedded-file superbox.
 * @throws {MalformedInputError} when a box is missing or the media type is not NUL-terminated.
 */
export function readEmbeddedFile(box: JumbfSuperbox): EmbeddedFile {
  const desc = contentBox(box, 'bfdb');
  const data = contentBox(box, 'bidb');
  if (!desc || !data)
    throw new MalformedInputError(
      'c2pa.thumbnail',
      said('err.c2pa.embeddedFileNeedsBfdb', 'embedded file needs bfdb and bidb boxes'),
      box.offset,
    );
  const p = desc.payload;
  if (p.length < 2) throw new MalformedInputError('c2pa.thumbnail', said('err.c2pa.bfdbBoxTooShort', 'bfdb box too short'), desc.offset);
  const toggles = p[0];
  const end = p.indexOf(0, 1);
  if (end < 0)
    throw new MalformedInputError(
      'c2pa.thumbnail',
      said('err.c2pa.bfdbMediaTypeNot', 'bfdb media type is not NUL-terminated'),
      desc.offset,
    );
  const mediaType = UTF8.decode(p.subarray(1, end));
  let fileName: string | undefined;
  if (toggles & 0x01) {
    const fe = p.indexOf(0, end + 1);
    fileName = UTF8.decode(p.subarray(end + 1, fe < 0 ? p.length : fe));
  }
  return { mediaType, fileName, external: (toggles & 0x02) !== 0, data: data.payload };
}
