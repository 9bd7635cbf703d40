/**
 * The neutral structures validation runs on (sigstore-js style): the wire format is parsed
 * first (`ManifestStore`, certificates, trust configuration), then a fixed list of small
 * steps (`steps/`) reads these structures and logs status codes through the tracker.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import type { Certificate } from '../../pki/certificate.ts';
import type { AnchorSet } from '../../pki/anchor-set.ts';
import type { Crl } from '../../pki/crl.ts';
import type { ChainResult } from '../../pki/chain.ts';
import type { CoseVerification, KnownAssertion, Manifest, ManifestStore, TimestampInfo } from '../../manifest/index.ts';
import type { StatusTracker } from './tracker.ts';
import type { StepsDigest } from '../../binding/deferred-hash.ts';

/** One trust list in force (what `aigc trust show` prints). */
export interface TrustListInfo {
  /** `c2pa` / `tsa` (bundled or replaced), `user` (user anchors). */
  readonly id: 'c2pa' | 'tsa' | 'user' | 'tsa-extra';
  /** Name reported with an anchor, e.g. `C2PA Trust List 2026-08-05 (bundled)`. */
  readonly name: string;
  /** What it is used for. */
  readonly use: 'signers' | 'time-stamping authorities' | 'signers and time-stamping authorities';
  /** `bundled` or where it came from (a file, the settings, the API). */
  readonly source: string;
  /** Issue date of a bundled list. */
  readonly issued?: string;
  /** When the publisher plans the next issue of a bundled list (a newer download may exist after it). */
  readonly next_update?: string;
  /** Anchors loaded from it. */
  readonly count: number;
  /** Certificates skipped (not CAs), with why. */
  readonly skipped: readonly string[];
}

/** Trust configuration, parsed. */
export interface TrustConfig {
  /** Trust anchors (CA certificates) for signers: the C2PA list (bundled or replaced) and user anchors. */
  readonly anchors: readonly Certificate[];
  /**
   * Trust anchors for time-stamp authorities: the C2PA TSA list (bundled or replaced) and the
   * user anchors (c2pa-rs checks TSAs against the user anchors too).
   */
  readonly tsaAnchors: readonly Certificate[];
  /**
   * `anchors` indexed for path building (by fingerprint and subject), parsing a list's
   * certificates only when a chain asks for them. When absent, `anchors` is used.
   */
  readonly anchorSet?: AnchorSet;
  /** `tsaAnchors` indexed the same way. When absent, `tsaAnchors` is used. */
  readonly tsaAnchorSet?: AnchorSet;
  /** Names of the lists each anchor comes from, by SHA-256 fingerprint (hex). */
  readonly anchorSources: ReadonlyMap<string, readonly string[]>;
  /** The lists in force. */
  readonly lists: readonly TrustListInfo[];
  /** Base64 SHA-256 of allowed end-entity certificates. */
  readonly allowedList: readonly string[];
  /** EKU OIDs accepted for signers besides the built-in ones (c2pa-rs `trust_config`). */
  readonly extraEkus: readonly string[];
  readonly crls: readonly Crl[];
  /**
   * Anchors for CAWG X.509 identity signers (`cawg.x509.cose`), apart from the claim
   * signers' as in c2pa-rs (its `cawg_trust`). None: identity signers are untrusted.
   */
  readonly cawgAnchors?: readonly Certificate[];
  /** Also trust TSAs that chain to Node's public root store (default false, as c2pa-rs). */
  readonly publicTsaRoots?: boolean;
  /** Ask the signer's OCSP responder (network) when no response is stapled (default false). */
  readonly ocspFetch?: boolean;
  /** Notes on the configuration, e.g. an anchor skipped because it is not a CA. */
  readonly warnings?: readonly string[];
}

/** No trust at all: signers are at best `signingCredential.untrusted`. */
export const NO_TRUST: TrustConfig = {
  anchors: [],
  tsaAnchors: [],
  anchorSources: new Map(),
  lists: [],
  allowedList: [],
  extraEkus: [],
  crls: [],
};

/** The trust list and anchor a certificate chained to (for the report). */
export interface TrustAnchorRef {
  /** The list(s) the anchor is in. */
  readonly list: string;
  readonly subject: string;
  /** SHA-256 of the anchor's DER, hex. */
  readonly sha256: string;
}

/** What validation learned about one manifest (filled in by the steps). */
export interface ManifestResult {
  readonly manifest: Manifest;
  cose?: CoseVerification;
  /** The signing certificate (x5chain leaf), when it parsed. */
  leaf?: Certificate;
  chain?: ChainResult;
  /** The time-stamp whose imprint and signature verified, if any. */
  timestamp?: TimestampInfo;
  /** Whether that time-stamp's authority chains to an anchor. */
  timestampTrusted?: boolean;
  /** The anchor the signer chained to, and its list. */
  trustAnchor?: TrustAnchorRef;
  /** When the certificates were judged: the trusted genTime, else the verification time. */
  validationTime: Date;
  /** Typed views of the assertions that could be interpreted, by label. */
  readonly known: Map<string, KnownAssertion>;
  /** Assertions whose content did not have the shape their label requires, by label. */
  readonly malformed: Map<string, string>;
  /** Set by a step to end this manifest's validation early (e.g. no claim). */
  stopped?: string;
}

/** State shared by every manifest validated for one asset. */
export interface AssetContext {
  readonly store: ManifestStore;
  /** The asset itself, for the active manifest's content hash (absent for a bare store). */
  readonly src?: ByteSource;
  /** The asset's format handler id (`jpeg`, `mp4`...), for format-specific bindings (box hash). */
  readonly formatId?: string;
  /** Separate fragments of a fragmented BMFF asset whose init segment is `src`. */
  readonly fragments?: readonly ByteSource[];
  /** Computes the content hash's flat digests (default: now); `propagate` defers them (`binding/deferred-hash.ts`). */
  readonly digestSteps?: StepsDigest;
  readonly trust: TrustConfig;
  /** Verification time (the caller's `at`, else now). */
  readonly now: Date;
  readonly tracker: StatusTracker;
  /** Results by manifest label, in validation order. */
  readonly results: Map<string, ManifestResult>;
  /** Manifest labels whose validation has started (each is validated once). */
  readonly visited: Set<string>;
  /** Reader-tolerated oddities for the report's `warnings`. */
  readonly warnings: string[];
  /** Validate an ingredient manifest (set by the orchestrator; avoids an import cycle). */
  validateIngredient(manifest: Manifest, depth: number): Promise<void>;
}

/** What one step sees: the asset, the manifest being validated and its result so far. */
export interface ManifestContext {
  readonly asset: AssetContext;
  readonly manifest: Manifest;
  readonly result: ManifestResult;
  /** 0 for the active manifest, n for an ingredient n levels down. */
  readonly depth: number;
  /** Whether this is the active manifest (only it gets the content-hash check). */
  readonly active: boolean;
}

/** A step: reads the context, logs codes, fills the result. May throw a ToolkitError. */
export interface Step {
  readonly name: string;
  /** Code logged when the step throws a ToolkitError. */
  readonly onError: 'general.error' | 'assertion.dataHash.malformed' | 'assertion.bmffHash.malformed' | 'assertion.action.malformed';
  /** Whether it runs for ingredient manifests too (the content hash runs for the active one only). */
  readonly ingredients: boolean;
  run(ctx: ManifestContext): void | Promise<void>;
}
