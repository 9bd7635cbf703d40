/**
 * The signer seam between the PKI layer (which loads keys and chains) and the COSE
 * layer (which signs claims). A signer produces raw signatures in COSE form:
 * Ed25519 64 bytes, ECDSA raw r‖s (IEEE P1363, not DER), RSA-PSS modulus-length.
 *
 * This is the extension point for where keys live. Implementations: `local-signer.ts`
 * (a PKCS#8 file), `pkcs11-signer.ts` (a key in an HSM/token, RFC 7512 URI) and
 * `remote-signer.ts` (an HTTP signing service such as a KMS gateway). Stamping,
 * propagation and the GB 45438 security data sign only through this interface.
 */

/** COSE algorithm names the toolkit signs with or verifies. */
export type CoseAlgorithm = 'Ed25519' | 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'PS384' | 'PS512';

/** Something that can sign C2PA claims. */
export interface Signer {
  /** The COSE algorithm of `sign()`'s output. */
  readonly alg: CoseAlgorithm;
  /** DER certificates, leaf first, then intermediates; never the root. */
  readonly certChain: readonly Uint8Array[];
  /**
   * Sign `data` (the COSE Sig_structure) and return the raw signature.
   * @throws {SigningError} when the key cannot sign.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
}
