/**
 * A {@link Signer} that asks a remote signing service for each signature: the shape of cloud
 * KMS gateways, where the key lives behind an HTTP endpoint and never reaches the caller.
 *
 * The wire protocol (documented in the README, served by `aigc signer serve`):
 *   POST <url>   Content-Type: application/octet-stream, X-Aigc-Alg: <COSE alg>,
 *                Authorization: Bearer <token> (when configured); body = the bytes to sign
 *   200          Content-Type: application/octet-stream; body = the raw COSE signature
 *                (Ed25519 64 bytes, ECDSA r‖s, RSA-PSS modulus length)
 * Any other status is an error; 5xx, 429 and network failures are retried with back-off.
 * Every signature is checked against the leaf certificate before it is used.
 */
import { InvalidArgumentError, KeyError, SigningError, said } from '../errors.ts';
import { coseAlgorithmForKey, readPkiFile } from './keys.ts';
import type { CoseAlgorithm, Signer } from './signer.ts';
import { parseCertificateChain, type Certificate } from '../pki/certificate.ts';
import { signatureMatchesLeaf } from './pkcs11-signer.ts';

/** Options of {@link createRemoteSigner}. */
export interface RemoteSignerOptions {
  /** The signing endpoint (http: or https:). */
  readonly url: string;
  readonly chainPem?: string | Uint8Array;
  readonly chainPath?: string;
  /** Bearer token sent with each request. */
  readonly token?: string;
  /** Per-request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for 5xx, 429 and network errors (default 2). */
  readonly retries?: number;
  /** Skip the probe signature made when the signer is created (default false). */
  readonly skipProbe?: boolean;
}

/** A remote signer with its parsed chain. */
export interface RemoteSigner extends Signer {
  readonly certificates: readonly Certificate[];
}

/** Longest signature accepted from a remote signer (RSA-8192 is 1 KiB). */
const MAX_REMOTE_SIGNATURE = 2048;
const DEFAULTS = { timeoutMs: 10_000, retries: 2 } as const;

async function requestSignature(opts: RemoteSignerOptions, alg: CoseAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  const retries = opts.retries ?? DEFAULTS.retries;
  let last = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
    let res: Response;
    try {
      res = await fetch(opts.url, {
        method: 'POST',
        body: new Uint8Array(data),
        headers: {
          'content-type': 'application/octet-stream',
          'x-aigc-alg': alg,
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULTS.timeoutMs),
      });
    } catch (err) {
      last =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${opts.timeoutMs ?? DEFAULTS.timeoutMs} ms`
          : String((err as Error).cause ?? err);
      continue;
    }
    if (res.status === 200) {
      const sig = new Uint8Array(await res.arrayBuffer());
      if (sig.length === 0 || sig.length > MAX_REMOTE_SIGNATURE)
        throw new SigningError(
          said('err.key.remoteSignerReturnedByte', 'the remote signer {url} returned a {v2}-byte signature', {
            url: opts.url,
            v2: sig.length,
          }),
        );
      return sig;
    }
    const body = (await res.text().catch(() => '')).slice(0, 200);
    last = `HTTP ${res.status}${body ? `: ${body}` : ''}`;
    if (res.status < 500 && res.status !== 429) break;
  }
  throw new SigningError(said('err.sign.remoteFailed', 'the remote signer {url} failed: {reason}', { url: opts.url, reason: last }));
}

/**
 * Create a signer that signs through a remote service. The chain comes from a file or PEM; the
 * algorithm follows from the leaf's key. Unless `skipProbe`, a random probe is signed and checked
 * against the leaf so a misconfigured service is caught before anything is stamped.
 * @throws {InvalidArgumentError} on a bad URL or a missing chain.
 * @throws {SigningError} when the service fails or times out (after retries).
 * @throws {KeyError} when the service's key does not match the leaf certificate.
 * @throws {CertificateError} when the chain is corrupt.
 */
export async function createRemoteSigner(opts: RemoteSignerOptions): Promise<RemoteSigner> {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw InvalidArgumentError.expected('an http: or https: URL', 'remote signer url', opts.url);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw InvalidArgumentError.expected('an http: or https: URL', 'remote signer url', opts.url);
  const chainText = opts.chainPem ?? (opts.chainPath ? await readPkiFile(opts.chainPath, 'certificate chain') : undefined);
  if (chainText === undefined)
    throw new InvalidArgumentError(
      said('err.key.expectedChainPemChainPathRemote', 'Expected chainPem or chainPath for the remote signer but received neither'),
    );
  const certs = parseCertificateChain(chainText, opts.chainPath ?? 'certificate chain');
  const leaf = certs[0]!;
  const alg = coseAlgorithmForKey(leaf.publicKey);
  const checked = async (data: Uint8Array) => {
    const sig = await requestSignature(opts, alg, data);
    if (!signatureMatchesLeaf(alg, leaf, data, sig))
      throw new KeyError(
        said('err.key.remoteMismatch', 'the remote signer {url} signed with a key that does not match the leaf certificate ({subject})', {
          url: opts.url,
          subject: leaf.subject.text,
        }),
      );
    return sig;
  };
  if (!opts.skipProbe) await checked(crypto.getRandomValues(new Uint8Array(32)));
  const last = certs[certs.length - 1]!;
  const chain = certs.length > 1 && last.selfIssued ? certs.slice(0, -1) : certs;
  return { alg, certChain: chain.map((c) => c.der), certificates: chain, sign: checked };
}
