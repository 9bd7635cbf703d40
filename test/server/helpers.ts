/**
 * Helpers of the service tests: a configuration over the test PKI, an in-process service on
 * a free loopback port, a real Redis (Debian's redis-server) on a free port, and small HTTP
 * clients. Everything listens on 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildConfig, type ServerConfig } from '../../src/server/config.ts';
import { createService, type Service } from '../../src/server/app.ts';
import { gen } from '../helpers.ts';

/** Provider codes of the test PKI's certificates. */
export const CODES = { producer: '001191000000EXAMPLE01P10000', platformA: '001191000000EXAMPLEA2520000' } as const;

/** The token the test configurations accept. */
export const TOKEN = 'test-token-0123456789';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh temp folder. */
export const tempDir = (prefix: string): Promise<string> => mkdtemp(path.join(tmpdir(), prefix));

/** The raw configuration object of a test service (signers, trust, one token). */
export function rawConfig(spool: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port: 0,
    spool,
    logLevel: 'silent',
    trust: { anchors: [gen('pki', 'roots.pem')] },
    auth: { tokens: [`tests:${TOKEN}`] },
    stamp: { signer: { cert: gen('pki', 'es256', 'chain.pem'), key: gen('pki', 'es256', 'key.pem') }, producer: CODES.producer },
    propagate: {
      signer: { cert: gen('pki', 'platform-a', 'chain.pem'), key: gen('pki', 'platform-a', 'key.pem') },
      propagator: CODES.platformA,
    },
    ...extra,
  };
}

/** A configuration for tests (the environment ignored). */
export function testConfig(spool: string, extra: Record<string, unknown> = {}): ServerConfig {
  return buildConfig(rawConfig(spool, extra), process.cwd(), {});
}

/** A listening in-process service and its base URL. */
export async function startService(config: ServerConfig): Promise<{ service: Service; base: string }> {
  const service = await createService(config, { logger: false });
  const address = await service.listen();
  return { service, base: address };
}

/** A real Redis server on a free loopback port, with an append-only file so it can restart with its data. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Stop (SIGTERM, which saves) and start again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Resolve when something listens on 127.0.0.1:`port`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start Debian's redis-server on a free loopback port. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = await tempDir('aigc-redis-');
  let proc: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--protected-mode',
        'yes',
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  const halt = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      await halt();
      await launch();
    },
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POST a body to the service with `fetch`. */
export async function post(
  base: string,
  route: string,
  body: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string | undefined> = {},
): Promise<Response> {
  const h: Record<string, string> = { 'content-type': 'application/octet-stream' };
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v;
  return fetch(`${base}${route}`, { method: 'POST', body: body as BodyInit, headers: h, ...({ duplex: 'half' } as object) });
}

/** A Blob of bytes (for FormData parts). */
export const blob = (b: Uint8Array): Blob => new Blob([b as unknown as BlobPart]);
