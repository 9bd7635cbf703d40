/**
 * A minimal HTTP responder for DER protocols (RFC 3161 time-stamps, RFC 6960 OCSP): POST
 * only (405 otherwise), bodies above a limit refused with 413, each request answered by a
 * stateless function. Listens on 127.0.0.1 unless told otherwise; port 0 picks a free one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IoError, said } from '../errors.ts';

/** What to send back. */
export interface DerReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array | string;
}

/** Options of {@link startDerServer}. */
export interface DerServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Largest request body accepted. */
  readonly maxRequestBytes: number;
  /** Content type of a successful answer. */
  readonly contentType: string;
  /** Answer one request body. */
  answer(body: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** The reply when `answer` throws. */
  onError(err: unknown): DerReply;
}

/** A running responder. */
export interface DerServer {
  /** `http://host:port/`. */
  readonly url: string;
  /** Requests answered with `answer` so far. */
  readonly served: () => number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, r: DerReply): void {
  const headers: Record<string, string | number> = { 'content-type': r.contentType };
  if (r.body instanceof Uint8Array) headers['content-length'] = r.body.length;
  res.writeHead(r.status, headers).end(r.body);
}

/**
 * Start the responder.
 * @throws {IoError} when the port cannot be bound.
 */
export async function startDerServer(o: DerServerOptions): Promise<DerServer> {
  let served = 0;
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > o.maxRequestBytes) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      Promise.resolve()
        .then(() => o.answer(new Uint8Array(Buffer.concat(chunks))))
        .then(
          (out) => {
            served++;
            send(res, { status: 200, contentType: o.contentType, body: out });
          },
          (err: unknown) => send(res, o.onError(err)),
        );
    });
  });
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new IoError(
          said('err.net.cannotListenOn', 'cannot listen on {host}:{v2}: {v3}', {
            host,
            v2: o.port ?? 0,
            v3: (err as NodeJS.ErrnoException).code ?? err.message,
          }),
          undefined,
          {
            cause: err,
          },
        ),
      ),
    );
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
