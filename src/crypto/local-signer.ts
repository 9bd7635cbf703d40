/**
 * A {@link Signer} over a local private key and its certificate chain (PEM). The COSE
 * algorithm follows from the key; ECDSA signatures are raw r‖s (IEEE P1363) as COSE needs.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { InvalidArgumentError, KeyError, SigningError, said } from '../errors.ts';
import { checkOptions, is } from '../options-check.ts';
import type { CoseAlgorithm, Signer } from './signer.ts';
import { coseAlgorithmForKey, loadPrivateKey, readPkiFile, samePublicKey } from './keys.ts';
import { parseCertificateChain, type Certificate } from '../pki/certificate.ts';

/** Where the chain and key come from. */
export interface LoadSignerOptions {
  /** PEM bundle: leaf first, then intermediates (a trailing self-signed root is dropped). */
  readonly chainPem?: string | Uint8Array;
  readonly chainPath?: string;
  readonly keyPem?: string | Uint8Array;
  readonly keyPath?: string;
  readonly passphrase?: string;
}

/** A loaded local signer; also exposes the parsed chain. */
export interface LocalSigner extends Signer {
  /** Parsed certificates of `certChain` (leaf first). */
  readonly certificates: readonly Certificate[];
}

const HASH: Record<CoseAlgorithm, string | null> = {
  Ed25519: null,
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
};

/**
 * Sign `data` with `key` under `alg` and return the raw COSE signature.
 * @throws {SigningError} when the key cannot sign.
 */
export function rawSign(alg: CoseAlgorithm, key: KeyObject, data: Uint8Array): Uint8Array {
  const hash = HASH[alg];
  try {
    if (alg.startsWith('PS')) {
      const saltLength = { PS256: 32, PS384: 48, PS512: 64 }[alg as 'PS256' | 'PS384' | 'PS512'];
      return new Uint8Array(crypto.sign(hash, data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength }));
    }
    return new Uint8Array(crypto.sign(hash, data, { key, dsaEncoding: 'ieee-p1363' }));
  } catch (err) {
    throw new SigningError(said('err.sign.failed', '{alg} signing failed: {reason}', { alg, reason: (err as Error).message }), {
      cause: err,
    });
  }
}

/**
 * Load a chain and private key and return a {@link Signer}.
 * @throws {InvalidArgumentError} when neither PEM nor path is given for the chain or key.
 * @throws {IoError} when a file cannot be read.
 * @throws {CertificateError} when the chain is corrupt or empty.
 * @throws {KeyError} when the key is corrupt, the passphrase wrong, the key unsupported, or it does not match the leaf certificate.
 */
export async function loadSigner(opts: LoadSignerOptions): Promise<LocalSigner> {
  checkOptions('loadSigner', opts, {
    chainPem: is.bytesOrString,
    chainPath: is.string,
    keyPem: is.bytesOrString,
    keyPath: is.string,
    passphrase: is.string,
  });
  const chainText = opts.chainPem ?? (opts.chainPath ? await readPkiFile(opts.chainPath, 'certificate chain') : undefined);
  if (chainText === undefined)
    throw new InvalidArgumentError(said('err.key.noChain', 'Expected chainPem or chainPath for the signer but received neither'));
  const certs = parseCertificateChain(chainText, opts.chainPath ?? 'certificate chain');
  const key = await loadPrivateKey(opts);
  const leaf = certs[0]!;
  if (!samePublicKey(key, leaf.publicKey)) {
    throw new KeyError(
      opts.keyPath
        ? said('err.key.leafMismatchPath', 'the private key {path} does not match the leaf certificate ({subject})', {
            path: opts.keyPath,
            subject: leaf.subject.text,
          })
        : said('err.key.leafMismatch', 'the private key does not match the leaf certificate ({subject})', { subject: leaf.subject.text }),
    );
  }
  const alg = coseAlgorithmForKey(key);
  const last = certs[certs.length - 1]!;
  const chain = certs.length > 1 && last.selfIssued ? certs.slice(0, -1) : certs;
  return {
    alg,
    certChain: chain.map((c) => c.der),
    certificates: chain,
    async sign(data: Uint8Array): Promise<Uint8Array> {
      return rawSign(alg, key, data);
    },
  };
}
