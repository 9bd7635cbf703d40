/**
 * `npm run report:screens`: render the investigator's report for a few fixtures in both languages and
 * write screenshots (and the HTML) to `.cache/report-screens/` for review. Not golden images: nothing
 * compares them.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFixtures, GENERATED_DIR } from './make-fixtures.ts';
import { inspect } from '../src/service/inspect.ts';
import { renderHtmlReport } from '../src/report/html.ts';
import { collectThumbnails } from '../src/report/index.ts';
import { launchChromium } from '../src/report/pdf.ts';

const OUT = path.resolve('.cache/report-screens');
const FILES = [
  'chain/stamped.jpg',
  'chain/platform-a.jpg',
  'chain/forged-producer-xmp.jpg',
  'chain/forged-label-copied-unsigned.jpg',
  'verify/sdk-es256.jpg',
  'images/seed.jpg',
];

async function main(): Promise<void> {
  await makeFixtures();
  await mkdir(OUT, { recursive: true });
  const anchorsPem = await readFile(path.join(GENERATED_DIR, 'pki/roots.pem'), 'utf8');
  const browser = await launchChromium();
  try {
    for (const rel of FILES) {
      const file = path.join(GENERATED_DIR, rel);
      const report = await inspect(file, { trust: { anchorsPem } });
      for (const lang of ['zh', 'en'] as const) {
        const html = renderHtmlReport(report, { lang, fileName: path.basename(file), thumbnails: await collectThumbnails(file) });
        const base = path.join(OUT, `${rel.replace(/\//g, '_')}.${lang}`);
        await writeFile(`${base}.html`, html);
        const page = await browser.newPage();
        await page.setViewport({ width: 1200, height: 900 });
        await page.setContent(html, { waitUntil: 'load' });
        await page.screenshot({ path: `${base}.png` as `${string}.png`, fullPage: true });
        await page.close();
        process.stdout.write(`${base}.png\n`);
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`report:screens failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
