/**
 * A {@link Signer} whose private key stays in a PKCS#11 token (an HSM, a smart card, SoftHSM2).
 * The key is found by an RFC 7512 URI; the certificate chain is a file, as for the local
 * signer. The process never sees the key: it hands the token the bytes (Ed25519) or their
 * digest (ECDSA) and receives the signature, already in the raw form COSE needs.
 *
 * The binding is `pkcs11js` (a native add-on built from source by `scripts/setup.sh`),
 * loaded only when a PKCS#11 signer is asked for.
 */
import crypto from 'node:crypto';
import { ExternalToolError, InvalidArgumentError, KeyError, SigningError, said } from '../errors.ts';
import { coseAlgorithmForKey, readPkiFile } from './keys.ts';
import type { CoseAlgorithm, Signer } from './signer.ts';
import { parseCertificateChain, type Certificate } from '../pki/certificate.ts';
import { parsePkcs11Uri, type Pkcs11Uri } from './pkcs11-uri.ts';
import { findPrivateKey, openToken, P11, type Pkcs11Module, type TokenSession } from './pkcs11-token.ts';

/** Options of {@link loadPkcs11Signer}. */
export interface Pkcs11SignerOptions {
  /** The key, as an RFC 7512 URI (`pkcs11:token=…;object=…`) or parsed. */
  readonly uri: string | Pkcs11Uri;
  /** PEM bundle: leaf first, then intermediates. */
  readonly chainPem?: string | Uint8Array;
  readonly chainPath?: string;
  /** The PKCS#11 module; default the URI's `module-path`, else `$AIGC_PKCS11_MODULE`. */
  readonly module?: string;
  /** The user PIN; default the URI's `pin-value` / `pin-source`. */
  readonly pin?: string;
}

/** What the token says of the key: the attributes that show it cannot leave. */
export interface Pkcs11KeyFacts {
  readonly sensitive: boolean;
  readonly extractable: boolean;
  readonly neverExtractable: boolean;
  readonly alwaysSensitive: boolean;
}

/** A signer bound to a token session; call `close()` when done. */
export interface Pkcs11Signer extends Signer {
  readonly certificates: readonly Certificate[];
  /** The key's protection attributes as the token reports them. */
  readonly keyFacts: Pkcs11KeyFacts;
  /** Log out, close the session and release the module. */
  close(): void;
}

const DIGEST: Partial<Record<CoseAlgorithm, string>> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };
const PSS: Partial<Record<CoseAlgorithm, { hash: number; mgf: number; salt: number }>> = {
  PS256: { hash: P11.CKM_SHA256, mgf: P11.CKG_MGF1_SHA256, salt: 32 },
  PS384: { hash: P11.CKM_SHA384, mgf: P11.CKG_MGF1_SHA384, salt: 48 },
  PS512: { hash: P11.CKM_SHA512, mgf: P11.CKG_MGF1_SHA512, salt: 64 },
};

function mechanismFor(alg: CoseAlgorithm): { mechanism: number; parameter?: unknown } {
  if (alg === 'Ed25519') return { mechanism: P11.CKM_EDDSA };
  if (DIGEST[alg]) return { mechanism: P11.CKM_ECDSA };
  const pss = PSS[alg]!;
  const mech = { PS256: P11.CKM_SHA256_RSA_PKCS_PSS, PS384: P11.CKM_SHA384_RSA_PKCS_PSS, PS512: P11.CKM_SHA512_RSA_PKCS_PSS }[
    alg as 'PS256'
  ];
  return { mechanism: mech, parameter: { type: P11.CK_PARAMS_RSA_PSS, hashAlg: pss.hash, mgf: pss.mgf, saltLen: pss.salt } };
}

function signWith(mod: Pkcs11Module, session: TokenSession, key: Buffer, alg: CoseAlgorithm, data: Uint8Array): Uint8Array {
  const digest = DIGEST[alg];
  const input = digest ? crypto.createHash(digest).update(data).digest() : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  try {
    mod.C_SignInit(session.handle, mechanismFor(alg) as never, key);
    return new Uint8Array(mod.C_Sign(session.handle, input, Buffer.alloc(1024)));
  } catch (err) {
    throw new SigningError(
      said('err.key.pkcsTokenCouldNot', 'the PKCS#11 token could not sign with {alg}: {v2}', { alg, v2: (err as Error).message }),
      { cause: err },
    );
  }
}

/** Check a raw COSE signature against the leaf's public key (catches a token key that is not the certificate's). */
export function signatureMatchesLeaf(alg: CoseAlgorithm, leaf: Certificate, data: Uint8Array, sig: Uint8Array): boolean {
  const hash = alg === 'Ed25519' ? null : (DIGEST[alg] ?? `sha${alg.slice(2)}`);
  if (alg.startsWith('PS')) {
    return crypto.verify(
      hash,
      data,
      { key: leaf.publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS[alg]!.salt },
      sig,
    );
  }
  return crypto.verify(hash, data, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, sig);
}

/**
 * Open the token a URI names, find the private key, and return a {@link Signer} that signs in the token.
 * The key is checked against the leaf certificate by signing and verifying a random probe.
 * @throws {InvalidArgumentError} on a bad URI, no module, no chain, or a PIN source that cannot be read.
 * @throws {ExternalToolError} when the PKCS#11 module or its binding cannot be loaded, or the token is not found.
 * @throws {KeyError} when no key or several keys match, the login fails, or the key does not match the leaf.
 * @throws {CertificateError} when the chain is corrupt.
 */
export async function loadPkcs11Signer(opts: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const uri = typeof opts.uri === 'string' ? parsePkcs11Uri(opts.uri) : opts.uri;
  const chainText = opts.chainPem ?? (opts.chainPath ? await readPkiFile(opts.chainPath, 'certificate chain') : undefined);
  if (chainText === undefined)
    throw new InvalidArgumentError(
      said('err.key.expectedChainPemChainPathPKCS', 'Expected chainPem or chainPath for the PKCS#11 signer but received neither'),
    );
  const certs = parseCertificateChain(chainText, opts.chainPath ?? 'certificate chain');
  const leaf = certs[0]!;
  const alg = coseAlgorithmForKey(leaf.publicKey);
  const { mod, session } = await openToken(uri, opts.module, opts.pin);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    session.close();
  };
  try {
    const { handle: key, facts } = findPrivateKey(mod, session, uri);
    const probe = crypto.randomBytes(32);
    const mismatch = new KeyError(
      said('err.key.tokenKeyDoesNot', 'the token key {v1} does not match the leaf certificate ({text}, {alg})', {
        v1: uri.object ?? '',
        text: leaf.subject.text,
        alg,
      }),
    );
    let probeSig: Uint8Array;
    try {
      probeSig = signWith(mod, session, key, alg, probe);
    } catch (err) {
      throw new KeyError(`${mismatch.message}: ${(err as Error).message}`, { cause: err });
    }
    if (!signatureMatchesLeaf(alg, leaf, probe, probeSig)) throw mismatch;
    const last = certs[certs.length - 1]!;
    const chain = certs.length > 1 && last.selfIssued ? certs.slice(0, -1) : certs;
    return {
      alg,
      certChain: chain.map((c) => c.der),
      certificates: chain,
      keyFacts: facts,
      close,
      async sign(data: Uint8Array): Promise<Uint8Array> {
        if (closed) throw new SigningError(said('err.key.pkcsSignerWasClosed', 'the PKCS#11 signer was closed'));
        return signWith(mod, session, key, alg, data);
      },
    };
  } catch (err) {
    close();
    if (err instanceof KeyError || err instanceof SigningError || err instanceof ExternalToolError) throw err;
    throw new KeyError(said('err.key.pkcsKeyLookupFailed', 'PKCS#11 key lookup failed: {v1}', { v1: (err as Error).message }), {
      cause: err,
    });
  }
}
