/**
 * The verifier: given what was read from an asset (its manifest store, its metadata label
 * carriers, the format), validate the active manifest and its ingredients with the fixed
 * steps, then assemble the report. Pure with respect to I/O apart from hashing the asset.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import type { FoundLabel } from '../../formats/types.ts';
import { collectLabels } from '../labels/collect.ts';
import type { ManifestStore } from '../../manifest/index.ts';
import { buildChain } from '../report/provenance-chain.ts';
import { checkChainIntegrity } from '../report/chain-integrity.ts';
import { checkRoles } from '../labels/role-check.ts';
import type { AssetContext, TrustConfig } from './context.ts';
import { checkLabels } from '../labels/labels-check.ts';
import { checkSignaturesEarly } from '../labels/security-check.ts';
import type { ChainStep, VerifyReport } from '../report/report.ts';
import { computeResults } from './results.ts';
import { summarizeManifest } from '../report/summaries.ts';
import { kindOf, status } from '../report/status-codes.ts';
import { StatusTracker } from './tracker.ts';
import { validateManifest } from './validate-manifest.ts';
import type { StepsDigest } from '../../binding/deferred-hash.ts';

/** Everything read from the asset, before validation. */
export interface ParsedAsset {
  readonly format: VerifyReport['format'];
  /** The asset's bytes, for the content hash. */
  readonly src?: ByteSource;
  /** Separate fragments (DASH/HLS segments) checked with `src` as their init segment. */
  readonly fragments?: readonly ByteSource[];
  /** The parsed manifest store, if the asset has one. */
  readonly store?: ManifestStore;
  /** A store that is present but could not be parsed. */
  readonly storeError?: { code: string; message: string };
  readonly labels: readonly FoundLabel[];
  readonly warnings: readonly string[];
  /** The container's name when C2PA defines no manifest embedding for it (MKV/WebM, FLV, Ogg). */
  readonly c2paUndefinedFor?: string;
  /** The store came from this sidecar `.c2pa` file beside the asset. */
  readonly sidecar?: string;
  /** A bare store given alone: no content to bind to (never Trusted or Valid). */
  readonly bare?: boolean;
  /** Computes the content hash's flat digests (default: now, on this thread). */
  readonly digestSteps?: StepsDigest;
}

/** Options of {@link verifyParsed}. */
export interface VerifyParsedOptions {
  readonly trust: TrustConfig;
  /** Verification time (default now). */
  readonly now?: Date;
  /** Add every assertion's decoded content to the manifest summaries (`inspect`). */
  readonly detail?: boolean;
}

/** Validate a parsed asset and build its report. Never throws for bad media. */
export async function verifyParsed(asset: ParsedAsset, options: VerifyParsedOptions): Promise<VerifyReport> {
  const warnings = [...asset.warnings];
  const collected = collectLabels(asset.labels);
  for (const w of collected.gb45438?.warnings ?? []) warnings.push(`label: ${w}`);
  const report: VerifyReport = {
    validation_state: null,
    c2pa_validation_state: null,
    active_manifest: null,
    manifests: {},
    validation_results: null,
    validation_status: [],
    // Filled below: without a usable store from the carriers alone, otherwise after the
    // manifests are validated (the label checks verify signatures: never twice per file).
    labels: { gb45438: null, iptc: null, malformed: [], signed: null, status: [] },
    chain: [],
    format: asset.format,
    warnings,
  };
  if (asset.storeError) {
    const failure = {
      code: 'general.error' as const,
      url: 'self#jumbf=/c2pa',
      explanation: `manifest store could not be read: ${asset.storeError.message}`,
    };
    report.validation_state = report.c2pa_validation_state = 'Invalid';
    report.validation_results = { activeManifest: { success: [], informational: [], failure: [failure] }, ingredientDeltas: [] };
    report.validation_status = [failure];
    report.error = asset.storeError;
    report.labels = checkLabels(collected, [], true);
    return report;
  }
  const store = asset.store;
  const active = store?.active;
  if (!store || !active) {
    report.labels = checkLabels(collected, [], false, asset.c2paUndefinedFor ? { c2paUndefinedFor: asset.c2paUndefinedFor } : undefined);
    return report;
  }

  const ctx: AssetContext = {
    store,
    trust: options.trust,
    now: options.now ?? new Date(),
    tracker: new StatusTracker(),
    results: new Map(),
    visited: new Set(),
    warnings,
    ...(asset.src ? { src: asset.src } : {}),
    ...(asset.format.id ? { formatId: asset.format.id } : {}),
    ...(asset.fragments?.length ? { fragments: asset.fragments } : {}),
    ...(asset.digestSteps ? { digestSteps: asset.digestSteps } : {}),
    validateIngredient: async (m, depth) => {
      await validateManifest(ctx, m, depth);
    },
  };
  // The label's own signatures depend on nothing the manifests decide: checked before the
  // manifests are validated, they run while a prefetched content hash is still on the hashing
  // thread (the content-hash step waits for it), not after it.
  const checkedEarly = asset.digestSteps ? checkSignaturesEarly(collected.gb45438?.fields) : undefined;
  await validateManifest(ctx, active, 0);
  const computed = computeResults(store, active.label, ctx.tracker.logged);
  const chain: ChainStep[] = buildChain(ctx, active);
  report.active_manifest = active.label;
  report.validation_results = computed.results;
  report.validation_status = computed.status;
  report.c2pa_validation_state = computed.state;
  for (const m of [...store.manifests].reverse()) {
    report.manifests[m.label] = summarizeManifest(store, m, ctx.results.get(m.label), options.detail);
  }
  report.chain = chain;
  const integrity = checkChainIntegrity(store, chain);
  report.labels = checkLabels(collected, chain, true, {
    store,
    signerCertificate: (label) => ctx.results.get(label)?.leaf,
    ...(checkedEarly ? { checkedEarly } : {}),
  });
  report.labels.status.push(...integrity, ...checkRoles(chain, report.labels.gb45438?.fields ?? report.labels.signed?.fields));
  if (asset.sidecar)
    report.labels.status.push(
      status(
        'chain.sidecar',
        asset.sidecar,
        `the manifest store was read from the sidecar ${asset.sidecar}; the content binding was checked against the asset`,
      ),
    );
  if (asset.bare)
    report.labels.status.push(
      status(
        'chain.binding.unchecked',
        active.label,
        'a bare manifest store given alone: its content binding was not checked, so it vouches for no content',
      ),
    );
  const labelFailure = report.labels.status.some((e) => kindOf(e.code) === 'failure');
  report.validation_state = labelFailure ? 'Invalid' : computed.state;
  return report;
}
