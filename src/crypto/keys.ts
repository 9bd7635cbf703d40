/**
 * Key pairs for the PKI: generate Ed25519 (default) or ECDSA keys, write private keys as
 * PKCS#8 PEM with mode 0600 (atomically: temp file + rename), optionally encrypted with a
 * passphrase (PKCS#8 PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC, as OpenSSL 3 does it), and
 * load them back with clear errors for a missing file, corrupt PEM or wrong passphrase.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeAtomic } from '../binary/atomic-write.ts';
import { InvalidArgumentError, IoError, KeyError, said } from '../errors.ts';
import type { CoseAlgorithm } from './signer.ts';

/** Key algorithms the CA can generate. */
export type KeyAlgorithm = 'ed25519' | 'es256' | 'es384' | 'es512';

/** All values of {@link KeyAlgorithm}. */
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ed25519', 'es256', 'es384', 'es512'];

const CURVES: Record<Exclude<KeyAlgorithm, 'ed25519'>, string> = { es256: 'prime256v1', es384: 'secp384r1', es512: 'secp521r1' };

/**
 * Check a key-algorithm name.
 * @throws {InvalidArgumentError} when it is not one of {@link KEY_ALGORITHMS}.
 */
export function parseKeyAlgorithm(value: string, name = 'alg'): KeyAlgorithm {
  const v = value.toLowerCase();
  if ((KEY_ALGORITHMS as readonly string[]).includes(v)) return v as KeyAlgorithm;
  throw InvalidArgumentError.expected(`one of ${KEY_ALGORITHMS.join(', ')}`, name, value);
}

/** Generate a key pair. @throws {InvalidArgumentError} for an unknown algorithm. */
export function generateKeyPair(alg: KeyAlgorithm = 'ed25519'): { privateKey: KeyObject; publicKey: KeyObject } {
  if (alg === 'ed25519') return crypto.generateKeyPairSync('ed25519');
  const curve = CURVES[alg];
  if (!curve) throw InvalidArgumentError.expected(`one of ${KEY_ALGORITHMS.join(', ')}`, 'alg', alg);
  return crypto.generateKeyPairSync('ec', { namedCurve: curve });
}

/** The {@link KeyAlgorithm} of a key, when it is one we generate. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return (Object.keys(CURVES) as (keyof typeof CURVES)[]).find((a) => CURVES[a] === curve);
}

/** Export a private key as PKCS#8 PEM, encrypted (AES-256-CBC, PBKDF2) when a passphrase is given. */
export function privateKeyToPem(key: KeyObject, passphrase?: string): string {
  if (passphrase !== undefined && passphrase.length > 0) {
    return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
  }
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Export a public key as SPKI PEM. */
export function publicKeyToPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }) as string;
}

/**
 * Write `data` to `file` atomically and durably (`binary/atomic-write.ts`), with `mode`.
 * @throws {IoError} when the file cannot be written.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await writeAtomic(file, [typeof data === 'string' ? new TextEncoder().encode(data) : data], mode, true);
}

/**
 * Write a private key as PKCS#8 PEM with mode 0600.
 * @throws {IoError} when the file cannot be written.
 */
export async function writePrivateKey(file: string, key: KeyObject, passphrase?: string): Promise<void> {
  await writeFileAtomic(file, privateKeyToPem(key, passphrase), 0o600);
}

/** Write a public key as SPKI PEM. @throws {IoError} when the file cannot be written. */
export async function writePublicKey(file: string, key: KeyObject): Promise<void> {
  await writeFileAtomic(file, publicKeyToPem(key), 0o644);
}

/**
 * Read a file for the PKI with a clear error.
 * @throws {IoError} when missing or unreadable.
 */
export async function readPkiFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (err as Error).message;
    throw new IoError(`cannot read ${what} ${file}: ${why}`, file, {
      cause: err,
      detail: { key: 'err.io.readWhat', params: { what, path: file, why: code ?? why } },
    });
  }
}

/** Where a private key comes from. */
export interface PrivateKeySource {
  readonly keyPem?: string | Uint8Array;
  readonly keyPath?: string;
  readonly passphrase?: string;
}

/**
 * Load a private key (PKCS#8, or the traditional SEC1/PKCS#1 PEM forms OpenSSL writes).
 * @throws {IoError} when `keyPath` cannot be read.
 * @throws {KeyError} when the PEM is corrupt, encrypted without a passphrase, or the passphrase is wrong.
 */
export async function loadPrivateKey(src: PrivateKeySource): Promise<KeyObject> {
  const where = src.keyPath ?? 'private key';
  const pem = src.keyPem ?? (src.keyPath ? await readPkiFile(src.keyPath, 'private key') : undefined);
  if (pem === undefined)
    throw new InvalidArgumentError(said('err.key.noSource', 'Expected keyPem or keyPath for the private key but received neither'));
  return privateKeyFromPem(pem, where, src.passphrase);
}

/**
 * Decode a private key PEM (sync).
 * @throws {KeyError} with the reason (not a key, encrypted, wrong passphrase).
 */
export function privateKeyFromPem(pem: string | Uint8Array, where: string, passphrase?: string): KeyObject {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('latin1');
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
    throw new KeyError(
      said('err.key.notPem', '{what} is not a PEM private key (no -----BEGIN ... PRIVATE KEY----- line)', { what: where }),
    );
  }
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text);
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw new KeyError(said('err.key.encrypted', '{what} is encrypted: give its passphrase (--passphrase-env VAR)', { what: where }));
  }
  try {
    return crypto.createPrivateKey(encrypted ? { key: text, format: 'pem', passphrase } : { key: text, format: 'pem' });
  } catch (err) {
    if (encrypted)
      throw new KeyError(said('err.key.passphrase', '{what}: wrong passphrase (or corrupt encrypted key)', { what: where }), {
        cause: err,
      });
    throw new KeyError(said('err.key.corrupt', '{what} is a corrupt PEM private key', { what: where }), { cause: err });
  }
}

/**
 * Load a public key from SPKI PEM.
 * @throws {KeyError} when the PEM is not a public key.
 */
export function publicKeyFromPem(pem: string | Uint8Array, where = 'public key'): KeyObject {
  try {
    return crypto.createPublicKey({ key: typeof pem === 'string' ? pem : Buffer.from(pem), format: 'pem' });
  } catch (err) {
    throw new KeyError(said('err.key.notPublic', '{what} is not a valid PEM public key', { what: where }), { cause: err });
  }
}

/** Whether two keys (private or public) have the same public half. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const pa = a.type === 'private' ? crypto.createPublicKey(a) : a;
  const pb = b.type === 'private' ? crypto.createPublicKey(b) : b;
  return Buffer.from(pa.export({ type: 'spki', format: 'der' })).equals(Buffer.from(pb.export({ type: 'spki', format: 'der' })));
}

/**
 * The COSE algorithm a key signs C2PA claims with: Ed25519; ES256/ES384/ES512 by curve;
 * PS256 for RSA keys of at least 2048 bits.
 * @throws {KeyError} for other keys.
 */
export function coseAlgorithmForKey(key: KeyObject): CoseAlgorithm {
  const type = key.asymmetricKeyType;
  const d = key.asymmetricKeyDetails ?? {};
  if (type === 'ed25519') return 'Ed25519';
  if (type === 'ec') {
    const byCurve: Record<string, CoseAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
    const alg = d.namedCurve ? byCurve[d.namedCurve] : undefined;
    if (!alg)
      throw new KeyError(
        said('err.key.curve', 'EC curve {curve} is not allowed for C2PA (P-256, P-384 or P-521)', { curve: d.namedCurve ?? 'unknown' }),
      );
    return alg;
  }
  if (type === 'rsa' || type === 'rsa-pss') {
    if ((d.modulusLength ?? 0) < 2048)
      throw new KeyError(
        said('err.key.rsaSmall', 'RSA key of {bits} bits is too small for C2PA (at least 2048)', { bits: String(d.modulusLength) }),
      );
    return 'PS256';
  }
  throw new KeyError(
    said('err.key.type', 'a {type} key cannot sign C2PA claims (use Ed25519, ECDSA P-256/384/521 or RSA)', { type: type ?? 'secret' }),
  );
}
