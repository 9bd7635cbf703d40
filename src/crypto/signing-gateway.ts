/**
 * A small signing gateway: the server side of the remote-signer protocol (see
 * `remote-signer.ts`). It holds a {@link Signer} (a local key file or a PKCS#11 token) in its
 * own process, so the services that stamp never hold the key. Meant for development, tests
 * and a service that runs its own key host; a cloud KMS gateway speaks the same protocol.
 * Listens on loopback by default; a bearer token is required when one is configured.
 */
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { IoError, said } from '../errors.ts';
import type { Signer } from './signer.ts';

/** Largest request body (the bytes to sign: a COSE Sig_structure over a claim). */
export const MAX_SIGN_REQUEST_BYTES = 16 * 1024 * 1024;

/** Options of {@link startSigningGateway}. */
export interface SigningGatewayOptions {
  readonly signer: Signer;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Called after each request with its outcome (for logs). */
  readonly onRequest?: (event: { status: number; bytes: number }) => void;
}

/** A running gateway. */
export interface SigningGateway {
  /** The signing endpoint, e.g. `http://127.0.0.1:40123/sign`. */
  readonly url: string;
  close(): Promise<void>;
}

function tokenOk(header: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * Start the gateway. `POST /sign` signs the body; everything else is 404/405.
 * @throws {IoError} when the address cannot be bound.
 */
export async function startSigningGateway(opts: SigningGatewayOptions): Promise<SigningGateway> {
  const server = http.createServer((req, res) => {
    const done = (status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      opts.onRequest?.({ status, bytes: Buffer.byteLength(body) });
    };
    if (req.url !== '/sign') return done(404, 'not found\n');
    if (req.method !== 'POST') return done(405, 'use POST\n');
    if (!tokenOk(req.headers.authorization, opts.token)) return done(401, 'missing or wrong bearer token\n');
    const alg = req.headers['x-aigc-alg'];
    if (alg !== undefined && alg !== opts.signer.alg) return done(400, `this key signs ${opts.signer.alg}, not ${String(alg)}\n`);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_SIGN_REQUEST_BYTES) return done(413, 'request too large\n');
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SIGN_REQUEST_BYTES) {
        done(413, 'request too large\n');
        req.destroy();
      } else parts.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_SIGN_REQUEST_BYTES) return;
      opts.signer.sign(Buffer.concat(parts)).then(
        (sig) => done(200, sig, 'application/octet-stream'),
        (err: Error) => done(500, `signing failed: ${err.message}\n`),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new IoError(
          said('err.key.cannotListenOn', 'cannot listen on {v1}:{v2}: {message}', {
            v1: opts.host ?? '127.0.0.1',
            v2: opts.port ?? 0,
            message: err.message,
          }),
          undefined,
          { cause: err },
        ),
      ),
    );
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}/sign`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
