/**
 * The signing flags shared by `stamp`, `propagate` and `signer serve`: where the private key is.
 *   --cert FILE                 the certificate chain (always a file)
 *   --key FILE | pkcs11:URI     a PKCS#8 PEM file, or a key in a PKCS#11 token (RFC 7512 URI)
 *   --remote-signer URL         a remote signing service holds the key (see `aigc signer serve`)
 */
import { said } from '../../src/errors.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { loadPkcs11Signer } from '../../src/crypto/pkcs11-signer.ts';
import { createRemoteSigner } from '../../src/crypto/remote-signer.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { required, usageError } from '../args.ts';
import { passphraseFromEnv } from './common.ts';

/** parseArgs option specs for the signing flags. */
export const SIGNER_FLAGS = {
  cert: { type: 'string' },
  key: { type: 'string' },
  'passphrase-env': { type: 'string' },
  'remote-signer': { type: 'string' },
  'signer-token-env': { type: 'string' },
  'pin-env': { type: 'string' },
} as const;

/** Values of the signing flags as parseArgs returns them. */
export type SignerFlagValues = { [K in keyof typeof SIGNER_FLAGS]?: string | undefined };

/** A signer and the function that releases it (closes a token session). */
export interface CliSigner {
  readonly signer: Signer;
  close(): void;
}

/**
 * Build the signer the flags describe.
 * @throws {InvalidArgumentError} when --cert is missing, or both or neither of --key / --remote-signer are given.
 * @throws {KeyError} / {SigningError} / {ExternalToolError} / {IoError} from the chosen signer.
 */
export async function signerFromFlags(v: SignerFlagValues, usage: string): Promise<CliSigner> {
  const chainPath = required(v.cert, '--cert', usage);
  if (v.key !== undefined && v['remote-signer'] !== undefined)
    throw usageError(said('err.cli.keyOrRemote', 'use either --key or --remote-signer, not both'), usage);
  if (v['remote-signer'] !== undefined) {
    const token = passphraseFromEnv(v['signer-token-env'], '--signer-token-env');
    return { signer: await createRemoteSigner({ url: v['remote-signer'], chainPath, ...(token ? { token } : {}) }), close() {} };
  }
  const key = required(v.key, '--key (or --remote-signer)', usage);
  if (key.startsWith('pkcs11:')) {
    const pin = passphraseFromEnv(v['pin-env'], '--pin-env');
    const signer = await loadPkcs11Signer({ uri: key, chainPath, ...(pin ? { pin } : {}) });
    return { signer, close: () => signer.close() };
  }
  const passphrase = passphraseFromEnv(v['passphrase-env']);
  return { signer: await loadSigner({ chainPath, keyPath: key, ...(passphrase ? { passphrase } : {}) }), close() {} };
}
