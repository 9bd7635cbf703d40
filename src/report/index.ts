/**
 * Writing the investigator's report for a file: inspect it, gather thumbnails (each manifest's
 * `c2pa.thumbnail.claim.*`, and one made from the file itself), render the page in the chosen
 * language, write it atomically; optionally print it to PDF through headless Chromium.
 */
import path from 'node:path';
import { writeBytesAtomic } from '../binary/atomic-write.ts';
import { openInput, type MediaInput } from '../service/input.ts';
import { inspect, type InspectOptions } from '../service/inspect.ts';
import { parseManifestStore } from '../manifest/index.ts';
import { readEmbeddedFile } from '../manifest/assertions/embedded-file.ts';
import type { VerifyReport } from '../verify/report/report.ts';
import { renderHtmlReport } from './html.ts';
import type { Lang } from './i18n.ts';

/** Largest thumbnail embedded in a report (bytes); bigger ones are skipped. */
export const MAX_REPORT_THUMBNAIL_BYTES = 2 * 1024 * 1024;
const IMAGE = /^image\/(jpeg|png|webp|gif)$/;

const dataUri = (mime: string, bytes: Uint8Array) => `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;

/** Thumbnails of a file, by manifest label, plus `file` (made from the file when it is an image). Never throws. */
export async function collectThumbnails(input: MediaInput): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    const o = await openInput(input);
    try {
      const bytes = await o.handler.readManifest(o.src);
      if (bytes) {
        for (const m of parseManifestStore(bytes).manifests) {
          const a = m.assertions.find((x) => x.label.startsWith('c2pa.thumbnail.claim'));
          if (!a) continue;
          const f = readEmbeddedFile(a.box);
          if (!f.external && IMAGE.test(f.mediaType) && f.data.length <= MAX_REPORT_THUMBNAIL_BYTES)
            out[m.label] = dataUri(f.mediaType, f.data);
        }
      }
      if (o.variant.mime.startsWith('image/')) {
        const { default: sharp } = await import('sharp');
        const src = typeof input === 'string' ? input : Buffer.from(input);
        out.file = dataUri(
          'image/jpeg',
          await sharp(src, { failOn: 'none' }).rotate().resize(240, 160, { fit: 'inside' }).jpeg({ quality: 70 }).toBuffer(),
        );
      }
    } finally {
      await o.close();
    }
  } catch {
    /* a file we cannot read still gets a report, without pictures */
  }
  return out;
}

/** Options of {@link writeHtmlReport}. */
export interface WriteReportOptions extends InspectOptions {
  readonly lang: Lang;
  /** Also print the page to this PDF (needs Chromium). */
  readonly pdf?: string;
}

/**
 * Inspect `input` and write its HTML report to `out` (and a PDF when asked). Returns the report it rendered.
 * @throws {IoError} when the output cannot be written.
 * @throws {ExternalToolError} when a PDF is asked for and Chromium cannot print it.
 */
export async function writeHtmlReport(input: string, out: string | undefined, opts: WriteReportOptions): Promise<VerifyReport> {
  const report = await inspect(input, opts);
  const html = renderHtmlReport(report, { lang: opts.lang, fileName: path.basename(input), thumbnails: await collectThumbnails(input) });
  if (out) writeBytesAtomic(out, new TextEncoder().encode(html));
  if (opts.pdf) {
    const { printPdf } = await import('./pdf.ts');
    await printPdf(html, opts.pdf);
  }
  return report;
}
