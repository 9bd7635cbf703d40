/**
 * The verification report: the c2pa-rs / c2pa-node `ManifestStore` JSON shape
 * (`validation_state`, `active_manifest`, `manifests`, `validation_results`,
 * legacy `validation_status`), plus the toolkit's `labels`, `chain`, `format` and `warnings`.
 */
import type { StatusBuckets } from './tracker.ts';
import type { StatusEntry } from './status-codes.ts';
import type { ProviderCode } from '../labels/provider-code.ts';
import type { Gb45438Label } from '../labels/implicit/types.ts';

/** Overall verdict, as c2pa-rs names it; null when there is no manifest. */
export type ValidationState = 'Trusted' | 'Valid' | 'Invalid' | null;

/** Who signed a manifest. */
export interface SignatureInfo {
  alg: string;
  /** Subject common name. */
  common_name?: string;
  subject?: string;
  issuer?: string;
  cert_serial_number?: string;
  /** Signing time: the trusted time-stamp's genTime, else undefined. */
  time?: string;
  /** GB 45438 provider code carried by the certificate. */
  provider_code?: string;
  /** producer | propagator, from the certificate. */
  role?: string;
  /** chain validation result code. */
  credential?: string;
}

/** An ingredient as reported. */
export interface IngredientSummary {
  title?: string;
  format?: string;
  instance_id?: string;
  relationship?: string;
  /** Label (URN) of the ingredient's active manifest in this store. */
  active_manifest?: string;
  validation_results?: { activeManifest: StatusBuckets };
  label: string;
}

/** One manifest of the store. */
export interface ManifestSummary {
  label: string;
  claim_version: 1 | 2;
  claim_generator_info?: unknown[];
  claim_generator?: string;
  title?: string;
  format?: string;
  instance_id?: string;
  signature_info?: SignatureInfo;
  assertions: { label: string; data: unknown; kind?: string }[];
  actions: { action: string; when?: string; softwareAgent?: unknown; digitalSourceType?: string; description?: string; parameters?: unknown }[];
  ingredients: IngredientSummary[];
  /** Our GB 45438 assertion, when present. */
  gb45438?: Record<string, unknown>;
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
  label_fields?: Partial<Gb45438Label>;
  validation_state: Exclude<ValidationState, null>;
  failures: StatusEntry[];
}

/** The whole report. */
export interface VerifyReport {
  validation_state: ValidationState;
  active_manifest: string | null;
  manifests: Record<string, ManifestSummary>;
  validation_results: {
    activeManifest: StatusBuckets;
    ingredientDeltas: { ingredientAssertionURI: string; validationDeltas: StatusBuckets }[];
  } | null;
  /** Legacy list of failure entries (c2pa-rs `validation_status`). */
  validation_status: StatusEntry[];
  labels: {
    gb45438: LabelReport | null;
    iptc: { digitalSourceType: string; found_in: string[] } | null;
  };
  chain: ChainStep[];
  format: { id: string | null; mime: string | null; extension: string | null };
  warnings: string[];
  /** Set when the input could not be read or parsed at all. */
  error?: { code: string; message: string };
}
