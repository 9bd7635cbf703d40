/**
 * `propagate()`: what a distribution platform runs on each upload. It verifies the file,
 * decides the display prompt (Art. 6), writes its propagation fields into the GB 45438
 * label (never touching the producer's), signs them in ReservedCode2, and adds a C2PA
 * manifest signed by the platform: `c2pa.opened` on a `parentOf` ingredient carrying the
 * incoming manifest store and its validation results, then `c2pa.published` (or
 * `c2pa.transcoded` when it re-encoded the media), and our GB 45438 assertion.
 */
import { prepareSigningAids, type SigningAidOptions } from './signing-aids.ts';
import path from 'node:path';
import type { Signer } from '../crypto/signer.ts';
import { isAnnexECharset } from '../labels/implicit/gb45438.ts';
import { InvalidArgumentError, IoError, said } from '../errors.ts';
import type { Gb45438Label, ImplicitLabels } from '../labels/implicit/types.ts';
import { parseProviderCode } from '../labels/provider-code.ts';
import { makeSecurityData, propagatorMessage } from '../labels/security-data.ts';
import {
  ACTIONS_LABEL,
  buildActions,
  buildGb45438Assertion,
  buildIngredientV3,
  GB45438_ASSERTION_LABEL,
  INGREDIENT_LABEL,
  ingredientRefs,
  type AssertionRef,
  type BuilderAssertion,
  type ManifestStore,
} from '../manifest/index.ts';
import type { VerifyReport } from '../verify/report/report.ts';
import type { TrustOptions } from '../verify/engine/trust-options.ts';
import { decidePrompt, type PlatformDecision } from './decision.ts';
import { embedAndWrite } from './embed.ts';
import { IN_MEMORY_MAX_BYTES, openInputBuffered as openInput, type OpenedInput } from './input.ts';
import { DeferredHashes } from '../binding/deferred-hash.ts';
import { checkSignerCode, newContentId } from './label.ts';
import { guardInPlace, recordStamped } from './stamp.ts';
import { describeTranscode, transcodeMedia, type TranscodeOptions } from './transcode.ts';
import { type OpenedVerification, verifyOpened } from './verify.ts';
import { materializeInput, type InputLike } from './input-kinds.ts';
import { checkOptions, is } from '../options-check.ts';
import { guardOutput } from './output-guard.ts';
import type { ManifestRepository } from '../repository/repository.ts';
import type { RecordedOutput } from '../repository/add-file.ts';
import { uploadFacts, type UploadFacts } from './upload-facts.ts';
import { enforcePolicy, uploadPolicy, withPolicy } from './upload-policy.ts';
import { requireSignerRole } from '../pki/service-role.ts';

/** Options of {@link propagate}. */
export interface PropagateOptions extends SigningAidOptions {
  /** The platform's signer (a propagator certificate). */
  signer: Signer;
  /** The platform's 27-character provider code (ContentPropagator). */
  propagator: string;
  /** PropagateID; default a fresh unique ID. */
  propagateId?: string;
  /** The uploader declared the content AI-generated. */
  declaredAi?: boolean;
  /** Trust for verifying the upload. */
  trust?: TrustOptions;
  /** Re-encode (resize / recompress) before publishing; recorded as c2pa.transcoded. */
  transcode?: TranscodeOptions;
  /** Write here (atomically); without it the bytes are returned. */
  output?: string;
  inPlace?: boolean;
  /** Sign the label fields into ReservedCode2 (default true; skipped for RSA keys). */
  securityData?: boolean;
  /**
   * Sign over an upload that fails verification (its manifest, label or chain). Default
   * false: such an upload is refused with a {@link RefusedError} and nothing is written.
   * Either way the upload's validation results are recorded in the ingredient.
   */
  acceptInvalid?: boolean;
  /** Replace an existing `output` file (default false: refused). */
  force?: boolean;
  /**
   * Record the output in this manifest repository (`ManifestRepository.open(dir)`) once it is written: its
   * manifest store, hashes, watermark identifier and perceptual hash, with an entry in the repository's
   * transparency log. The result's `recorded` says where. A failure to record is thrown after the output
   * is written (the file stays).
   */
  record?: ManifestRepository;
}

const PROPAGATE_RULES = {
  signer: is.signer,
  propagator: is.string,
  propagateId: is.string,
  declaredAi: is.boolean,
  trust: is.trust,
  transcode: is.object,
  output: is.string,
  inPlace: is.boolean,
  securityData: is.boolean,
  acceptInvalid: is.boolean,
  force: is.boolean,
  tsa: {
    expected: 'a TSA URL or options { url, ... }',
    test: (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null),
  },
  ocsp: {
    expected: "a boolean, 'auto' or OCSP options",
    test: (v: unknown) => typeof v === 'boolean' || v === 'auto' || (typeof v === 'object' && v !== null),
  },
  record: {
    expected: 'a ManifestRepository (ManifestRepository.open(dir))',
    test: (v: unknown) => typeof (v as { add?: unknown } | null)?.add === 'function',
  },
  timestamp: { expected: 'a function', test: (v: unknown) => typeof v === 'function' },
  ocspVals: { expected: 'an array of Uint8Arrays', test: (v: unknown) => Array.isArray(v) },
} as const;

/** What {@link propagate} returns. */
export interface PropagateResult {
  /** Non-fatal problems while signing (an optional TSA or OCSP responder that failed). */
  warnings: string[];
  decision: PlatformDecision;
  /** The upload's verification report. */
  incoming: VerifyReport;
  /** The label written, or undefined when the content is not AI (prompt "none"). */
  label?: Gb45438Label;
  /** The C2PA manifest written; `null` where C2PA defines no embedding for the container (MKV/WebM, FLV, Ogg). */
  manifestLabel: string | null;
  bytes?: Uint8Array;
  path?: string;
  /** The repository record, with the `record` option. */
  recorded?: RecordedOutput;
}

/**
 * Check an upload and publish it with the platform's propagation label and manifest.
 * @throws {InvalidArgumentError} for an unknown or wrongly shaped option, a malformed propagator code, one not matching the certificate, a bad PropagateID, or a bad output path.
 * @throws {CertificateError} when the signer's certificate is a producer's (only a propagator may propagate).
 * @throws {RefusedError} when the upload fails verification and `acceptInvalid` is not set, or `output` exists and `force` is not set; nothing is written.
 * @throws {IoError} {@link UnsupportedFormatError} {@link MalformedInputError} {@link SigningError} {@link LimitExceededError}
 */
export async function propagate(upload: InputLike, options: PropagateOptions): Promise<PropagateResult> {
  checkOptions('propagate', options, PROPAGATE_RULES);
  if (!options?.signer) throw InvalidArgumentError.expected('a Signer (loadSigner())', 'propagate() option signer', undefined);
  parseProviderCode(options.propagator);
  requireSignerRole(options.signer.certChain[0], 'propagator');
  checkSignerCode(options.signer, options.propagator, 'propagator');
  await guardInPlace(upload, options.output, options.inPlace, await guardOutput(options.output, options.force, upload));
  const warnings: string[] = [];
  const aids = await prepareSigningAids(options.signer, options, warnings);
  const propagateId = checkedPropagateId(options.propagateId);
  const input = await materializeInput(upload);
  // The upload is opened, read and parsed once: the verification, the decision and the
  // ingredient all use the same read (an upload that changes meanwhile cannot split them).
  const opened = await openInput(input);
  // A large upload on disk: its content hash runs on a second thread while this one writes the
  // new file, assumed to match until it is known; a mismatch (or read failure) discards the
  // output and everything is done again the ordinary way, hash first (`binding/deferred-hash.ts`).
  const deferred = !options.transcode && opened.src.size > IN_MEMORY_MAX_BYTES ? new DeferredHashes() : undefined;
  try {
    return await publish(input, opened, options, { warnings, aids, propagateId }, deferred);
  } catch (err) {
    if (deferred && !(await deferred.settle())) return await publish(input, opened, options, { warnings: [], aids, propagateId });
    throw err;
  } finally {
    await deferred?.settle();
    await opened.close();
  }
}

/** What {@link propagate} prepared before reading the upload. */
interface Prepared {
  warnings: string[];
  aids: Awaited<ReturnType<typeof prepareSigningAids>>;
  propagateId: string;
}

/**
 * Verify the opened upload, decide, and write the output. With `deferred`, the upload's content
 * hash is still running: it is awaited before the output is committed, and a mismatch throws
 * (the caller then runs this again without deferral).
 * @throws as {@link propagate}.
 */
async function publish(
  input: string | Uint8Array,
  first: OpenedInput,
  options: PropagateOptions,
  prepared: Prepared,
  deferred?: DeferredHashes,
): Promise<PropagateResult> {
  const { aids, propagateId } = prepared;
  const warnings = [...prepared.warnings];
  let opened = first;
  let cleanup = async (): Promise<void> => undefined;
  try {
    const verified = await verifyOpened(opened, options.trust ? { trust: options.trust } : {}, deferred?.digest);
    const incoming = verified.report;
    // The decision and the policy read the facts of this one read (the parsed store), not the report's JSON shape.
    const facts = uploadFacts(incoming, verified.parsed?.store);
    const decision = withPolicy(decidePrompt(facts, options.declaredAi === true), uploadPolicy(facts, options.acceptInvalid === true));
    enforcePolicy(decision.policy!, typeof input === 'string' ? input : 'the upload');
    const { store: usable, problem } = incomingStore(verified);
    const uploadFormat = opened.variant.mime;
    if (options.transcode) {
      const transcoded = await transcodeMedia(input, opened.handler, options.transcode);
      cleanup = transcoded.cleanup;
      await opened.close();
      opened = await openInput(transcoded.input);
    }
    const label = await propagationLabel(facts, decision, options, propagateId);
    const title = typeof input === 'string' ? path.basename(input) : undefined;
    const assertions = platformAssertions(usable, problem, incoming, uploadFormat, title, label, options.transcode);
    const labels = metadataLabels(label, facts, options.transcode !== undefined);
    const result = await embedAndWrite(
      {
        src: opened.src,
        handler: opened.handler,
        format: opened.variant.mime,
        signer: options.signer,
        assertions,
        ...(labels ? { labels } : {}),
        ...(usable ? { ingredientStores: [usable] } : {}),
        ...(title ? { title } : {}),
        ...aids,
        ...(deferred?.deferred ? { beforeCommit: () => confirm(deferred) } : {}),
      },
      options.output,
    );
    const { bytes } = result;
    const recorded = options.record ? await recordStamped(options.record, options.output ?? bytes!) : undefined;
    return {
      ...(recorded ? { recorded } : {}),
      warnings,
      decision,
      incoming,
      ...(label ? { label } : {}),
      manifestLabel: result.manifestLabel,
      ...(bytes ? { bytes } : {}),
      ...(options.output ? { path: options.output } : {}),
    };
  } finally {
    if (opened !== first) await opened.close();
    await cleanup();
  }
}

/**
 * Before the output is committed: the upload's deferred content hash matched.
 * @throws {IoError} when it did not (the output is then discarded and the upload verified again).
 */
async function confirm(deferred: DeferredHashes): Promise<void> {
  if (!(await deferred.settle()))
    throw new IoError(said('err.propagate.changed', "the upload's content hash did not match what its verification assumed"));
}

/** The upload's manifest store (as the verification parsed it) when it is usable as an ingredient, else why not. */
function incomingStore(verified: OpenedVerification): { store?: ManifestStore; problem?: string } {
  const { parsed, containerError } = verified;
  if (containerError || !parsed) {
    return {
      problem: `the upload's manifest store could not be read (${containerError?.message ?? verified.report.error?.message ?? 'unreadable'})`,
    };
  }
  const { store, storeError } = parsed;
  if (storeError) {
    const how = storeError.code === 'MULTIPLE_MANIFESTS' ? 'read' : 'parsed';
    return { problem: `the upload's manifest store could not be ${how} (${storeError.message})` };
  }
  if (!store) return {};
  return store.active?.signature ? { store } : { problem: "the upload's active manifest has no claim signature" };
}

/**
 * What goes into the file's metadata. Without a re-encode the container keeps its other
 * metadata (the producer's IPTC digital source type among it); a re-encode drops all of it,
 * so the IPTC type the upload carried is written again.
 */
function metadataLabels(label: Gb45438Label | undefined, facts: UploadFacts, transcoded: boolean): ImplicitLabels | undefined {
  const dst = transcoded ? facts.iptcSourceType : undefined;
  if (!label && !dst) return undefined;
  return { ...(label ? { gb45438: label } : {}), ...(dst ? { digitalSourceType: dst } : {}) };
}

/**
 * The label after propagation: the producer's fields carried verbatim (even when they stray
 * from the Annex E j) character set: they are not the platform's to fix), the propagation
 * fields and the Label set, ReservedCode2 signed.
 */
async function propagationLabel(
  facts: UploadFacts,
  decision: PlatformDecision,
  o: PropagateOptions,
  propagateId: string,
): Promise<Gb45438Label | undefined> {
  if (!decision.label) return undefined;
  const existing = facts.label?.fields;
  let label: Gb45438Label = {
    Label: existing?.Label && ['1', '2', '3'].includes(existing.Label) ? existing.Label : decision.label,
    ContentProducer: existing?.ContentProducer ?? '',
    ProduceID: existing?.ProduceID ?? '',
    ReservedCode1: existing?.ReservedCode1 ?? '',
    ContentPropagator: o.propagator,
    PropagateID: propagateId,
    ReservedCode2: '',
  };
  if (o.securityData !== false && !o.signer.alg.startsWith('PS')) {
    label = { ...label, ReservedCode2: await makeSecurityData(o.signer, propagatorMessage(label)) };
  }
  return label;
}

/**
 * The PropagateID to write.
 * @throws {InvalidArgumentError} for an empty ID or one outside the Annex E j) character set.
 */
function checkedPropagateId(id: string | undefined): string {
  if (id === undefined) return newContentId();
  if (typeof id !== 'string' || id === '' || !isAnnexECharset(id)) {
    throw InvalidArgumentError.expected(
      'a non-empty ID of printable ASCII without spaces, quotes or backslashes (Annex E j)',
      'propagateId',
      id,
    );
  }
  return id;
}

function platformAssertions(
  store: ManifestStore | undefined,
  problem: string | undefined,
  incoming: VerifyReport,
  format: string,
  title: string | undefined,
  label: Gb45438Label | undefined,
  transcode: TranscodeOptions | undefined,
): BuilderAssertion[] {
  const refs = store ? ingredientRefs(store) : undefined;
  // What the platform saw, as c2pa-rs records it: the upload's active manifest results and its deltas.
  const results = incoming.validation_results ?? undefined;
  const ingredient = buildIngredientV3({
    relationship: 'parentOf',
    format,
    ...(title ? { title } : {}),
    instanceID: store?.active?.claim?.instanceID ?? `xmp:iid:${newContentId()}`,
    ...(refs ? { activeManifest: refs.activeManifest, claimSignature: refs.claimSignature } : {}),
    ...(refs && results
      ? { validationResults: { activeManifest: results.activeManifest, ingredientDeltas: results.ingredientDeltas } }
      : {}),
    ...(refs ? {} : { description: `unknown provenance: ${problem ?? 'the upload carried no C2PA manifest'}` }),
  });
  const second = transcode ? { action: 'c2pa.transcoded', description: describeTranscode(transcode) } : { action: 'c2pa.published' };
  const assertions: BuilderAssertion[] = [
    {
      label: ACTIONS_LABEL,
      data: (ref: AssertionRef) =>
        buildActions([
          { action: 'c2pa.opened', when: new Date(), parameters: { ingredients: [ref(INGREDIENT_LABEL)] } },
          { ...second, when: new Date() },
        ]),
    },
    { label: INGREDIENT_LABEL, data: ingredient },
  ];
  if (label) assertions.push({ label: GB45438_ASSERTION_LABEL, data: buildGb45438Assertion(label) });
  return assertions;
}
