/**
 * The manifest repository on the service (issue #18): stamp and propagate outputs are recorded when
 * `repository` is configured, and the C2PA soft-binding resolution API answers through the service —
 * byBinding (GET and POST), byContent with a stripped, halved, re-encoded copy, manifests, and
 * supportedAlgorithms — in the specification's JSON shapes (validated with ajv).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifestStore } from '../../src/manifest/index.ts';
import { parseHeaderJson } from '../../src/server/http-errors.ts';
import type { Service } from '../../src/server/app.ts';
import { PHASH_ALG } from '../../src/repository/resolution-api.ts';
import { WATERMARK_ALGS } from '../../src/watermark/soft-binding.ts';
import { picture, platformCopy } from '../../scripts/support/pictures.ts';
import { post, startService, tempDir, testConfig, TOKEN } from './helpers.ts';
import { schemaErrors } from './resolution-schema.ts';

const AUTH = { authorization: `Bearer ${TOKEN}` };
interface Recorded {
  manifestId: string;
  logIndex: number;
  logOrigin: string;
  watermarkAlg?: string;
  watermarkId?: string;
  phash?: string;
}

let service: Service;
let base: string;
let dir: string;
let stamped: Buffer;
let summary: { manifest: string; watermark: { alg: string; id: string }; recorded: Recorded };
let propagated: string;

beforeAll(async () => {
  dir = await tempDir('aigc-resolution-');
  ({ service, base } = await startService(
    testConfig(path.join(dir, 'spool'), { repository: { dir: path.join(dir, 'repo'), origin: 'repo.example/service' } }),
  ));
  const r = await post(base, '/v1/stamp?explicit=false&watermark=true', await picture(11), AUTH);
  expect(r.status).toBe(200);
  stamped = Buffer.from(await r.arrayBuffer());
  summary = parseHeaderJson(r.headers.get('x-aigc-result')!) as typeof summary;
}, 60_000);

afterAll(async () => {
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

const getJson = async (route: string): Promise<{ status: number; body: unknown }> => {
  const r = await fetch(`${base}${route}`);
  return { status: r.status, body: await r.json() };
};

describe('recording on the service', () => {
  it('records a stamped output once, with its watermark id, perceptual hash and log entry', async () => {
    expect(summary.recorded).toMatchObject({
      manifestId: summary.manifest,
      logIndex: 0,
      logOrigin: 'repo.example/service',
      watermarkAlg: WATERMARK_ALGS.image,
      watermarkId: summary.watermark.id,
    });
    expect(summary.recorded.phash).toMatch(/^[0-9a-f]{16}$/);
    // The same request joins the finished job: the same output, the same record (not a second entry).
    const again = await post(base, '/v1/stamp?explicit=false&watermark=true', await picture(11), AUTH);
    expect((parseHeaderJson(again.headers.get('x-aigc-result')!) as typeof summary).recorded).toEqual(summary.recorded);
    const job = (await (await fetch(`${base}/v1/jobs/${again.headers.get('x-aigc-job')}`)).json()) as { result: { recorded: Recorded } };
    expect(job.result.recorded).toEqual(summary.recorded);
  });

  it("records a propagated output under the producer's watermark; byBinding lists it first", async () => {
    const r = await post(base, '/v1/propagate', stamped, AUTH);
    expect(r.status).toBe(200);
    const p = parseHeaderJson(r.headers.get('x-aigc-result')!) as { manifest: string; recorded: Recorded };
    expect(p.recorded).toMatchObject({ manifestId: p.manifest, logIndex: 1, watermarkId: summary.watermark.id });
    propagated = p.manifest;
    const value = Buffer.from(summary.watermark.id, 'hex').toString('base64');
    const { status, body } = await getJson(
      `/matches/byBinding?alg=${encodeURIComponent(WATERMARK_ALGS.image)}&value=${encodeURIComponent(value)}`,
    );
    expect(status).toBe(200);
    expect(schemaErrors('queryResult', body)).toEqual([]);
    expect(body).toEqual({ matches: [{ manifestId: p.manifest }, { manifestId: summary.manifest }] });
    const one = await getJson(
      `/matches/byBinding?alg=${encodeURIComponent(WATERMARK_ALGS.image)}&value=${encodeURIComponent(value)}&maxResults=1`,
    );
    expect(one.body).toEqual({ matches: [{ manifestId: p.manifest }] });
  });
});

describe('the soft-binding resolution API through the service', () => {
  it('GET /services/supportedAlgorithms lists the watermarks and the perceptual hash', async () => {
    const { status, body } = await getJson('/services/supportedAlgorithms');
    expect(status).toBe(200);
    expect(schemaErrors('algList', body)).toEqual([]);
    expect(body).toEqual({ watermarks: Object.values(WATERMARK_ALGS).map((alg) => ({ alg })), fingerprints: [{ alg: PHASH_ALG }] });
  });

  it('POST /matches/byBinding takes the query as JSON; unknown values match nothing', async () => {
    const r = await fetch(`${base}/matches/byBinding`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ alg: WATERMARK_ALGS.image, value: Buffer.from(summary.watermark.id, 'hex').toString('base64') }),
    });
    const body = await r.json();
    expect(schemaErrors('queryResult', body)).toEqual([]);
    expect((body as { matches: unknown[] }).matches).toHaveLength(2);
    const none = await getJson(
      `/matches/byBinding?alg=${encodeURIComponent(WATERMARK_ALGS.image)}&value=${Buffer.from('0000000000000001', 'hex').toString('base64')}`,
    );
    expect(none).toEqual({ status: 200, body: { matches: [] } });
  });

  it('POST /matches/byContent finds the manifest of a stripped, halved, JPEG q75 copy, and nothing for other content', async () => {
    const stripped = await platformCopy(stamped);
    const r = await post(base, '/matches/byContent', stripped, { 'content-type': 'image/jpeg' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { matches: { manifestId: string; similarityScore?: number }[] };
    expect(schemaErrors('queryResult', body)).toEqual([]);
    // The watermark leads to both records; the platform's (the latest, same pixels) carries the producer's manifest.
    expect(body.matches).toEqual([{ manifestId: propagated, similarityScore: 100 }]);
    const fp = await post(base, `/matches/byContent?alg=${encodeURIComponent(PHASH_ALG)}`, stripped, { 'content-type': 'image/jpeg' });
    const fpBody = (await fp.json()) as { matches: { manifestId: string; similarityScore: number }[] };
    expect(schemaErrors('queryResult', fpBody)).toEqual([]);
    expect(fpBody.matches.map((m) => m.manifestId)).toEqual([expect.stringMatching(/^urn:c2pa:/)]);
    expect(fpBody.matches[0]!.similarityScore).toBeGreaterThan(85);
    const other = await post(base, '/matches/byContent', await picture(12), { 'content-type': 'image/jpeg' });
    expect(await other.json()).toEqual({ matches: [] });
  });

  it('GET /manifests/:id returns the manifest store as application/c2pa', async () => {
    const r = await fetch(`${base}/manifests/${encodeURIComponent(summary.manifest)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/c2pa');
    const store = parseManifestStore(new Uint8Array(await r.arrayBuffer()));
    expect(store.active?.label).toBe(summary.manifest);
    expect((await fetch(`${base}/manifests/${encodeURIComponent('urn:c2pa:00000000-0000-0000-0000-000000000000')}`)).status).toBe(404);
  });

  it("refuses bad queries with 400 in the service's error shape", async () => {
    const missing = await getJson(`/matches/byBinding?alg=${encodeURIComponent(WATERMARK_ALGS.image)}`);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    expect((await getJson(`/matches/byBinding?alg=a&value=${encodeURIComponent('not base64!')}`)).status).toBe(400);
    expect((await post(base, '/matches/byContent', new Uint8Array(0))).status).toBe(400);
    expect((await post(base, '/matches/byContent?alg=unknown.alg', stamped)).status).toBe(400);
    const bad = await fetch(`${base}/matches/byBinding`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"alg":',
    });
    expect(bad.status).toBe(400);
  });
});

describe('a service without a repository', () => {
  it('answers the resolution routes with 501 and records nothing', async () => {
    const d = await tempDir('aigc-norepo-');
    const { service: s, base: b } = await startService(testConfig(d));
    try {
      expect((await fetch(`${b}/services/supportedAlgorithms`)).status).toBe(501);
      const r = await post(b, '/v1/stamp?explicit=false', await picture(13), AUTH);
      expect((parseHeaderJson(r.headers.get('x-aigc-result')!) as { recorded?: unknown }).recorded).toBeUndefined();
    } finally {
      await s.close();
      await rm(d, { recursive: true, force: true });
    }
  });
});
