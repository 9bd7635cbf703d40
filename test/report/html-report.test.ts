/**
 * The investigator's HTML report (issue #16), opened in headless Chromium (Debian's chromium through
 * puppeteer-core): for our stamped JPEG and MP4, a two-platform chain, a tampered file, a label with no
 * manifest, a file with nothing and an SDK-signed file, in Chinese and English: the verdict text, the
 * number of chain nodes, the failing node's text, no console error, no network request, and no
 * serious accessibility violation (axe-core). A 10-step chain wraps without overlapping nodes.
 */
import { createRequire } from 'node:module';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { launchChromium } from '../../src/report/pdf.ts';
import { renderHtmlReport, verdictOf } from '../../src/report/html.ts';
import { collectThumbnails } from '../../src/report/index.ts';
import { t, type Lang } from '../../src/report/i18n.ts';
import { inspect } from '../../src/service/inspect.ts';
import { propagate } from '../../src/service/propagate.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { gen } from '../helpers.ts';
import { cfx, signerFor, trust, CODES } from '../chain/helpers.ts';

const AXE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let dir: string;
const cases: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-report-'));
  const bytes = await readFile(cfx('stamped.jpg'));
  bytes[bytes.length - 200] ^= 0x55;
  await writeFile(path.join(dir, 'tampered.jpg'), bytes);
  await propagate(cfx('platform-a.jpg'), {
    signer: await signerFor('platform-b'),
    propagator: CODES.platformB,
    trust: trust(),
    output: path.join(dir, 'platform-b.jpg'),
  }).catch(() => undefined);
  Object.assign(cases, {
    stampedJpeg: cfx('stamped.jpg'),
    stampedMp4: cfx('stamped.mp4'),
    twoPlatforms: path.join(dir, 'platform-b.jpg'),
    tampered: path.join(dir, 'tampered.jpg'),
    labelOnly: cfx('forged-label-copied-unsigned.jpg'),
    nothing: gen('images/seed.jpg'),
    sdkSigned: gen('verify/sdk-es256.jpg'),
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Opened {
  verdict: string;
  nodes: number;
  failing: string[];
  consoleErrors: string[];
  requests: string[];
  serious: string[];
}

async function open(html: string): Promise<Opened> {
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (!req.url().startsWith('data:') && req.url() !== 'about:blank') requests.push(req.url());
    void req.continue();
  });
  await page.setContent(html, { waitUntil: 'load' });
  const result = await page.evaluate(() => ({
    verdict: document.querySelector('.banner .verdict')?.textContent ?? '',
    nodes: document.querySelectorAll('ol.chain > li').length,
    failing: Array.from(document.querySelectorAll('ol.chain > li.fail')).map((n) => n.textContent ?? ''),
  }));
  await page.setBypassCSP(true);
  const page2 = await browser.newPage();
  await page2.setBypassCSP(true);
  await page2.setContent(html, { waitUntil: 'load' });
  await page2.addScriptTag({ content: await AXE });
  const serious = await page2.evaluate(async () => {
    const res = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run();
    return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
  await page.close();
  await page2.close();
  return { ...result, consoleErrors, requests, serious };
}

const EXPECT: Record<string, { verdict: string; failing: boolean }> = {
  stampedJpeg: { verdict: 'Trusted', failing: false },
  stampedMp4: { verdict: 'Trusted', failing: false },
  twoPlatforms: { verdict: 'Trusted', failing: false },
  tampered: { verdict: 'Invalid', failing: true },
  nothing: { verdict: 'nothing', failing: false },
  sdkSigned: { verdict: 'Trusted', failing: false },
};

describe.each(['zh', 'en'] as Lang[])('HTML report (%s)', (lang) => {
  it.each(Object.keys(EXPECT).concat('labelOnly'))(
    '%s: verdict, chain nodes, failing node; offline, no errors, accessible',
    async (name) => {
      const report = await inspect(cases[name]!, { trust: trust() });
      const v = verdictOf(report);
      if (EXPECT[name]) expect(v).toBe(EXPECT[name]!.verdict);
      else expect(['unsignedLabel', 'Invalid']).toContain(v);
      const html = renderHtmlReport(report, {
        lang,
        fileName: path.basename(cases[name]!),
        thumbnails: await collectThumbnails(cases[name]!),
      });
      const o = await open(html);
      expect(o.verdict).toBe(t(lang, `verdict.${v}`));
      expect(o.nodes).toBe(report.chain.length);
      if (name === 'twoPlatforms') expect(o.nodes).toBe(3);
      if (EXPECT[name]?.failing) {
        expect(o.failing.length).toBeGreaterThan(0);
        const step = report.chain.find((s) => s.validation_state === 'Invalid')!;
        expect(o.failing[0]).toContain(step.failures[0]!.code);
        expect(o.failing[0]).toContain(t(lang, `role.${step.role}`));
      }
      expect(o.consoleErrors).toEqual([]);
      expect(o.requests).toEqual([]);
      expect(o.serious).toEqual([]);
    },
  );
});

describe('a 10-step chain', () => {
  it('wraps onto rows with no overlapping nodes', async () => {
    const base = (await inspect(cases.twoPlatforms!, { trust: trust() })) as VerifyReport;
    const steps = Array.from({ length: 10 }, (_, i) => ({
      ...base.chain[Math.min(i, base.chain.length - 1)]!,
      index: i,
      role: i === 0 ? ('creation' as const) : ('propagation' as const),
      manifest: `urn:c2pa:step-${i}`,
    }));
    const html = renderHtmlReport({ ...base, chain: steps }, { lang: 'zh' });
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.setContent(html, { waitUntil: 'load' });
    const boxes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('ol.chain > li')).map((n) => {
        const r = n.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    await page.close();
    expect(boxes).toHaveLength(10);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `nodes ${i} and ${j} overlap`).toBe(false);
      }
    }
    expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBeGreaterThan(1);
    expect(Math.max(...boxes.map((b) => b.x + b.w))).toBeLessThanOrEqual(1200);
  });
});
