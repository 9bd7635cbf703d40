/**
 * The report page on the service (issue #16 item 3), in headless Chromium (Debian's chromium through
 * puppeteer-core): a file chosen or dropped on `/` is uploaded to the service, verified there, and its report
 * renders in the page (verdict, chain nodes) in English and Chinese; the address becomes
 * `/report/:jobId`, which renders the same report on the server; the page loads nothing from another
 * origin, logs no console error under its strict Content-Security-Policy, and has no serious axe-core
 * violation.
 */
import { createRequire } from 'node:module';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../../src/report/pdf.ts';
import { t } from '../../src/report/i18n.ts';
import { PAGE_CSP } from '../../src/report/page.ts';
import type { Service } from '../../src/server/app.ts';
import { gen } from '../helpers.ts';
import { post, startService, tempDir, testConfig, TOKEN } from './helpers.ts';

const AXE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let service: Service;
let base: string;
let dir: string;
let stampedFile: string;
let tamperedFile: string;

beforeAll(async () => {
  dir = await tempDir('aigc-page-');
  ({ service, base } = await startService(testConfig(path.join(dir, 'spool'))));
  const r = await post(base, '/v1/stamp?explicit=false', await readFile(gen('images', 'seed.jpg')), { authorization: `Bearer ${TOKEN}` });
  expect(r.status).toBe(200);
  const stamped = Buffer.from(await r.arrayBuffer());
  stampedFile = path.join(dir, 'stamped.jpg');
  await writeFile(stampedFile, stamped);
  stamped[stamped.length - 200] ^= 0x55;
  tamperedFile = path.join(dir, 'tampered.jpg');
  await writeFile(tamperedFile, stamped);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  consoleErrors: string[];
  foreign: string[];
}

async function watched(): Promise<Watched> {
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (req) => {
    if (!req.url().startsWith(base) && !req.url().startsWith('data:')) foreign.push(req.url());
  });
  return { page, consoleErrors, foreign };
}

async function upload(
  w: Watched,
  file: string,
  lang: 'en' | 'zh',
  how: 'choose' | 'drop' = 'choose',
): Promise<{ verdict: string; nodes: number; url: string; status: string }> {
  const response = await w.page.goto(`${base}/?lang=${lang}`, { waitUntil: 'load' });
  expect(response!.headers()['content-security-policy']).toBe(PAGE_CSP);
  if (how === 'choose') {
    const input = await w.page.$('#file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
  } else {
    // A drop as the browser delivers it: a DragEvent whose DataTransfer holds the file.
    const b64 = (await readFile(file)).toString('base64');
    await w.page.evaluate(
      (data: string, name: string) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type: 'image/jpeg' }));
        document.getElementById('upload')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      b64,
      path.basename(file),
    );
  }
  await w.page.waitForSelector('#report .banner .verdict', { timeout: 30_000 });
  return w.page.evaluate(() => ({
    verdict: document.querySelector('#report .banner .verdict')?.textContent ?? '',
    nodes: document.querySelectorAll('#report ol.chain > li').length,
    url: location.pathname,
    status: document.getElementById('status')?.textContent ?? '',
  }));
}

describe('the report page', () => {
  it('uploads a chosen file, renders its verdict in the page, and links to the finished report', async () => {
    const w = await watched();
    const r = await upload(w, stampedFile, 'en');
    expect(r.verdict).toBe(t('en', 'verdict.Trusted'));
    expect(r.nodes).toBe(1);
    expect(r.url).toMatch(/^\/report\/inspect-[0-9a-f]{40}$/);
    expect(r.status).toBe(t('en', 'page.done', { name: 'stamped.jpg' }));
    // The link renders the same report on the server (no script needed).
    const again = await browser.newPage();
    await again.setJavaScriptEnabled(false);
    const res = await again.goto(`${base}${r.url}?lang=en`, { waitUntil: 'load' });
    expect(res!.status()).toBe(200);
    expect(await again.$eval('#report .banner .verdict', (e) => e.textContent)).toBe(t('en', 'verdict.Trusted'));
    await again.close();
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await w.page.close();
  }, 60_000);

  it('says why a dropped tampered file is Invalid, in Chinese', async () => {
    const w = await watched();
    const r = await upload(w, tamperedFile, 'zh', 'drop');
    expect(r.verdict).toBe(t('zh', 'verdict.Invalid'));
    expect(r.status).toBe(t('zh', 'page.done', { name: 'tampered.jpg' }));
    expect(await w.page.$eval('#report .banner .reason', (e) => e.textContent ?? '')).toMatch(/^.+/);
    expect(await w.page.$eval('html', (e) => e.getAttribute('lang'))).toBe('zh-CN');
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await w.page.close();
  }, 60_000);

  it('has no serious accessibility violation, before and after a report', async () => {
    const w = await watched();
    await upload(w, stampedFile, 'en');
    const page = await browser.newPage();
    await page.setBypassCSP(true);
    for (const url of [`${base}/`, `${base}${new URL(w.page.url()).pathname}`]) {
      await page.goto(url, { waitUntil: 'load' });
      await page.addScriptTag({ content: await AXE });
      const serious = await page.evaluate(async () => {
        const res = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run();
        return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      });
      expect(serious).toEqual([]);
    }
    await page.close();
    await w.page.close();
  }, 60_000);

  it('answers 404 for an unknown report and serves its assets under the same policy', async () => {
    const r = await fetch(`${base}/report/inspect-${'0'.repeat(40)}`);
    expect(r.status).toBe(404);
    expect(await r.text()).toContain(t('en', 'page.notFound', { id: `inspect-${'0'.repeat(40)}` }));
    const js = await fetch(`${base}/assets/report-page.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect((await fetch(`${base}/`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } })).headers.get('content-type')).toMatch(
      /text\/html/,
    );
    expect(await (await fetch(`${base}/`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } })).text()).toContain(t('zh', 'page.title'));
  });
});
