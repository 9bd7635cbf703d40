/**
 * Issue #15 (structured JSON logs): at `logLevel: info` the service writes one JSON line per
 * request, when it is answered (method, URL, client address, status, response time, request id),
 * not Fastify's two; at `warn` it writes none. Starting the service prints no deprecation warning
 * (Fastify 5 deprecates the top-level `disableRequestLogging` for its `logController`).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/server/app.ts';
import { rawConfig, tempDir } from './helpers.ts';
import { buildConfig } from '../../src/server/config.ts';
import { rm } from 'node:fs/promises';
import path from 'node:path';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('aigc-request-log-');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A service logging at `level` into an array of parsed lines. */
async function serviceLogging(
  level: string,
): Promise<{ lines: Record<string, unknown>[]; close: () => Promise<void>; inject: (url: string) => Promise<number> }> {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const config = buildConfig(rawConfig(path.join(dir, `spool-${level}`), { logLevel: level }), dir, {});
  const service = await createService(config, { logger: { level, stream } });
  return {
    lines,
    close: () => service.close(),
    inject: async (url) => (await service.app.inject({ method: 'GET', url })).statusCode,
  };
}

describe('request log lines', () => {
  it('one line per request at info, with method, URL, status, time and request id', async () => {
    const s = await serviceLogging('info');
    try {
      expect(await s.inject('/healthz')).toBe(200);
      expect(await s.inject('/no-such-route')).toBe(404);
      const requests = s.lines.filter((l) => l.req !== undefined || l.res !== undefined);
      expect(requests).toHaveLength(2);
      const [ok, missing] = requests as [Record<string, unknown>, Record<string, unknown>];
      expect(ok).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/healthz' }, res: { statusCode: 200 } });
      expect(typeof ok.responseTime).toBe('number');
      expect(typeof ok.reqId).toBe('string');
      expect(missing).toMatchObject({ req: { url: '/no-such-route' }, res: { statusCode: 404 } });
      expect(s.lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('none at warn', async () => {
    const s = await serviceLogging('warn');
    try {
      expect(await s.inject('/healthz')).toBe(200);
      expect(s.lines.filter((l) => l.req !== undefined || l.res !== undefined)).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('starting the service raises no process warning (no deprecated Fastify option)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }): void => {
      warnings.push(`${w.name} ${w.code ?? ''} ${w.message}`);
    };
    process.on('warning', onWarning);
    try {
      const s = await serviceLogging('info');
      try {
        expect(await s.inject('/healthz')).toBe(200);
      } finally {
        await s.close();
      }
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /Deprecation|FSTDEP/.test(w))).toEqual([]);
  });
});
