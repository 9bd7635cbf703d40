/**
 * RFC 3161 pieces against themselves and against OpenSSL (an independent implementation):
 * our responder's tokens pass `openssl ts -verify`; our client accepts tokens that
 * `openssl ts -reply` makes; failures (refused connection, HTTP 5xx with retries, a
 * rejection, a token over other data) are typed errors; a whole TimeStampResp in a COSE
 * header is read as c2pa-rs reads it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../src/errors.ts';
import { verifyTimestampToken } from '../../src/manifest/cose/timestamp.ts';
import { requestTimestamp } from '../../src/tsa/client.ts';
import {
  decodeTimestampResponse,
  encodeTimestampRequest,
  encodeTimestampResponse,
  PKIStatus,
  randomNonce,
} from '../../src/tsa/protocol.ts';
import { answerTimestampRequest, startTsaServer, type TsaServer } from '../../src/tsa/server.ts';
import { makeKit, type Kit } from './pki-kit.ts';

let kit: Kit;
let server: TsaServer;
const DATA = new TextEncoder().encode('the CounterSignature structure of some COSE signature');

/** A loopback HTTP server answering every POST with `handler(body)`; counts requests. */
async function serve(
  handler: (body: Buffer) => { status: number; body?: Uint8Array },
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits++;
      const r = handler(Buffer.concat(chunks));
      res.writeHead(r.status, { 'content-type': 'application/timestamp-reply' }).end(r.body ? Buffer.from(r.body) : undefined);
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  kit = await makeKit('rfc3161');
  server = await startTsaServer({ chain: kit.tsa.chain, key: kit.tsa.key });
});
afterAll(async () => {
  await server?.close();
  await kit?.cleanup();
});

describe('our TSA and our client', () => {
  it('round-trips a token that verifies over the data and carries the TSA chain', async () => {
    const token = await requestTimestamp(DATA, { url: server.url });
    const info = verifyTimestampToken(token, DATA, 2);
    expect(info.status).toBe('valid');
    expect(info.tsaChainDer[0]).toEqual(kit.tsa.chain[0]!.der);
    expect(Math.abs(info.genTime!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(verifyTimestampToken(token, new TextEncoder().encode('other data'), 2).status).toBe('imprint-mismatch');
    expect(server.served()).toBeGreaterThan(0);
  });

  it('rejects bad requests with a TimeStampResp rejection, not a crash', () => {
    const bad = decodeTimestampResponse(answerTimestampRequest(new Uint8Array([1, 2, 3]), { chain: kit.tsa.chain, key: kit.tsa.key }));
    expect(bad.status).toBe(PKIStatus.rejection);
    expect(bad.token).toBeUndefined();
  });
});

describe('interop with openssl ts', () => {
  it("openssl ts -verify accepts our responder's token", async () => {
    writeFileSync(kit.file('data.bin'), DATA);
    execFileSync('openssl', ['ts', '-query', '-data', kit.file('data.bin'), '-sha256', '-cert', '-out', kit.file('q.tsq')]);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: readFileSync(kit.file('q.tsq')),
    });
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    writeFileSync(kit.file('r.tsr'), Buffer.from(await res.arrayBuffer()));
    const out = execFileSync(
      'openssl',
      [
        'ts',
        '-verify',
        '-in',
        kit.file('r.tsr'),
        '-queryfile',
        kit.file('q.tsq'),
        '-CAfile',
        kit.file('ca/root.pem'),
        '-untrusted',
        kit.tsa.chainPath,
      ],
      { stdio: 'pipe' },
    ).toString();
    expect(out).toContain('Verification: OK');
  });

  it('our client accepts a token made by openssl ts -reply', async () => {
    const cfg = kit.file('tsa.cnf');
    writeFileSync(
      cfg,
      [
        '[ tsa ]',
        'default_tsa = tsa_config',
        '[ tsa_config ]',
        `serial = ${kit.file('tsaserial')}`,
        'crypto_device = builtin',
        'default_policy = 1.2.3.4.1',
        'digests = sha256, sha384, sha512',
        'accuracy = secs:1',
        'ordering = no',
        'tsa_name = yes',
        'ess_cert_id_chain = no',
        'ess_cert_id_alg = sha256',
        'signer_digest = sha256',
        '',
      ].join('\n'),
    );
    writeFileSync(kit.file('tsaserial'), '01\n');
    const openssl = await serve((body) => {
      writeFileSync(kit.file('in.tsq'), body);
      execFileSync(
        'openssl',
        [
          'ts',
          '-reply',
          '-config',
          cfg,
          '-queryfile',
          kit.file('in.tsq'),
          '-inkey',
          kit.tsa.keyPath,
          '-signer',
          kit.tsa.chainPath,
          '-chain',
          kit.tsa.chainPath,
          '-out',
          kit.file('out.tsr'),
        ],
        { stdio: 'pipe' },
      );
      return { status: 200, body: readFileSync(kit.file('out.tsr')) };
    });
    try {
      const token = await requestTimestamp(DATA, { url: openssl.url });
      const info = verifyTimestampToken(token, DATA, 2);
      expect(info.status).toBe('valid');
      expect(info.policy).toBe('1.2.3.4.1');
    } finally {
      await openssl.close();
    }
  });
});

describe('a TSA that fails', () => {
  it('a refused connection is a SigningError after the retries', async () => {
    const down = await serve(() => ({ status: 200 }));
    const url = down.url;
    await down.close();
    await expect(requestTimestamp(DATA, { url, retries: 1, retryDelayMs: 10 })).rejects.toThrow(SigningError);
  });

  it('HTTP 503 is retried, then fails with the count', async () => {
    const busy = await serve(() => ({ status: 503 }));
    try {
      await expect(requestTimestamp(DATA, { url: busy.url, retries: 2, retryDelayMs: 10 })).rejects.toThrow(
        /after 3 attempt\(s\): HTTP 503/,
      );
      expect(busy.hits()).toBe(3);
    } finally {
      await busy.close();
    }
  });

  it('a rejection or a token over other data is refused without retrying', async () => {
    const reject = await serve(() => ({ status: 200, body: encodeTimestampResponse(PKIStatus.rejection, undefined, 'badAlg') }));
    const wrong = await serve(() => ({
      status: 200,
      body: answerTimestampRequest(
        encodeTimestampRequest({
          hash: 'sha256',
          imprint: new Uint8Array(createHash('sha256').update('x').digest()),
          nonce: randomNonce(),
          certReq: true,
        }),
        { chain: kit.tsa.chain, key: kit.tsa.key },
      ),
    }));
    try {
      await expect(requestTimestamp(DATA, { url: reject.url, retryDelayMs: 10 })).rejects.toThrow(
        /refused the request \(status rejection: badAlg\)/,
      );
      expect(reject.hits()).toBe(1);
      await expect(requestTimestamp(DATA, { url: wrong.url, retryDelayMs: 10 })).rejects.toThrow(/does not check out/);
    } finally {
      await reject.close();
      await wrong.close();
    }
  });
});

describe('the token forms c2pa-rs reads', () => {
  it('a whole TimeStampResp verifies like its token; a non-granted one is malformed', async () => {
    const token = await requestTimestamp(DATA, { url: server.url });
    const resp = encodeTimestampResponse(PKIStatus.granted, token);
    const info = verifyTimestampToken(resp, DATA, 1);
    expect(info.status).toBe('valid');
    expect(info.form).toBe('TimeStampResp');
    expect(verifyTimestampToken(encodeTimestampResponse(PKIStatus.waiting, token), DATA, 1).status).toBe('malformed');
  });
});
