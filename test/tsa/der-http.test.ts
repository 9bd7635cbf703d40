/**
 * The HTTP plumbing the TSA and OCSP share (`src/net/`): the responder answers POSTs only,
 * refuses oversized bodies and maps a failing answer to its error reply; the client retries
 * transient failures (5xx) with its pause, fails at once on other statuses, and caps the size.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { postDer } from '../../src/net/der-http-client.ts';
import { startDerServer, type DerServer } from '../../src/net/der-http-server.ts';
import { SigningError } from '../../src/errors.ts';

const opts = {
  peer: 'the test peer',
  contentType: 'application/x-test',
  accept: 'application/x-test',
  maxBytes: 64,
  limitName: 'TEST_LIMIT',
  retryDelayMs: 10,
};
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function echo(): Promise<DerServer> {
  const s = await startDerServer({
    maxRequestBytes: 16,
    contentType: 'application/x-test',
    answer: (body) => {
      if (body[0] === 0xff) throw new Error('boom');
      return Uint8Array.from(body).reverse();
    },
    onError: (err) => ({ status: 500, contentType: 'text/plain', body: (err as Error).message }),
  });
  servers.push(s);
  return s;
}

describe('der-http-server', () => {
  it('answers a POST, refuses other methods (405) and large bodies (413), and maps a throw to onError', async () => {
    const s = await echo();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await postDer(s.url, new Uint8Array([1, 2, 3]), opts)).toEqual(new Uint8Array([3, 2, 1]));
    expect(s.served()).toBe(1);
    expect((await fetch(s.url)).status).toBe(405);
    const big = await fetch(s.url, { method: 'POST', body: Buffer.alloc(1000) }).then(
      (r) => r.status,
      () => 413,
    );
    expect(big).toBe(413);
    const bad = await fetch(s.url, { method: 'POST', body: Buffer.from([0xff]) });
    expect([bad.status, await bad.text()]).toEqual([500, 'boom']);
    expect(s.served()).toBe(1);
  });
});

describe('der-http-client', () => {
  it('retries 5xx with its policy, then succeeds; fails at once on a 404; caps the answer size', async () => {
    let calls = 0;
    const plain = http.createServer((req, res) => {
      calls++;
      if (req.url === '/flaky' && calls < 3) return void res.writeHead(503).end();
      if (req.url === '/missing') return void res.writeHead(404).end();
      if (req.url === '/big') return void res.writeHead(200).end(Buffer.alloc(100));
      res.writeHead(200).end(Buffer.from([7]));
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    servers.push({ close: () => new Promise<void>((r) => plain.close(() => r())) });
    const base = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    expect(await postDer(`${base}/flaky`, new Uint8Array([1]), opts)).toEqual(new Uint8Array([7]));
    expect(calls).toBe(3);
    await expect(postDer(`${base}/flaky`, new Uint8Array([1]), { ...opts, retries: 0 })).resolves.toEqual(new Uint8Array([7]));
    calls = 0;
    await expect(postDer(`${base}/missing`, new Uint8Array([1]), opts)).rejects.toThrow(/the test peer .* answered HTTP 404/);
    expect(calls).toBe(1);
    await expect(postDer(`${base}/big`, new Uint8Array([1]), opts)).rejects.toThrow(/the test peer .* sent more than TEST_LIMIT \(64\)/);
    calls = 0;
    const err = await postDer(`${base}/flaky`, new Uint8Array([1]), { ...opts, retries: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SigningError);
    expect((err as Error).message).toMatch(/failed after 2 attempt\(s\): HTTP 503/);
  });
});
