/**
 * The verification report: the c2pa-rs / c2pa-node `ManifestStore` JSON shape
 * (`validation_state`, `active_manifest`, `manifests`, `validation_results`,
 * legacy `validation_status`), plus the toolkit's `labels`, `chain`, `format` and `warnings`.
 *
 * `validation_results` holds C2PA spec codes only, so its code sets can be compared with
 * the reference SDK's. Our own GB 45438 label and chain cross-checks are in
 * `labels.status`; they count toward `validation_state` (a forged label is never
 * Trusted) but not toward `c2pa_validation_state`, which is the verdict c2pa-rs gives.
 */
import type { OcspDescription } from '../../ocsp/describe.ts';
import type { StatusBuckets } from '../engine/tracker.ts';
import type { StatusEntry } from './status-codes.ts';
import type { ProviderCode } from '../../labels/provider-code.ts';
import type { Gb45438Label } from '../../labels/implicit/types.ts';
import type { ManifestGeneration } from './generation.ts';

/** Overall verdict, as c2pa-rs names it; null when there is no manifest. */
export type ValidationState = 'Trusted' | 'Valid' | 'Invalid' | null;

/** Who signed a manifest (c2pa-rs `signature_info` plus our fields). */
export interface SignatureInfo {
  /** COSE algorithm as c2pa-rs spells it (`Es256`, `Ed25519`, `Ps256`...). */
  alg: string;
  /** As c2pa-rs: the organisation (O) of the signing certificate's subject. */
  issuer?: string;
  /** Subject common name. */
  common_name?: string;
  /** Serial number, decimal (as c2pa-rs prints it). */
  cert_serial_number?: string;
  /** SHA-256 fingerprint of the signing certificate's DER, lowercase hex (as `openssl x509 -fingerprint -sha256`, without colons). */
  cert_sha256?: string;
  /** genTime of a validated RFC 3161 time-stamp. */
  time?: string;
  /** Full subject DN of the signing certificate. */
  subject?: string;
  /** Full issuer DN of the signing certificate. */
  issuer_dn?: string;
  not_before?: string;
  not_after?: string;
  /** GB 45438 provider code carried by the certificate (organizationIdentifier). */
  provider_code?: string;
  /** The provider code decoded. */
  provider?: ProviderCode;
  /** producer | propagator, from the certificate (OU). */
  role?: string;
  /** Chain validation result code (`signingCredential.*`). */
  credential?: string;
  /** Whether the time-stamp authority chains to a trust anchor. */
  timestamp_trusted?: boolean;
  /** The time-stamp's header (`sigTst2` v2 over the signature, `sigTst` v1 over the claim) and token form. */
  timestamp_form?: { header: 'sigTst2' | 'sigTst'; token: 'TimeStampToken' | 'TimeStampResp'; status: string };
  /** Whether a stapled OCSP response (`rVals`) is present in the signature. */
  ocsp_stapled?: boolean;
  /** The first stapled OCSP response, decoded (responder, status, thisUpdate/nextUpdate, revocation). */
  ocsp?: OcspDescription;
  /** The trust anchor the signer chains to, and the list it is in. */
  trust_anchor?: { list: string; subject: string; sha256: string };
}

/** An ingredient as reported. */
export interface IngredientSummary {
  /** Label of the ingredient assertion (`c2pa.ingredient.v3`, `...__1`). */
  label: string;
  title?: string;
  format?: string;
  instance_id?: string;
  relationship?: string;
  /** Label (URN) of the ingredient's active manifest in this store. */
  active_manifest?: string;
  /** What the claim generator recorded when it used the ingredient. */
  validation_results?: { activeManifest?: StatusBuckets; ingredientDeltas?: unknown[] };
  /** v1/v2 recorded `validationStatus`. */
  validation_status?: { code: string; url?: string; explanation?: string }[];
  thumbnail?: { format?: string; identifier: string };
}

/** One assertion as `inspect` shows it. */
export interface AssertionDetail {
  label: string;
  kind: string;
  /** Decoded content made JSON-safe (byte strings as `{ bytes, base64 }`); absent for binary. */
  data?: unknown;
  /** For embedded files (thumbnails). */
  media_type?: string;
  size?: number;
  /** Whether the claim lists it as created or gathered (or not at all). */
  listed?: 'created' | 'gathered' | 'unlisted';
  /** Why it could not be decoded. */
  error?: string;
}

/** One action as reported. */
export interface ActionSummary {
  action: string;
  when?: string;
  softwareAgent?: unknown;
  digitalSourceType?: string;
  description?: string;
  parameters?: unknown;
}

/** One manifest of the store. */
export interface ManifestSummary {
  label: string;
  claim_version: 1 | 2;
  /** `standard`, `update`, ... (the JUMBF manifest type). */
  manifest_type?: string;
  /** How the manifest is written: C2PA generation, claim, COSE header and time-stamp forms. */
  generation?: ManifestGeneration;
  claim_generator_info?: unknown[];
  claim_generator?: string;
  title?: string;
  format?: string;
  instance_id?: string;
  thumbnail?: { format: string; identifier: string };
  signature_info?: SignatureInfo;
  /** Assertions as c2pa-rs lists them: all but hard bindings, ingredients and thumbnails. */
  assertions: { label: string; data: unknown; kind?: string }[];
  actions: ActionSummary[];
  ingredients: IngredientSummary[];
  /** Our GB 45438 assertion, when present. */
  gb45438?: Record<string, unknown>;
  /** Every assertion with its decoded data (`inspect` only). */
  details?: AssertionDetail[];
}

/** A GB 45438 label as found in the file's metadata. */
export interface LabelReport {
  fields: Gb45438Label;
  /** Every carrier it was found in. */
  found_in: string[];
  wrapped: boolean;
  decoded: { ContentProducer?: ProviderCode; ContentPropagator?: ProviderCode };
  /** Carriers whose value differs from `fields`. */
  conflicts: { found_in: string; fields: Gb45438Label }[];
  warnings: string[];
}

/** One step of the provenance chain (creation first). */
export interface ChainStep {
  index: number;
  manifest: string;
  role: 'creation' | 'propagation' | 'edit' | 'unknown';
  signer?: SignatureInfo;
  time?: string;
  actions: string[];
  digital_source_type?: string;
  label_fields?: Partial<Gb45438Label>;
  validation_state: Exclude<ValidationState, null>;
  failures: StatusEntry[];
  /** Failures a later step recorded for this one in its ingredient assertion (`validationResults`). */
  recorded_failures?: StatusEntry[];
  /** The manifest whose ingredient assertion recorded them. */
  recorded_by?: string;
}

/** The `validation_results` block (c2pa-rs `ValidationResults`). */
export interface ValidationResults {
  activeManifest: StatusBuckets;
  ingredientDeltas: { ingredientAssertionURI: string; validationDeltas: StatusBuckets }[];
}

/** The check of one ReservedCode field's security data (`verify/labels/security-check.ts`). */
export interface SecurityDataFinding {
  field: 'ReservedCode1' | 'ReservedCode2';
  /** Whose fields it protects. */
  party: 'producer' | 'propagator';
  /** The provider code the label names for that party (ContentProducer / ContentPropagator). */
  provider_code: string;
  /** Signature over the fields: `opaque` is a vendor string that is not TC260 SecurityData. */
  status: 'valid' | 'invalid' | 'unsupported' | 'malformed' | 'opaque' | 'absent';
  /** Signature algorithm (Ed25519, ES256, ...; the OID when unknown). */
  alg?: string;
  key_id?: string;
  /** Whether the key is the certificate key of the chain's signer with that code (null: signature not valid). */
  key: 'bound' | 'unbound' | 'unverified' | null;
  /** The manifest whose signer certificate holds the key. */
  manifest?: string;
  explanation: string;
}

/** Label findings: the file's metadata labels and our cross-checks. */
export interface LabelsSection {
  gb45438: LabelReport | null;
  iptc: { digitalSourceType: string; found_in: string[] } | null;
  /** Carriers that hold something label-like that could not be parsed. */
  malformed: { found_in: string; message: string }[];
  /** The signed GB 45438 assertion the file label is compared with (the latest in the chain). */
  signed: { manifest: string; fields: Gb45438Label } | null;
  /** ReservedCode1/2 security data of the file's label (absent when there is no label). */
  security_data?: SecurityDataFinding[];
  /** Our `gb45438.*` and `chain.*` codes (never mixed into `validation_results`). */
  status: StatusEntry[];
}

/** The whole report. */
export interface VerifyReport {
  /** The verdict: the C2PA verdict, made Invalid by any failure in `labels.status`. */
  validation_state: ValidationState;
  /** The verdict of the C2PA checks alone, as c2pa-rs computes it. */
  c2pa_validation_state: ValidationState;
  active_manifest: string | null;
  manifests: Record<string, ManifestSummary>;
  validation_results: ValidationResults | null;
  /** Legacy list of failure entries (c2pa-rs `validation_status`: active then deltas). */
  validation_status: StatusEntry[];
  labels: LabelsSection;
  chain: ChainStep[];
  format: { id: string | null; mime: string | null; extension: string | null };
  warnings: string[];
  /** Set when the input could not be read or parsed at all. */
  error?: { code: string; message: string };
  /**
   * Invisible watermark detection, run when the file carries no manifest (a stripped copy):
   * found or not, the identifier, p-value and bit margin (issue #17).
   */
  watermark?: WatermarkFinding;
}

/** What the watermark detector said about a file without a manifest. */
export type WatermarkFinding =
  | {
      found: boolean;
      medium: string;
      alg: string;
      id?: string;
      pValue: number;
      log10PValue: number;
      margin: number;
      bitErrors: number;
      /** Audio: nothing found in less than one watermark period (11.52 s), too short to carry a mark. */
      tooShort?: boolean;
      /** Audio: length analysed (ms). */
      durationMs?: number;
    }
  | { found: false; error: { code: string; message: string } };
