/**
 * GB 45438 label security data in the verifier (issue #6 §2): `ReservedCode1` must be a
 * valid signature over the producer's fields (`producerMessage`), `ReservedCode2` over
 * every field but itself (`propagatorMessage`), and each key must be tied to a certificate:
 * it must be the public key of the signing certificate of a manifest in the chain whose
 * signer carries the provider code the label names (`ContentProducer` for ReservedCode1,
 * looked for from the creation step on; `ContentPropagator` for ReservedCode2, from the
 * latest step back). Without a manifest the key proves integrity only, never authorship.
 *
 * Codes (in `labels.status`): `gb45438.securityData.validated` / `.mismatch` (the fields
 * were altered after signing) / `.malformed` (a SecurityData structure that cannot be read);
 * `.keyMatch` / `.keyMismatch` (the key is not the named signer's) / `.keyUnverified` (no
 * certificate to tie it to); informational `.absent`, `.unsupported` (SM2, unknown AlgID)
 * and `.opaque` (a vendor's own string, not the TC260 structure).
 */
import { createPublicKey } from 'node:crypto';
import {
  certificateKeyId,
  producerMessage,
  propagatorMessage,
  SD_ALG_OIDS,
  verifySecurityData,
  type SecurityDataCheck,
} from '../../labels/security-data.ts';
import type { Gb45438Label } from '../../labels/implicit/types.ts';
import type { ChainStep, SecurityDataFinding } from '../report/report.ts';
import type { StatusCode } from '../report/status-codes.ts';

/** What the verifier knows about the manifests of the chain, for tying keys to certificates. */
export interface SignerCertificates {
  /** The signing (x5chain leaf) certificate of a manifest, by manifest label. */
  signerCertificate(manifestLabel: string): { readonly der: Uint8Array; readonly spki: Uint8Array } | undefined;
  /** Signatures already checked in this verification ({@link checkSignaturesEarly}), by value and message. */
  readonly checkedEarly?: ReadonlyMap<string, SecurityDataCheck>;
}

const earlyKey = (value: string, message: string): string => `${value}\u0000${message}`;

/**
 * Verify the ReservedCode1/2 signatures of `label` now, the ones {@link checkSecurityData}
 * will ask for: they depend on the label alone, so the verifier checks them while the content
 * hash runs on the hashing thread instead of after it (`verify/engine/verifier.ts`). Never throws.
 */
export function checkSignaturesEarly(label: Gb45438Label | undefined): Map<string, SecurityDataCheck> {
  const out = new Map<string, SecurityDataCheck>();
  if (!label) return out;
  for (const [value, message] of [
    [label.ReservedCode1, producerMessage(label)],
    [label.ReservedCode2, propagatorMessage(label)],
  ] as const)
    if (value && looksLikeSecurityData(value)) out.set(earlyKey(value, message), verifySecurityData(value, message));
  return out;
}

type Add = (code: StatusCode, url: string | undefined, explanation?: string) => void;

const ALG_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SD_ALG_OIDS).map(([name, oid]) => [oid, name]));

/** The algorithm name of an `AlgID` OID (the OID itself when unknown). */
export function securityAlgName(oid: string | undefined): string | undefined {
  return oid === undefined ? undefined : (ALG_NAMES[oid] ?? oid);
}

/** Whether a ReservedCode value is meant as TC260 SecurityData (vs a vendor's own opaque string). */
export function looksLikeSecurityData(value: string): boolean {
  try {
    const v = JSON.parse(value) as unknown;
    return typeof v === 'object' && v !== null && 'SecurityData' in v;
  } catch {
    return false;
  }
}

/** Normalised SPKI DER per input (bounded memo: a platform checks the same keys over and over). */
const SPKI_MEMO = new Map<string, Buffer | undefined>();
const SPKI_MEMO_MAX = 256;

function spkiOf(der: Uint8Array): Buffer | undefined {
  const key = Buffer.from(der.buffer, der.byteOffset, der.length).toString('base64');
  if (SPKI_MEMO.has(key)) return SPKI_MEMO.get(key);
  let out: Buffer | undefined;
  try {
    out = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' });
  } catch {
    out = undefined;
  }
  if (SPKI_MEMO.size >= SPKI_MEMO_MAX) SPKI_MEMO.delete(SPKI_MEMO.keys().next().value!);
  SPKI_MEMO.set(key, out);
  return out;
}

/** Whether a platform (not the producer's first write, Annex E Note 1) set the propagation fields. */
function platformFieldsSet(l: Gb45438Label): boolean {
  return !!(l.ContentPropagator || l.PropagateID) && (l.ContentPropagator !== l.ContentProducer || l.PropagateID !== l.ProduceID);
}

/**
 * Check `ReservedCode1` and `ReservedCode2` of `label` and tie their keys to the chain's
 * signer certificates (`certs` undefined: synthetic checks without certificates). Logs
 * codes through `add` and returns one finding per field checked. Never throws.
 */
export function checkSecurityData(
  label: Gb45438Label,
  where: string,
  chain: readonly ChainStep[],
  certs: SignerCertificates | undefined,
  add: Add,
): SecurityDataFinding[] {
  const out: SecurityDataFinding[] = [];
  out.push(checkField(label, 'ReservedCode1', where, chain, certs, add));
  if (label.ReservedCode2 || platformFieldsSet(label)) out.push(checkField(label, 'ReservedCode2', where, chain, certs, add));
  return out;
}

function checkField(
  label: Gb45438Label,
  field: 'ReservedCode1' | 'ReservedCode2',
  where: string,
  chain: readonly ChainStep[],
  certs: SignerCertificates | undefined,
  add: Add,
): SecurityDataFinding {
  const party = field === 'ReservedCode1' ? 'producer' : 'propagator';
  const code = field === 'ReservedCode1' ? label.ContentProducer : label.ContentPropagator;
  const value = label[field];
  const url = `${where}#${field}`;
  const base = { field, party, provider_code: code } as const;
  if (!value) {
    const explanation = `${field} is empty: the ${party}'s label fields carry no signature of their own`;
    add('gb45438.securityData.absent', url, explanation);
    return { ...base, status: 'absent', key: null, explanation };
  }
  const message = field === 'ReservedCode1' ? producerMessage(label) : propagatorMessage(label);
  // Checked early only when it looked like SecurityData (checkSignaturesEarly): no second look.
  const early = certs?.checkedEarly?.get(earlyKey(value, message));
  if (!early && !looksLikeSecurityData(value)) {
    const explanation = `${field} holds the ${party}'s own string, not TC260 SecurityData; it cannot be checked`;
    add('gb45438.securityData.opaque', url, explanation);
    return { ...base, status: 'opaque', key: null, explanation };
  }
  const r = early ?? verifySecurityData(value, message);
  const alg = securityAlgName(r.algId);
  const meta = { ...(alg ? { alg } : {}), ...(r.keyId ? { key_id: r.keyId } : {}) };
  const covers = field === 'ReservedCode1' ? 'Label, ContentProducer and ProduceID' : 'every label field but ReservedCode2';
  if (r.status === 'malformed') {
    const explanation = `${field} SecurityData cannot be read: ${r.message ?? 'malformed'}`;
    add('gb45438.securityData.malformed', url, explanation);
    return { ...base, ...meta, status: 'malformed', key: null, explanation };
  }
  if (r.status === 'unsupported') {
    const explanation = `${field} ${r.message ?? 'uses an unsupported algorithm'}`;
    add('gb45438.securityData.unsupported', url, explanation);
    return { ...base, ...meta, status: 'unsupported', key: null, explanation };
  }
  if (r.status === 'invalid') {
    const explanation = `${field} (${alg}) does not verify over ${covers}: the label fields were altered after the ${party} signed them`;
    add('gb45438.securityData.mismatch', url, explanation);
    return { ...base, ...meta, status: 'invalid', key: null, explanation };
  }
  add('gb45438.securityData.validated', url, `${field} (${alg}) is a valid signature over ${covers}`);
  const tie = tieKey(party, code, r.keySpki!, r.keyId, chain, certs);
  add(tie.code, tie.manifest ?? url, `${field}: ${tie.explanation}`);
  return {
    ...base,
    ...meta,
    status: 'valid',
    key:
      tie.code === 'gb45438.securityData.keyMatch' ? 'bound' : tie.code === 'gb45438.securityData.keyMismatch' ? 'unbound' : 'unverified',
    ...(tie.manifest ? { manifest: tie.manifest } : {}),
    explanation: tie.explanation,
  };
}

interface Tie {
  code: 'gb45438.securityData.keyMatch' | 'gb45438.securityData.keyMismatch' | 'gb45438.securityData.keyUnverified';
  manifest?: string;
  explanation: string;
}

/** Tie the embedded key to the certificate of the chain's signer that carries `code`. */
function tieKey(
  party: 'producer' | 'propagator',
  code: string,
  keySpki: Uint8Array,
  keyId: string | undefined,
  chain: readonly ChainStep[],
  certs: SignerCertificates | undefined,
): Tie {
  const unverified = (why: string): Tie => ({
    code: 'gb45438.securityData.keyUnverified',
    explanation: `${why}; the key proves the fields unaltered, not who signed them`,
  });
  if (!certs || chain.length === 0) return unverified('no C2PA manifest carries a certificate to tie the key to');
  const key = spkiOf(keySpki);
  if (!key) return { code: 'gb45438.securityData.keyMismatch', explanation: 'the embedded key cannot be loaded' };
  const creation = chain[0]!.role === 'creation' ? chain[0] : undefined;
  // The producer is looked for from the creation step on, a propagator from the latest step back.
  const ordered = party === 'producer' ? [...chain] : [...chain].reverse();
  const named = code ? ordered.filter((s) => s.signer?.provider_code === code) : [];
  if (named.length === 0) {
    if (party === 'producer' && !creation)
      return unverified('the chain has no creation manifest whose signer could vouch for the producer');
    const who =
      party === 'producer'
        ? `the creation signer's code is ${creation!.signer?.provider_code ?? 'absent'}`
        : 'the label was not set by a signer of the chain';
    return {
      code: 'gb45438.securityData.keyMismatch',
      explanation: `no manifest of the chain is signed by a certificate with provider code ${code || '(empty)'} (${who})`,
    };
  }
  for (const step of named) {
    const cert = certs.signerCertificate(step.manifest);
    const certKey = cert ? spkiOf(cert.spki) : undefined;
    if (certKey?.equals(key)) {
      const idNote =
        keyId && keyId.toUpperCase() !== certificateKeyId(cert!.der)
          ? ` (its KeyID ${keyId} names another certificate of the same key)`
          : '';
      return {
        code: 'gb45438.securityData.keyMatch',
        manifest: step.manifest,
        explanation: `the key is the public key of the certificate (code ${code}) that signed ${step.manifest}${idNote}`,
      };
    }
  }
  return {
    code: 'gb45438.securityData.keyMismatch',
    manifest: named[0]!.manifest,
    explanation: `the key is not the public key of the certificate with provider code ${code} that signed ${named.map((s) => s.manifest).join(', ')}`,
  };
}
