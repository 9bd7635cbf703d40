/**
 * Printing a report page to PDF with headless Chromium (Debian's `chromium`, or `$AIGC_CHROMIUM`),
 * driven by puppeteer-core. The page is loaded from a string with every network request refused.
 */
import { existsSync } from 'node:fs';
import { writeBytesAtomic } from '../binary/atomic-write.ts';
import { ExternalToolError, said } from '../errors.ts';

/** Where Chromium is looked for, in order. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The Chromium executable to use.
 * @throws {ExternalToolError} when none is installed.
 */
export function chromiumPath(): string {
  const p = process.env.AIGC_CHROMIUM ?? CHROMIUM_PATHS.find((c) => existsSync(c));
  if (!p || !existsSync(p))
    throw new ExternalToolError(
      said('err.rpt.chromiumNeededPrintPDF', 'Chromium is needed to print a PDF (apt-get install chromium, or set AIGC_CHROMIUM)'),
    );
  return p;
}

/** Launch headless Chromium with puppeteer-core. */
export async function launchChromium() {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/**
 * Print `html` to `out` as an A4 PDF.
 * @throws {ExternalToolError} when Chromium is missing or fails.
 */
export async function printPdf(html: string, out: string): Promise<void> {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (req) => (req.url().startsWith('data:') ? req.continue() : req.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    writeBytesAtomic(
      out,
      await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } }),
    );
  } catch (err) {
    if (err instanceof ExternalToolError) throw err;
    throw new ExternalToolError(
      said('err.rpt.chromiumCouldNotPrint', 'Chromium could not print the report: {v1}', { v1: (err as Error).message }),
      { cause: err },
    );
  } finally {
    await browser?.close();
  }
}
