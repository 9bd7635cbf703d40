/**
 * GB 45438 label security data (TC260-PG-202511A): the signed structure kept in
 * `ReservedCode1` (producer) and `ReservedCode2` (platform), so a platform that does not
 * speak C2PA can still check that the label fields were not altered and who set them.
 *
 * ```json
 * {"SecurityData":{"Type":"TC260PG","Version":1,"PubSD":[
 *   {"Type":"DS","AlgID":"1.3.101.112","TBSData":{"Type":"LabelMataData"},"Signature":"<hex>"},
 *   {"Type":"PubKey","AlgID":"1.3.101.112","KeyValue":"<hex DER SPKI>","KeyID":"<hex SHA-256 of the signer certificate>"}]}}
 * ```
 * Signed messages: the producer signs its fields as the guide's A.1 shows them
 * (`"Label":"1","ContentProducer":"…","ProduceID":"…"`, no braces); the platform signs every
 * field but `ReservedCode2`, in the standard's order, so its propagation fields, the
 * `Label` it set and the producer's fields are all covered. The certificate (found by
 * `KeyID` among the manifest's signers) ties the key to the provider code.
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { MalformedInputError, SigningError, said } from '../errors.ts';
import type { CoseAlgorithm, Signer } from '../crypto/signer.ts';
import { publicKeyFromCertificate } from '../crypto/cose-keys.ts';
import type { Gb45438Label } from './implicit/types.ts';
import { GB45438_FIELDS } from './implicit/types.ts';

/** `SecurityData.Type`. */
export const SECURITY_DATA_TYPE = 'TC260PG';
/** `TBSData.Type`, as MiniMax writes it (sic). */
export const TBS_TYPE = 'LabelMataData';
/** Signature algorithm OIDs used in `AlgID`. SM3withSM2 is recognised but not verified. */
export const SD_ALG_OIDS = {
  Ed25519: '1.3.101.112',
  ES256: '1.2.840.10045.4.3.2',
  ES384: '1.2.840.10045.4.3.3',
  ES512: '1.2.840.10045.4.3.4',
  SM2: '1.2.156.10197.1.501',
} as const;
/** Longest security-data string we parse. */
export const MAX_SECURITY_DATA_CHARS = 16 * 1024;

const ECDSA_HASH: Record<string, string> = { [SD_ALG_OIDS.ES256]: 'sha256', [SD_ALG_OIDS.ES384]: 'sha384', [SD_ALG_OIDS.ES512]: 'sha512' };

/** The message the producer signs (guide A.1). */
export function producerMessage(label: Gb45438Label): string {
  return fieldsMessage(label, ['Label', 'ContentProducer', 'ProduceID']);
}

/** The message a platform signs: every field but ReservedCode2. */
export function propagatorMessage(label: Gb45438Label): string {
  return fieldsMessage(
    label,
    GB45438_FIELDS.filter((f) => f !== 'ReservedCode2'),
  );
}

function fieldsMessage(label: Gb45438Label, fields: readonly (keyof Gb45438Label)[]): string {
  return fields.map((f) => `${JSON.stringify(f)}:${JSON.stringify(label[f] ?? '')}`).join(',');
}

/**
 * Sign `message` with the service's key and return the SecurityData JSON string.
 * @throws {SigningError} for algorithms the structure does not carry (RSA) or a signing failure.
 */
export async function makeSecurityData(signer: Signer, message: string): Promise<string> {
  const oid = algOid(signer.alg);
  const leaf = signer.certChain[0];
  if (!leaf) throw new SigningError(said('err.lbl.signerHasNoCertificate', 'the signer has no certificate to bind the security data to'));
  const { spkiHex, keyId } = keyInfo(leaf);
  const raw = await signer.sign(new TextEncoder().encode(message));
  const sig = signer.alg === 'Ed25519' ? raw : rawToDer(raw);
  return JSON.stringify({
    SecurityData: {
      Type: SECURITY_DATA_TYPE,
      Version: 1,
      PubSD: [
        { Type: 'DS', AlgID: oid, TBSData: { Type: TBS_TYPE }, Signature: hex(sig) },
        { Type: 'PubKey', AlgID: oid, KeyValue: spkiHex, KeyID: keyId },
      ],
    },
  });
}

const KEY_INFO = new WeakMap<Uint8Array, { spkiHex: string; keyId: string }>();

/** SPKI hex and KeyID of a certificate, computed once per certificate object (a service signs many files). */
function keyInfo(leaf: Uint8Array): { spkiHex: string; keyId: string } {
  let info = KEY_INFO.get(leaf);
  if (!info) {
    info = { spkiHex: hex(publicKeyFromCertificate(leaf).export({ format: 'der', type: 'spki' })), keyId: certificateKeyId(leaf) };
    KEY_INFO.set(leaf, info);
  }
  return info;
}

/** The KeyID we write: hex SHA-256 of the signer certificate's DER. */
export function certificateKeyId(certDer: Uint8Array): string {
  return createHash('sha256').update(certDer).digest('hex').toUpperCase();
}

/** Result of {@link verifySecurityData}. */
export interface SecurityDataCheck {
  status: 'valid' | 'invalid' | 'unsupported' | 'malformed';
  message?: string;
  algId?: string;
  /** DER SubjectPublicKeyInfo of the embedded key. */
  keySpki?: Uint8Array;
  keyId?: string;
}

/** Verify security data over `message`. Never throws. */
export function verifySecurityData(value: string, message: string): SecurityDataCheck {
  let parsed: ParsedSecurityData;
  try {
    parsed = parseSecurityData(value);
  } catch (err) {
    return { status: 'malformed', message: (err as Error).message };
  }
  const { ds, pub } = parsed;
  const base = { algId: ds.AlgID, keySpki: pub.key, ...(pub.KeyID ? { keyId: pub.KeyID } : {}) };
  if (ds.AlgID === SD_ALG_OIDS.SM2)
    return { ...base, status: 'unsupported', message: 'SM3withSM2 security data is recognised but not verified' };
  let key: KeyObject;
  try {
    key = publicKeyFromSpki(pub.key);
  } catch (err) {
    return { ...base, status: 'malformed', message: `PubKey.KeyValue is not a public key: ${(err as Error).message}` };
  }
  const data = Buffer.from(message, 'utf8');
  try {
    let ok: boolean;
    if (ds.AlgID === SD_ALG_OIDS.Ed25519) ok = cryptoVerify(null, data, key, ds.sig);
    else if (ECDSA_HASH[ds.AlgID]) ok = cryptoVerify(ECDSA_HASH[ds.AlgID]!, data, { key, dsaEncoding: 'der' }, ds.sig);
    else return { ...base, status: 'unsupported', message: `unknown AlgID ${ds.AlgID}` };
    return { ...base, status: ok ? 'valid' : 'invalid', ...(ok ? {} : { message: 'signature does not match the label fields' }) };
  } catch (err) {
    return { ...base, status: 'invalid', message: (err as Error).message };
  }
}

const KEY_MEMO = new Map<string, KeyObject>();
const KEY_MEMO_MAX = 256;

/** A public key from SPKI DER, memoised (bounded) since the same keys recur across files. */
function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.length).toString('base64');
  let key = KEY_MEMO.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (KEY_MEMO.size >= KEY_MEMO_MAX) KEY_MEMO.delete(KEY_MEMO.keys().next().value!);
    KEY_MEMO.set(id, key);
  }
  return key;
}

interface ParsedSecurityData {
  ds: { AlgID: string; sig: Uint8Array };
  pub: { key: Uint8Array; KeyID?: string };
}

/**
 * Parse a SecurityData string (also MiniMax's `PubSd` spelling).
 * @throws {MalformedInputError} when the structure or hex is wrong.
 */
export function parseSecurityData(value: string): ParsedSecurityData {
  if (value.length > MAX_SECURITY_DATA_CHARS)
    throw new MalformedInputError(
      'security-data',
      said('err.lbl.longerCharacters', 'longer than {MAX_SECURITY_DATA_CHARS} characters', { MAX_SECURITY_DATA_CHARS }),
    );
  let obj: unknown;
  try {
    obj = JSON.parse(value);
  } catch (err) {
    throw new MalformedInputError('security-data', said('err.lbl.notJSON', 'not JSON'), undefined, { cause: err });
  }
  const sd = (obj as { SecurityData?: Record<string, unknown> })?.SecurityData;
  const list = sd?.PubSD ?? sd?.PubSd;
  if (!sd || !Array.isArray(list))
    throw new MalformedInputError('security-data', said('err.lbl.noSecurityDataPubSDList', 'no SecurityData.PubSD list'));
  const ds = list.find((e) => e?.Type === 'DS') as Record<string, unknown> | undefined;
  const pub = list.find((e) => e?.Type === 'PubKey') as Record<string, unknown> | undefined;
  if (!ds || typeof ds.AlgID !== 'string' || typeof ds.Signature !== 'string')
    throw new MalformedInputError('security-data', said('err.lbl.noDSEntryWith', 'no DS entry with AlgID and Signature'));
  if (!pub || typeof pub.KeyValue !== 'string')
    throw new MalformedInputError('security-data', said('err.lbl.noPubKeyEntryWith', 'no PubKey entry with KeyValue'));
  return {
    ds: { AlgID: ds.AlgID, sig: unhex(ds.Signature, 'Signature') },
    pub: { key: unhex(pub.KeyValue, 'KeyValue'), ...(typeof pub.KeyID === 'string' ? { KeyID: pub.KeyID } : {}) },
  };
}

function algOid(alg: CoseAlgorithm): string {
  if (alg === 'Ed25519' || alg === 'ES256' || alg === 'ES384' || alg === 'ES512') return SD_ALG_OIDS[alg];
  throw new SigningError(
    said('err.lbl.labelSecurityDataSupports', 'label security data supports Ed25519 and ECDSA keys, not {alg}', { alg }),
  );
}

/** Encode a raw r‖s ECDSA signature as DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function rawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    const pad = v[0]! & 0x80 ? [0] : [];
    return [0x02, ...derLen(v.length + pad.length), ...pad, ...v];
  };
  const body = [...int(raw.subarray(0, half)), ...int(raw.subarray(half))];
  return new Uint8Array([0x30, ...derLen(body.length), ...body]);
}

function derLen(n: number): number[] {
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

function unhex(s: string, field: string): Uint8Array {
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(s))
    throw new MalformedInputError('security-data', said('err.lbl.notHex', '{field} is not hex', { field }));
  return new Uint8Array(Buffer.from(s, 'hex'));
}
