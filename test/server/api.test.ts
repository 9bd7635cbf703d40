/**
 * The HTTP API in its embedded mode (jobs run in-process): every endpoint, the report
 * shapes against the library's own, tokens, limits and the error answers.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect } from '../../src/service/inspect.ts';
import { verify } from '../../src/service/verify.ts';
import { parseHeaderJson } from '../../src/server/http-errors.ts';
import type { Service } from '../../src/server/app.ts';
import { gen } from '../helpers.ts';
import { blob, CODES, post, startService, tempDir, testConfig, TOKEN } from './helpers.ts';

const SEED = readFileSync(gen('images', 'seed.jpg'));
const AUTH = { authorization: `Bearer ${TOKEN}` };
const trust = { anchorsPem: readFileSync(gen('pki', 'roots.pem'), 'utf8') };

/** Drop what differs between two runs of the same verification (times). */
function stable(report: unknown): unknown {
  return JSON.parse(JSON.stringify(report), (k, v) => (k === 'time' || k === 'when' || k === 'validation_time' ? undefined : v));
}

let service: Service;
let base: string;
let spool: string;
let stamped: Buffer;

beforeAll(async () => {
  spool = await tempDir('aigc-api-');
  ({ service, base } = await startService(testConfig(spool, { limits: { maxUploadBytes: 4 * 1024 * 1024, maxInFlight: 8 } })));
  const r = await post(base, '/v1/stamp?explicit=false', SEED, AUTH);
  expect(r.status).toBe(200);
  stamped = Buffer.from(await r.arrayBuffer());
});

afterAll(async () => {
  await service?.close();
  await rm(spool, { recursive: true, force: true });
});

async function spoolFiles(): Promise<string[]> {
  const all: string[] = [];
  for (const d of ['tmp', 'in']) all.push(...(await readdir(path.join(spool, d))).map((n) => `${d}/${n}`));
  return all;
}

describe('reading endpoints', () => {
  it('POST /v1/verify answers the library report (the CLI --json shape) for a raw body', async () => {
    const r = await post(base, '/v1/verify', stamped);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const body = await r.json();
    expect(body.validation_state).toBe('Trusted');
    expect(stable(body)).toEqual(stable(await verify(new Uint8Array(stamped), { trust })));
  });

  it('POST /v1/inspect takes a multipart file part and equals inspect()', async () => {
    const form = new FormData();
    form.append('file', blob(stamped), 'x.jpg');
    const r = await fetch(`${base}/v1/inspect`, { method: 'POST', body: form });
    expect(r.status).toBe(200);
    expect(stable(await r.json())).toEqual(stable(await inspect(new Uint8Array(stamped), { trust })));
  });

  it('POST /v1/decide gives the Art. 6 decision; options from the query or an options JSON part', async () => {
    const r = await post(base, '/v1/decide', SEED);
    expect((await r.json()).prompt).toBe('none');
    const q = await post(base, '/v1/decide?declared_ai=true', SEED);
    expect(await q.json()).toMatchObject({ prompt: 'possibly-ai-generated', label: '2' });
    const form = new FormData();
    form.append('options', JSON.stringify({ declared_ai: true }));
    form.append('file', blob(SEED));
    const m = await fetch(`${base}/v1/decide`, { method: 'POST', body: form });
    expect(await m.json()).toMatchObject({ prompt: 'possibly-ai-generated' });
    const s = await post(base, '/v1/decide', stamped);
    expect(await s.json()).toMatchObject({ prompt: 'ai-generated', label: '1' });
  });

  it('a corrupt file gives 200 with an Invalid report, garbage 200 with an error report, never 500', async () => {
    const tampered = Buffer.from(stamped);
    tampered[tampered.length - 200] ^= 0xff;
    const r = await post(base, '/v1/verify', tampered);
    expect(r.status).toBe(200);
    expect((await r.json()).validation_state).toBe('Invalid');
    const g = await post(base, '/v1/verify', Buffer.from('this is not media'));
    expect(g.status).toBe(200);
    expect((await g.json()).error.code).toBe('UNSUPPORTED_FORMAT');
    const truncated = await post(base, '/v1/inspect', stamped.subarray(0, 3000));
    expect(truncated.status).toBe(200);
  });

  it('unknown or bad options are refused with 400 before anything runs', async () => {
    const r = await post(base, '/v1/verify?url=http://example.com/x.jpg', SEED);
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe('INVALID_ARGUMENT');
    expect((await post(base, '/v1/verify?at=yesterday', SEED)).status).toBe(400);
    expect((await post(base, '/v1/stamp?label_position=middle', SEED, AUTH)).status).toBe(400);
    expect(await spoolFiles()).toEqual([]);
  });
});

describe('signing endpoints', () => {
  it('stamp needs a valid bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic abc' }]) {
      const r = await post(base, '/v1/stamp', SEED, headers);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await post(base, '/v1/propagate', SEED)).status).toBe(401);
    expect((await post(base, '/v1/propagate', SEED, { authorization: 'Bearer nope' })).status).toBe(401);
    // A wrong token is refused on reading endpoints too; no token is fine there.
    expect((await post(base, '/v1/verify', SEED, { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('stamp returns the file with its summary; the same request returns the same bytes', async () => {
    const r = await post(base, '/v1/stamp?explicit=false', SEED, AUTH);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    const again = Buffer.from(await r.arrayBuffer());
    expect(again.equals(stamped)).toBe(true);
    const summary = parseHeaderJson(r.headers.get('x-aigc-result')!) as { label: { ContentProducer: string }; manifest: string };
    expect(summary.label.ContentProducer).toBe(CODES.producer);
    const report = await verify(new Uint8Array(again), { trust });
    expect(report.validation_state).toBe('Trusted');
    expect(report.active_manifest).toBe(summary.manifest);
  });

  it('stamp with the explicit label (default) draws it and records it', async () => {
    const r = await post(base, '/v1/stamp?label_position=top-left', SEED, AUTH);
    expect(r.status).toBe(200);
    const summary = parseHeaderJson(r.headers.get('x-aigc-result')!) as { explicit: { kind: string; position: string } };
    expect(summary.explicit).toMatchObject({ kind: 'image-overlay', position: 'top-left' });
  });

  it('propagate answers multipart/mixed (summary then file) when asked; the job can be read again', async () => {
    const r = await post(base, '/v1/propagate', stamped, { ...AUTH, accept: 'multipart/mixed' });
    expect(r.status).toBe(200);
    const type = r.headers.get('content-type')!;
    const boundary = /boundary=(\S+)/.exec(type)![1]!;
    const raw = Buffer.from(await r.arrayBuffer());
    const parts = raw.toString('latin1').split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    const json = JSON.parse(Buffer.from(parts[0]!.split('\r\n\r\n')[1]!.trimEnd(), 'latin1').toString('utf8'));
    expect(json.decision.prompt).toBe('ai-generated');
    expect(json.label.ContentPropagator).toBe(CODES.platformA);
    const fileText = parts[1]!.slice(parts[1]!.indexOf('\r\n\r\n') + 4, -2);
    const file = Buffer.from(fileText, 'latin1');
    const report = await verify(new Uint8Array(file), { trust });
    expect(report.validation_state).toBe('Trusted');
    expect(report.chain.length).toBe(2);
    const id = r.headers.get('x-aigc-job')!;
    const job = await (await fetch(`${base}/v1/jobs/${id}`)).json();
    expect(job).toMatchObject({ id, op: 'propagate', status: 'completed', output: { mime: 'image/jpeg', size: file.length } });
    const out = await fetch(`${base}/v1/jobs/${id}/output`, { headers: AUTH });
    expect(Buffer.from(await out.arrayBuffer()).equals(file)).toBe(true);
    expect((await fetch(`${base}/v1/jobs/${id}/output`)).status).toBe(401);
  });

  it('a file the handlers cannot sign gives a 4xx error, not a 500', async () => {
    const r = await post(base, '/v1/stamp?explicit=false', Buffer.from('plain text, not media'), AUTH);
    expect(r.status).toBe(415);
    expect((await r.json()).error.code).toBe('UNSUPPORTED_FORMAT');
  });
});

describe('limits', () => {
  it('an oversize upload is refused with 413 and leaves nothing in the spool (declared and chunked)', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 1);
    const r = await post(base, '/v1/verify', big);
    expect(r.status).toBe(413);
    expect((await r.json()).error.code).toBe('LIMIT_EXCEEDED');
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(1024 * 1024 + 1));
        c.close();
      },
    });
    const s = await post(base, '/v1/verify', chunked).catch((err: Error) => err);
    if (s instanceof Response) expect(s.status).toBe(413);
    const form = new FormData();
    form.append('file', blob(big));
    const m = await fetch(`${base}/v1/verify`, {
      method: 'POST',
      body: form,
      headers: { 'content-length': undefined as unknown as string },
    }).catch((err: Error) => err);
    if (m instanceof Response) expect(m.status).toBe(413);
    await new Promise((res) => setTimeout(res, 200));
    expect(await spoolFiles()).toEqual([]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/aigc_http_rejected_total\{reason="size"\} [1-9]/);
  });

  it('past maxInFlight requests get 503 with Retry-After (a real upload holding the only slot)', async () => {
    const dir = await tempDir('aigc-busy-');
    const busy = await startService(testConfig(dir, { limits: { maxInFlight: 1, retryAfterSeconds: 3 } }));
    try {
      const url = new URL(`${busy.base}/v1/verify`);
      // An upload that sends half its body and waits: it holds the one slot.
      const slow = http.request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-length': String(SEED.length) },
      });
      const slowDone = new Promise<number>((resolve, reject) => {
        slow.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        slow.on('error', reject);
      });
      slow.write(SEED.subarray(0, 1000));
      for (let i = 0; i < 100 && busy.service.state.inFlight === 0; i++) await new Promise((res) => setTimeout(res, 10));
      const r = await post(busy.base, '/v1/verify', SEED);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('3');
      expect((await r.json()).error.code).toBe('OVERLOADED');
      expect((await fetch(`${busy.base}/readyz`)).status).toBe(503);
      slow.end(SEED.subarray(1000));
      expect(await slowDone).toBe(200);
      expect((await post(busy.base, '/v1/verify', SEED)).status).toBe(200);
      expect(await (await fetch(`${busy.base}/metrics`)).text()).toMatch(/aigc_http_rejected_total\{reason="overload"\} 1/);
    } finally {
      await busy.service.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an upload aborted midway leaves nothing in the spool and frees its slot', async () => {
    const url = new URL(`${base}/v1/verify`);
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-length': String(SEED.length) },
    });
    req.on('error', () => undefined);
    req.write(SEED.subarray(0, 2000));
    for (let i = 0; i < 100 && service.state.inFlight === 0; i++) await new Promise((res) => setTimeout(res, 10));
    expect(service.state.inFlight).toBe(1);
    req.destroy();
    for (let i = 0; i < 100 && service.state.inFlight !== 0; i++) await new Promise((res) => setTimeout(res, 10));
    expect(service.state.inFlight).toBe(0);
    expect(await spoolFiles()).toEqual([]);
  });

  it('a token over its rate gets 429 with Retry-After; requireForRead makes reads need a token', async () => {
    const dir = await tempDir('aigc-rate-');
    const limited = await startService(
      testConfig(dir, { auth: { tokens: [`t:${TOKEN}`], ratePerSecond: 1, burst: 2, requireForRead: true } }),
    );
    try {
      expect((await post(limited.base, '/v1/verify', SEED)).status).toBe(401);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await post(limited.base, '/v1/verify', SEED, AUTH)).status);
      expect(codes).toEqual([200, 200, 429]);
      const r = await post(limited.base, '/v1/verify', SEED, AUTH);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.service.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('operations', () => {
  it('healthz, readyz, metrics and the OpenAPI document at /docs', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', runner: 'embedded' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/aigc_http_requests_total\{code="200",method="POST",route="\/v1\/verify"\} \d+/);
    expect(metrics).toMatch(/aigc_verdicts_total\{op="verify",verdict="Trusted"\} \d+/);
    expect(metrics).toMatch(/aigc_http_request_duration_seconds_bucket\{route="\/v1\/verify",le="0.05"\} \d+/);
    expect(metrics).toMatch(/aigc_queue_depth\{state="waiting"\} 0/);
    const doc = await (await fetch(`${base}/docs/json`)).json();
    for (const p of [
      '/v1/verify',
      '/v1/inspect',
      '/v1/decide',
      '/v1/propagate',
      '/v1/stamp',
      '/v1/jobs/{id}',
      '/healthz',
      '/readyz',
      '/metrics',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    expect(doc.paths['/v1/stamp'].post.security).toEqual([{ bearer: [] }]);
    const page = await fetch(`${base}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger/i);
  });

  it('GET /v1/jobs/:id: 404 for unknown ids, the stored result for known ones', async () => {
    expect((await fetch(`${base}/v1/jobs/verify-${'0'.repeat(40)}`)).status).toBe(404);
    expect((await fetch(`${base}/v1/jobs/..%2F..%2Fetc`)).status).toBe(404);
    const r = await post(base, '/v1/verify', stamped);
    const id = r.headers.get('x-aigc-job')!;
    const job = await (await fetch(`${base}/v1/jobs/${id}`)).json();
    expect(job).toMatchObject({ id, op: 'verify', status: 'completed' });
    expect(job.result.validation_state).toBe('Trusted');
  });
});
