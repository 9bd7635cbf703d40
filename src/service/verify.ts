/**
 * `verify()`: read an asset (a path or bytes), find its C2PA manifest store and its GB 45438
 * metadata labels, validate everything and return the report (`src/verify/report/report.ts`).
 * It never throws on bad media: an unreadable path, an unsupported format or a damaged
 * container gives a report with `error`; a damaged manifest store gives `Invalid`.
 */
import { LimitExceededError, ToolkitError, InvalidArgumentError, MultipleManifestsError, UnsupportedFormatError, said } from '../errors.ts';
import type { FoundLabel } from '../formats/types.ts';
import { parseManifestStore, type ManifestStore } from '../manifest/index.ts';
import type { VerifyReport } from '../verify/report/report.ts';
import { resolveTrust, type TrustOptions } from '../verify/engine/trust-options.ts';
import { verifyParsed, type ParsedAsset, type VerifyParsedOptions } from '../verify/engine/verifier.ts';
import { BARE_STORE_FORMAT, readBareStore } from '../verify/engine/bare-store.ts';
import { readSidecar } from '../verify/engine/sidecar.ts';
import { openInputBuffered, type MediaInput, type OpenedInput } from './input.ts';
import { openFragments } from './fragments.ts';
import { brotliDecompress } from '../binary/brotli-node.ts';
import { MAX_FRAGMENTS } from '../binary/limits.ts';
import type { ByteSource } from '../binary/byte-source.ts';
import type { StepsDigest } from '../binding/deferred-hash.ts';
import { MIN_PREFETCH_HASH_BYTES, PrefetchedHash } from '../binding/prefetch-hash.ts';
import { plannedDataHash } from '../verify/engine/steps/content-hash.ts';
export { IN_MEMORY_MAX_BYTES } from './input.ts';
import { materializeInput, type InputLike } from './input-kinds.ts';
import { checkOptions, is } from '../options-check.ts';

export type { TrustOptions } from '../verify/engine/trust-options.ts';
export type { VerifyReport } from '../verify/report/report.ts';

/** Loaded on first use and kept (an `import()` per file would resolve the module again each time). */
let watermarkCheckModule: Promise<typeof import('./watermark-check.ts')> | undefined;

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** Trust lists, user anchors, allowed list, EKUs and CRLs. Default: the bundled C2PA trust lists. */
  readonly trust?: TrustOptions;
  /** Judge certificates at this time instead of now (a trusted time-stamp still wins). */
  readonly at?: Date;
  /** Add every assertion's decoded content to the manifest summaries (what `inspect` does). */
  readonly detail?: boolean;
  /**
   * Fragments (DASH/HLS `.m4s` segments, paths or bytes) of a fragmented MP4 whose init
   * segment is `input`: each is checked against the init segment's `c2pa.hash.bmff` Merkle
   * maps, as c2pa-rs `Reader::from_fragmented_files` does. At most {@link MAX_FRAGMENTS}.
   */
  readonly fragments?: readonly MediaInput[];
  /** Look for an invisible watermark when the file has no manifest (default true). */
  readonly watermark?: boolean;
}

const VERIFY_RULES = {
  trust: is.trust,
  at: is.date,
  detail: is.boolean,
  fragments: { expected: 'an array of paths or Uint8Arrays', test: (v: unknown) => Array.isArray(v) },
  watermark: is.boolean,
} as const;

const NO_FORMAT: VerifyReport['format'] = { id: null, mime: null, extension: null };

function errorReport(code: string, message: string, format = NO_FORMAT, warnings: string[] = []): VerifyReport {
  return {
    validation_state: null,
    c2pa_validation_state: null,
    active_manifest: null,
    manifests: {},
    validation_results: null,
    validation_status: [],
    labels: { gb45438: null, iptc: null, malformed: [], signed: null, status: [] },
    chain: [],
    format,
    warnings,
    error: { code, message },
  };
}

/** What {@link readAsset} read, and the content hash it started early, if any. */
interface AssetRead {
  parsed: ParsedAsset;
  containerError?: ToolkitError;
  prefetch?: PrefetchedHash;
}

async function readAsset(opened: OpenedInput, fragments: readonly ByteSource[], digestSteps?: StepsDigest): Promise<AssetRead> {
  const { src, handler } = opened;
  const format = { id: handler.id, mime: opened.variant.mime, extension: opened.variant.extension };
  const warnings = opened.extensionWarning ? [opened.extensionWarning] : [];
  const c2paUndefinedFor = handler.hardBinding === 'none' ? handler.name : undefined;
  if (c2paUndefinedFor)
    warnings.push(
      `C2PA defines no manifest embedding for ${c2paUndefinedFor}: only the GB 45438 label (with its TC260 security data) is checked`,
    );
  let store: ManifestStore | undefined;
  let storeError: ParsedAsset['storeError'];
  let containerError: ToolkitError | undefined;
  let sidecar: string | undefined;
  try {
    let raw = await handler.readManifest(src);
    if (!raw && opened.path) {
      const side = await readSidecar(opened.path);
      if (side) {
        raw = side.bytes;
        sidecar = side.path;
        warnings.push(`no embedded manifest: the manifest store was read from the sidecar ${side.path}`);
      }
    }
    if (raw) {
      try {
        store = parseManifestStore(raw, { decompress: brotliDecompress });
      } catch (err) {
        if (!(err instanceof ToolkitError)) throw err;
        storeError = { code: err.code, message: err.message };
      }
    }
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    if (err instanceof MultipleManifestsError) storeError = { code: err.code, message: err.message };
    else containerError = err;
  }
  // A large file's content hash starts now on the hashing thread, while this thread reads the
  // labels and checks the claim, signature and certificates (see binding/prefetch-hash.ts).
  const plan = !digestSteps && !fragments.length && store && src.size >= MIN_PREFETCH_HASH_BYTES ? plannedDataHash(store, src) : undefined;
  const prefetch = plan ? PrefetchedHash.start(src, plan.steps, plan.alg) : undefined;
  let labels: FoundLabel[] = [];
  try {
    labels = await handler.readLabels(src);
  } catch (err) {
    if (!(err instanceof ToolkitError)) {
      await prefetch?.settle();
      throw err;
    }
    warnings.push(`metadata labels could not be read: ${err.message}`);
  }
  return {
    parsed: {
      format,
      src,
      labels,
      warnings,
      ...(store ? { store } : {}),
      ...(storeError ? { storeError } : {}),
      ...(fragments.length ? { fragments } : {}),
      ...(sidecar ? { sidecar } : {}),
      ...(c2paUndefinedFor ? { c2paUndefinedFor } : {}),
      ...(digestSteps ? { digestSteps } : {}),
    },
    ...(containerError ? { containerError } : {}),
    ...(prefetch ? { prefetch } : {}),
  };
}

/**
 * Verify `input`: the active manifest and its ingredients (signatures, certificate chains
 * at the trusted time-stamp's time, hashed URIs, hard binding, actions), the GB 45438 label
 * and the provenance chain.
 * @throws {InvalidArgumentError} for an input of another kind (see {@link InputLike}), a fragment
 * that is neither a path nor bytes, or an unknown or wrongly shaped option.
 * @throws {LimitExceededError} for a stream or Blob above MAX_STREAM_INPUT_BYTES, or more than
 * {@link MAX_FRAGMENTS} fragments.
 * @throws {CertificateError} {@link LimitExceededError} for unusable trust options.
 */
export async function verify(source: InputLike, options: VerifyOptions = {}): Promise<VerifyReport> {
  const run = runOptions(options);
  const fragmentInputs = options.fragments ?? [];
  if (!Array.isArray(fragmentInputs)) throw InvalidArgumentError.expected('an array of paths or Uint8Arrays', 'fragments', fragmentInputs);
  if (fragmentInputs.length > MAX_FRAGMENTS)
    throw new LimitExceededError('MAX_FRAGMENTS', said('err.limit.fragments', '{count} fragments', { count: fragmentInputs.length }));
  for (const f of fragmentInputs)
    if (typeof f !== 'string' && !(f instanceof Uint8Array)) throw InvalidArgumentError.expected('a path or a Uint8Array', 'fragment', f);
  const input = await materializeInput(source);
  let opened: OpenedInput;
  try {
    // The bytes are lent from the read pool: the report is plain data, holding no view of them.
    opened = await openInputBuffered(input, { pooled: true });
  } catch (err) {
    if (err instanceof UnsupportedFormatError) return verifyBareStore(input, run, err);
    if (err instanceof ToolkitError) return errorReport(err.code, err.message);
    return errorReport('INTERNAL_ERROR', `input could not be opened: ${(err as Error).message}`);
  }
  let fragments: Awaited<ReturnType<typeof openFragments>>;
  try {
    fragments = await openFragments(fragmentInputs);
  } catch (err) {
    await opened.close();
    if (err instanceof ToolkitError) return errorReport(err.code, err.message);
    throw err;
  }
  try {
    const { report } = await verifyOpenedWith(opened, run, fragments.sources);
    if (!report.active_manifest && options.watermark !== false) {
      const { watermarkFinding } = await (watermarkCheckModule ??= import('./watermark-check.ts'));
      opened.retainBytes?.(); // decoded by sharp, which may cache by the buffer's address
      const finding = await watermarkFinding(opened);
      if (finding) report.watermark = finding;
    }
    return report;
  } finally {
    await opened.close();
    await fragments.close();
  }
}

/** What {@link verifyOpened} returns: the report and what was read to make it. */
export interface OpenedVerification {
  readonly report: VerifyReport;
  /** The asset as read (store, labels), for a caller that goes on with the same read. */
  readonly parsed?: ParsedAsset;
  /** Why the container could not be read, when it could not. */
  readonly containerError?: ToolkitError;
}

/**
 * Verify an input the caller has opened (and will close), keeping what was read: the
 * parsed store and labels are reused by `propagate`, so the upload is read and parsed once.
 * `digestSteps` computes the content hash's flat digests (`propagate` defers them, see
 * `binding/deferred-hash.ts`); by default they are computed now.
 * @throws {InvalidArgumentError} {@link CertificateError} {@link LimitExceededError} for unusable options.
 */
export async function verifyOpened(
  opened: OpenedInput,
  options: VerifyOptions = {},
  digestSteps?: StepsDigest,
): Promise<OpenedVerification> {
  return verifyOpenedWith(opened, runOptions(options), [], digestSteps);
}

/** @throws {InvalidArgumentError} for an unknown or wrongly shaped option. */
function runOptions(options: VerifyOptions): VerifyParsedOptions {
  checkOptions('verify', options, VERIFY_RULES);
  const trust = resolveTrust(options.trust);
  return { trust, ...(options.at ? { now: options.at } : {}), ...(options.detail ? { detail: true } : {}) };
}

async function verifyOpenedWith(
  opened: OpenedInput,
  run: VerifyParsedOptions,
  fragments: readonly ByteSource[] = [],
  digestSteps?: StepsDigest,
): Promise<OpenedVerification> {
  let read: AssetRead | undefined;
  let prefetch: PrefetchedHash | undefined;
  try {
    read = await readAsset(opened, fragments, digestSteps);
    prefetch = read.prefetch;
    // With a prefetched hash the report is built taking the claimed digest on trust, while the
    // thread hashes; should the real digest differ (or the thread fail), it is built again the
    // ordinary way, so the report is the same either way.
    let report = await verifyParsed(prefetch ? { ...read.parsed, digestSteps: prefetch.assume } : read.parsed, run);
    if (prefetch && !(await prefetch.confirm())) report = await verifyParsed({ ...read.parsed, digestSteps: prefetch.digest }, run);
    if (read.containerError && !report.error) report.error = { code: read.containerError.code, message: read.containerError.message };
    return { report, parsed: read.parsed, ...(read.containerError ? { containerError: read.containerError } : {}) };
  } catch (err) {
    const format = { id: opened.handler.id, mime: opened.variant.mime, extension: opened.variant.extension };
    const report =
      err instanceof ToolkitError
        ? errorReport(err.code, err.message, format)
        : errorReport('INTERNAL_ERROR', `verification failed unexpectedly: ${(err as Error).message}`, format);
    return { report, ...(read ? { parsed: read.parsed } : {}), ...(read?.containerError ? { containerError: read.containerError } : {}) };
  } finally {
    // The caller closes the file after this returns: the thread must be done reading it.
    await prefetch?.settle();
  }
}

/** A `.c2pa` sidecar given as input: everything but the hard binding is validated. */
async function verifyBareStore(input: MediaInput, run: VerifyParsedOptions, unsupported: UnsupportedFormatError): Promise<VerifyReport> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readBareStore(input);
  } catch (err) {
    if (err instanceof ToolkitError) return errorReport(err.code, err.message, { ...BARE_STORE_FORMAT });
    throw err;
  }
  if (!bytes) return errorReport(unsupported.code, unsupported.message);
  const warnings = [
    'bare manifest store (sidecar) given alone: the content binding cannot be checked without the asset, so it vouches for no content (Invalid)',
  ];
  let parsed: ParsedAsset;
  try {
    parsed = {
      format: { ...BARE_STORE_FORMAT },
      labels: [],
      warnings,
      store: parseManifestStore(bytes, { decompress: brotliDecompress }),
      bare: true,
    };
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    parsed = { format: { ...BARE_STORE_FORMAT }, labels: [], warnings, storeError: { code: err.code, message: err.message }, bare: true };
  }
  return verifyParsed(parsed, run);
}
