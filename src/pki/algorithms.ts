/**
 * X.509 signature algorithms: decode an AlgorithmIdentifier (including RSASSA-PSS
 * parameters), verify a certificate or CRL signature with node:crypto, and produce the
 * AlgorithmIdentifier + signature when we issue certificates (Ed25519 and ECDSA).
 */
import crypto, { type KeyObject } from 'node:crypto';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { CertificateError, KeyError, said } from '../errors.ts';
import { ALG } from './oids.ts';
import { readChildren, readTlv } from './der.ts';

/** Hash functions allowed in certificate signatures. */
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** A decoded signature algorithm. */
export interface SignatureAlgorithm {
  readonly oid: string;
  /** e.g. `ecdsa-with-SHA256`, `Ed25519`, `sha256WithRSAEncryption`, `RSASSA-PSS`, or the OID when unknown. */
  readonly name: string;
  readonly family: 'ecdsa' | 'eddsa' | 'rsa-pkcs1' | 'rsa-pss' | 'unknown';
  /** Message hash (undefined for Ed25519). */
  readonly hash?: HashName;
  /** RSASSA-PSS parameters. */
  readonly pss?: { readonly hash: HashName; readonly mgfHash: HashName; readonly saltLength: number; readonly trailerField: number };
  /** Why the parameters are unusable, when they are. */
  readonly paramsProblem?: string;
}

const HASH_OIDS: Record<string, HashName> = { [ALG.sha1]: 'sha1', [ALG.sha256]: 'sha256', [ALG.sha384]: 'sha384', [ALG.sha512]: 'sha512' };
const SIMPLE: Record<string, { name: string; family: SignatureAlgorithm['family']; hash?: HashName }> = {
  [ALG.ed25519]: { name: 'Ed25519', family: 'eddsa' },
  [ALG.ecdsaWithSha1]: { name: 'ecdsa-with-SHA1', family: 'ecdsa', hash: 'sha1' },
  [ALG.ecdsaWithSha256]: { name: 'ecdsa-with-SHA256', family: 'ecdsa', hash: 'sha256' },
  [ALG.ecdsaWithSha384]: { name: 'ecdsa-with-SHA384', family: 'ecdsa', hash: 'sha384' },
  [ALG.ecdsaWithSha512]: { name: 'ecdsa-with-SHA512', family: 'ecdsa', hash: 'sha512' },
  [ALG.sha1WithRsa]: { name: 'sha1WithRSAEncryption', family: 'rsa-pkcs1', hash: 'sha1' },
  [ALG.sha256WithRsa]: { name: 'sha256WithRSAEncryption', family: 'rsa-pkcs1', hash: 'sha256' },
  [ALG.sha384WithRsa]: { name: 'sha384WithRSAEncryption', family: 'rsa-pkcs1', hash: 'sha384' },
  [ALG.sha512WithRsa]: { name: 'sha512WithRSAEncryption', family: 'rsa-pkcs1', hash: 'sha512' },
};

/** Decode an AlgorithmIdentifier of a certificate or CRL signature (never throws; problems are recorded). */
export function decodeSignatureAlgorithm(id: AlgorithmIdentifier): SignatureAlgorithm {
  const simple = SIMPLE[id.algorithm];
  if (simple) return { oid: id.algorithm, ...simple };
  if (id.algorithm === ALG.rsassaPss) {
    try {
      const pss = decodePssParams(id.parameters ? new Uint8Array(id.parameters) : undefined);
      return {
        oid: id.algorithm,
        name: `RSASSA-PSS (${pss.hash}, MGF1-${pss.mgfHash}, salt ${pss.saltLength})`,
        family: 'rsa-pss',
        hash: pss.hash,
        pss,
      };
    } catch (err) {
      return { oid: id.algorithm, name: 'RSASSA-PSS', family: 'rsa-pss', paramsProblem: (err as Error).message };
    }
  }
  return { oid: id.algorithm, name: id.algorithm, family: 'unknown' };
}

function hashOfAlgId(bytes: Uint8Array, tlvStart: number, end: number, what: string): HashName {
  const seq = readTlv(bytes, tlvStart, end, 'RSASSA-PSS params');
  const [oid] = readChildren(bytes, seq, 'RSASSA-PSS params');
  if (oid?.tag !== 0x06)
    throw new CertificateError(
      said('err.pki.rsassaPSSNotAlgorithmIdentifier', 'RSASSA-PSS {what} is not an AlgorithmIdentifier', { what }),
    );
  const name = decodeOid(bytes.subarray(oid.contentStart, oid.end));
  const h = HASH_OIDS[name];
  if (!h)
    throw new CertificateError(said('err.pki.rsassaPSSNotSupported', 'RSASSA-PSS {what} {name} is not a supported hash', { what, name }));
  return h;
}

/**
 * Decode RSASSA-PSS-params (RFC 4055): hash [0], maskGen [1], saltLength [2], trailerField [3],
 * with the RFC defaults (SHA-1, MGF1-SHA-1, 20, 1) for absent fields.
 * @throws {CertificateError} on malformed parameters.
 */
export function decodePssParams(der: Uint8Array | undefined): NonNullable<SignatureAlgorithm['pss']> {
  let hash: HashName = 'sha1';
  let mgfHash: HashName = 'sha1';
  let saltLength = 20;
  let trailerField = 1;
  if (der && der.length > 0) {
    const seq = readTlv(der, 0, der.length, 'RSASSA-PSS params');
    if (seq.tag !== 0x30 || seq.end !== der.length)
      throw new CertificateError(said('err.pki.rsassaPSSParametersAre', 'RSASSA-PSS parameters are not one SEQUENCE'));
    for (const field of readChildren(der, seq, 'RSASSA-PSS params')) {
      if (field.tag === 0xa0) hash = hashOfAlgId(der, field.contentStart, field.end, 'hash');
      else if (field.tag === 0xa1) {
        const mgf = readTlv(der, field.contentStart, field.end, 'RSASSA-PSS params');
        const [oid, params] = readChildren(der, mgf, 'RSASSA-PSS params');
        if (oid?.tag !== 0x06 || decodeOid(der.subarray(oid.contentStart, oid.end)) !== ALG.mgf1 || !params) {
          throw new CertificateError(said('err.pki.rsassaPSSMaskGeneration', 'RSASSA-PSS mask generation function is not MGF1'));
        }
        mgfHash = hashOfAlgId(der, params.start, params.end, 'MGF1 hash');
      } else if (field.tag === 0xa2 || field.tag === 0xa3) {
        const int = readTlv(der, field.contentStart, field.end, 'RSASSA-PSS params');
        if (int.tag !== 0x02 || int.length > 4)
          throw new CertificateError(said('err.pki.rsassaPSSSaltLength', 'RSASSA-PSS salt length / trailer field is not a small INTEGER'));
        let v = 0;
        for (let i = int.contentStart; i < int.end; i++) v = v * 256 + der[i]!;
        if (field.tag === 0xa2) saltLength = v;
        else trailerField = v;
      } else {
        throw new CertificateError(
          said('err.pki.rsassaPSSParametersHave', 'RSASSA-PSS parameters have an unexpected field tag 0x{v1}', {
            v1: field.tag.toString(16),
          }),
        );
      }
    }
  }
  return { hash, mgfHash, saltLength, trailerField };
}

/** Decode the content bytes of an OBJECT IDENTIFIER to dotted form. */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new CertificateError(said('err.pki.emptyOBJECTIDENTIFIER', 'empty OBJECT IDENTIFIER'));
  const parts: number[] = [];
  let v = 0;
  for (const b of content) {
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER) throw new CertificateError(said('err.pki.objectIDENTIFIERArcToo', 'OBJECT IDENTIFIER arc too large'));
    if ((b & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/**
 * Verify `signature` over `data` with `publicKey` under `alg`. Returns false on any mismatch
 * or unusable algorithm (never throws); `reason` tells why when false.
 */
export function verifySignature(
  alg: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
): { ok: boolean; reason?: string } {
  if (alg.paramsProblem) return { ok: false, reason: alg.paramsProblem };
  const keyType = publicKey.asymmetricKeyType;
  try {
    switch (alg.family) {
      case 'eddsa':
        if (keyType !== 'ed25519') return { ok: false, reason: `Ed25519 signature but the issuer key is ${keyType}` };
        return result(crypto.verify(null, data, publicKey, signature));
      case 'ecdsa':
        if (keyType !== 'ec') return { ok: false, reason: `ECDSA signature but the issuer key is ${keyType}` };
        return result(crypto.verify(alg.hash!, data, { key: publicKey, dsaEncoding: 'der' }, signature));
      case 'rsa-pkcs1':
        if (keyType !== 'rsa') return { ok: false, reason: `RSA signature but the issuer key is ${keyType}` };
        return result(crypto.verify(alg.hash!, data, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, signature));
      case 'rsa-pss': {
        const p = alg.pss!;
        if (keyType !== 'rsa' && keyType !== 'rsa-pss')
          return { ok: false, reason: `RSASSA-PSS signature but the issuer key is ${keyType}` };
        if (p.mgfHash !== p.hash) return { ok: false, reason: `RSASSA-PSS MGF1 hash ${p.mgfHash} differs from the message hash ${p.hash}` };
        if (p.trailerField !== 1) return { ok: false, reason: `RSASSA-PSS trailer field ${p.trailerField} is not 1` };
        return result(
          crypto.verify(
            p.hash,
            data,
            { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength },
            signature,
          ),
        );
      }
      default:
        return { ok: false, reason: `unsupported signature algorithm ${alg.name}` };
    }
  } catch (err) {
    return { ok: false, reason: `signature could not be checked: ${(err as Error).message}` };
  }
}

function result(ok: boolean): { ok: boolean; reason?: string } {
  return ok ? { ok } : { ok, reason: 'signature does not verify' };
}

/**
 * The certificate signature algorithm we use for a CA key: Ed25519, or ECDSA with the hash
 * matching the curve (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512).
 * @throws {KeyError} for other key types.
 */
export function signatureAlgorithmFor(key: KeyObject): { id: AlgorithmIdentifier; hash: HashName | null } {
  if (key.asymmetricKeyType === 'ed25519') return { id: new AlgorithmIdentifier({ algorithm: ALG.ed25519 }), hash: null };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const map: Record<string, [string, HashName]> = {
      prime256v1: [ALG.ecdsaWithSha256, 'sha256'],
      secp384r1: [ALG.ecdsaWithSha384, 'sha384'],
      secp521r1: [ALG.ecdsaWithSha512, 'sha512'],
    };
    const m = curve ? map[curve] : undefined;
    if (!m)
      throw new KeyError(
        said('err.pki.ecCurveCannotSign', 'EC curve {v1} cannot sign certificates (use P-256, P-384 or P-521)', { v1: curve ?? 'unknown' }),
      );
    return { id: new AlgorithmIdentifier({ algorithm: m[0] }), hash: m[1] };
  }
  throw new KeyError(
    said('err.pki.keyCannotSignCertificates', 'a {v1} key cannot sign certificates here (use Ed25519 or ECDSA)', {
      v1: key.asymmetricKeyType ?? 'secret',
    }),
  );
}

/**
 * Sign `tbs` bytes for an X.509 structure (DER ECDSA signatures, as X.509 requires).
 * @throws {KeyError} when the key cannot sign.
 */
export function signTbs(tbs: Uint8Array, key: KeyObject): Uint8Array {
  const { hash } = signatureAlgorithmFor(key);
  try {
    return new Uint8Array(crypto.sign(hash, tbs, { key, dsaEncoding: 'der' }));
  } catch (err) {
    throw new KeyError(
      said('err.pki.couldNotSignWith', 'could not sign with the {asymmetricKeyType} key: {v2}', {
        asymmetricKeyType: String(key.asymmetricKeyType),
        v2: (err as Error).message,
      }),
      { cause: err },
    );
  }
}
