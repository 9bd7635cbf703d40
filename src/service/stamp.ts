/**
 * `stamp()`: what a content service runs on each AI output — the GB 45438 implicit
 * label in the file's metadata plus a signed C2PA manifest (`c2pa.created`,
 * trainedAlgorithmicMedia, our GB 45438 assertion, the hard binding), in one pass.
 * The explicit (visible/audible) label, when asked for, is rendered first by
 * `service/explicit.ts`, because any re-encode drops metadata.
 */
import { prepareSigningAids, type SigningAidOptions } from './signing-aids.ts';
import path from 'node:path';
import { InvalidArgumentError, said } from '../errors.ts';
import { samePath } from '../binary/atomic-write.ts';
import type { Signer } from '../crypto/signer.ts';
import { TRAINED_ALGORITHMIC_MEDIA, type Gb45438Label } from '../labels/implicit/types.ts';
import {
  ACTIONS_LABEL,
  buildActions,
  buildGb45438Assertion,
  GB45438_ASSERTION_LABEL,
  type ActionInput,
  type ExplicitLabelInfo,
} from '../manifest/index.ts';
import { openInputBuffered as openInput, type MediaInput } from './input.ts';
import { checkSignerCode, producerLabel } from './label.ts';
import { makeSecurityData, producerMessage } from '../labels/security-data.ts';
import { CLAIM_GENERATOR, embedAndWrite, type EmbedRequest } from './embed.ts';
import type { ExplicitOptions } from './explicit.ts';
import { materializeInput, type InputLike } from './input-kinds.ts';
import { checkOptions, is } from '../options-check.ts';
import { guardOutput } from './output-guard.ts';
import { requireSignerRole } from '../pki/service-role.ts';
import { editAssertions, readEarlierStore, type EarlierManifest } from './earlier-manifest.ts';
import type { ManifestStore } from '../manifest/index.ts';
import type { VerifyReport } from '../verify/report/report.ts';
import type { TrustOptions } from '../verify/engine/trust-options.ts';
import { verify } from './verify.ts';
import { embedSidecar } from './sidecar-embed.ts';
import { embedFragmented } from './embed-fragments.ts';
import { FileSource } from '../binary/file-source.ts';
import { BufferSource } from '../binary/byte-source.ts';
import type { AppliedWatermark, WatermarkStepOptions } from './watermark.ts';
import type { ManifestRepository } from '../repository/repository.ts';
import type { RecordedOutput } from '../repository/add-file.ts';
import { buildSoftBinding, SOFT_BINDING_LABEL, WATERMARKED_ACTION } from '../watermark/soft-binding.ts';

// Loaded on first use and kept: an `import()` per file would resolve the module again each time.
let explicitModule: Promise<typeof import('./explicit.ts')> | undefined;
let watermarkModule: Promise<typeof import('./watermark.ts')> | undefined;

/** Options of {@link stamp}. */
export interface StampOptions extends SigningAidOptions {
  /** Signs the manifest (see `loadSigner`). */
  signer: Signer;
  /** The service provider's 27-character GB 45438 code (ContentProducer). */
  producer: string;
  /** ProduceID; default a fresh unique ID. */
  produceId?: string;
  /** Model or service name, recorded as the action's softwareAgent. */
  model?: string;
  /** Write the result here (atomically). Without it, the bytes are returned. */
  output?: string;
  /** Allow `output` to be the input path itself. */
  inPlace?: boolean;
  /**
   * The explicit (perceivable) label: rendered before signing with these options
   * (default `{}`: "AI生成", bottom-right, 6 %; Morse cue at the start). `false` skips it,
   * for services whose interface shows the label instead.
   */
  explicitLabel?: ExplicitOptions | false;
  /** An explicit label the caller already rendered, to record in the manifest. */
  explicitApplied?: ExplicitLabelInfo;
  /**
   * Fill ReservedCode1 with TC260 security data signed by the service's key (default true;
   * skipped for RSA keys, which the structure does not carry).
   */
  securityData?: boolean;
  /** Time recorded on the actions (default now). */
  when?: Date;
  /** Replace an existing `output` file (default false: refused). */
  force?: boolean;
  /**
   * Drop a manifest store the input already carries (default false: it is kept as a
   * `parentOf` ingredient with its validation results, and the new manifest edits it).
   */
  replaceManifest?: boolean;
  /** Trust for judging an earlier manifest whose validation results are recorded (default: none). */
  trust?: TrustOptions;
  /** Write the manifest store to this sidecar `.c2pa` file instead of into the media (see `sidecar-embed.ts`). */
  sidecar?: string;
  /**
   * Embed an invisible watermark (images) after the explicit label and before signing, and
   * declare it (`c2pa.watermarked` action, `c2pa.soft-binding` assertion, identifier in the
   * GB 45438 assertion). `true` uses a fresh random identifier.
   */
  watermark?: boolean | WatermarkStepOptions;
  /**
   * Record the output in this manifest repository (`ManifestRepository.open(dir)`) once it is written: its
   * manifest store, hashes, watermark identifier and perceptual hash, with an entry in the repository's
   * transparency log. The result's `recorded` says where. A failure to record is thrown after the output
   * is written (the file stays).
   */
  record?: ManifestRepository;
  /**
   * Fragmented MP4 as separate files: the input is the init segment and these are its media
   * segments (DASH/HLS `.m4s`), written to `outputs` (same order) with their Merkle proof boxes;
   * the manifest (Merkle form of `c2pa.hash.bmff.v3`) and the label go into the init segment
   * at `output` (see `embed-fragments.ts`). Needs `output` and `explicitLabel: false`.
   */
  fragments?: { inputs: readonly string[]; outputs: readonly string[] };
}

const STAMP_RULES = {
  signer: is.signer,
  producer: is.string,
  produceId: is.string,
  model: is.string,
  output: is.string,
  inPlace: is.boolean,
  explicitLabel: is.explicit,
  explicitApplied: is.object,
  securityData: is.boolean,
  when: is.date,
  force: is.boolean,
  replaceManifest: is.boolean,
  trust: is.trust,
  sidecar: is.string,
  fragments: {
    expected: 'fragment paths { inputs: string[], outputs: string[] } of equal length',
    test: (v: unknown) => isFragmentPaths(v),
  },
  tsa: {
    expected: 'a TSA URL or options { url, ... }',
    test: (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null),
  },
  ocsp: {
    expected: "a boolean, 'auto' or OCSP options",
    test: (v: unknown) => typeof v === 'boolean' || v === 'auto' || (typeof v === 'object' && v !== null),
  },
  timestamp: { expected: 'a function', test: (v: unknown) => typeof v === 'function' },
  ocspVals: { expected: 'an array of Uint8Arrays', test: (v: unknown) => Array.isArray(v) },
  record: {
    expected: 'a ManifestRepository (ManifestRepository.open(dir))',
    test: (v: unknown) => typeof (v as { add?: unknown } | null)?.add === 'function',
  },
  watermark: {
    expected: 'a boolean or watermark options { id?, ... }',
    test: (v: unknown) => typeof v === 'boolean' || (typeof v === 'object' && v !== null && !Array.isArray(v)),
  },
} as const;

function isFragmentPaths(v: unknown): boolean {
  const f = v as { inputs?: unknown; outputs?: unknown };
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.length > 0 && x.every((y) => typeof y === 'string');
  return typeof v === 'object' && v !== null && strings(f.inputs) && strings(f.outputs) && f.inputs.length === f.outputs.length;
}

/** What {@link stamp} returns. */
export interface StampResult {
  /** Non-fatal problems while signing (an optional TSA or OCSP responder that failed). */
  warnings: string[];
  /** The stamped file's bytes, when no `output` path was given. */
  bytes?: Uint8Array;
  /** The explicit label that was applied, if any. */
  explicit?: ExplicitLabelInfo;
  /** Where it was written. */
  path?: string;
  format: string;
  /** The C2PA manifest written; `null` where C2PA defines no embedding for the container (MKV/WebM, FLV, Ogg). */
  manifestLabel: string | null;
  label: Gb45438Label;
  /** What happened to a manifest the input already carried. */
  earlier?: EarlierManifest;
  /** Where the sidecar store was written. */
  sidecar?: string;
  /** The watermark embedded, if any. */
  watermark?: AppliedWatermark;
  /** The repository record, with the `record` option. */
  recorded?: RecordedOutput;
}

/**
 * Stamp `input` (a path or bytes).
 * @throws {InvalidArgumentError} for an unknown or wrongly shaped option or input, a malformed
 * producer code, a code not matching the certificate, or an output path equal to the input without `inPlace`.
 * @throws {CertificateError} when the signer's certificate is a propagator's (only a producer may stamp).
 * @throws {RefusedError} when `output` exists and `force` is not set.
 * @throws {IoError} {@link UnsupportedFormatError} {@link MalformedInputError} {@link SigningError}
 */
export async function stamp(source: InputLike, options: StampOptions): Promise<StampResult> {
  checkOptions('stamp', options, STAMP_RULES);
  if (!options?.signer) throw InvalidArgumentError.expected('a Signer (loadSigner())', 'stamp() option signer', undefined);
  requireSignerRole(options.signer.certChain[0], 'producer');
  checkSignerCode(options.signer, options.producer, 'producer');
  const outputExists = await guardOutput(options.output, options.force, source);
  if (options.fragments) await guardFragments(options);
  const input: MediaInput = await materializeInput(source);
  let label = producerLabel(options.producer, options.produceId);
  if (options.securityData !== false && !options.signer.alg.startsWith('PS')) {
    label = { ...label, ReservedCode1: await makeSecurityData(options.signer, producerMessage(label)) };
  }
  await guardInPlace(input, options.output, options.inPlace, outputExists);
  const warnings: string[] = [];
  const aids = await prepareSigningAids(options.signer, options, warnings);
  await guardOutput(options.sidecar, options.force, source);
  // The input's bytes are lent from the read pool and given back at the end: everything made
  // from them is written (or copied into `bytes`) by then; sharp and ffmpeg get them retained.
  let opened = await openInput(input, { pooled: true });
  let explicit = options.explicitApplied;
  let cleanup = async (): Promise<void> => undefined;
  try {
    const title = typeof input === 'string' ? path.basename(input) : undefined;
    const earlierStore = await readEarlierStore(opened);
    let earlier: EarlierManifest | undefined;
    let keep: { store: ManifestStore; report: VerifyReport } | undefined;
    if (earlierStore.store && !options.replaceManifest) {
      const report = await verify(input, options.trust ? { trust: options.trust } : {});
      keep = { store: earlierStore.store, report };
      earlier = {
        action: 'kept',
        manifest: earlierStore.store.active!.label,
        validation_state: report.validation_state,
        message: `kept the earlier manifest ${earlierStore.store.active!.label} (${report.validation_state ?? 'unverified'}) as a parentOf ingredient; pass --replace-manifest (replaceManifest: true) to drop it`,
      };
    } else if (earlierStore.store) {
      earlier = {
        action: 'replaced',
        manifest: earlierStore.store.active!.label,
        message: `dropped the earlier manifest ${earlierStore.store.active!.label} (--replace-manifest)`,
      };
    } else if (earlierStore.problem) {
      earlier = { action: 'unusable', message: `dropped an earlier manifest store that cannot be kept: ${earlierStore.problem}` };
    }
    const format = opened.variant.mime;
    if (options.explicitLabel !== false && !explicit) {
      // Loaded on demand: image, audio and video rendering (sharp, ffmpeg, glyphs) is heavy,
      // and services that show the label in their interface never need it.
      const { applyExplicitLabel } = await (explicitModule ??= import('./explicit.ts'));
      // An image is labelled from the bytes already read (one read of the input, and the label
      // drawn on exactly the bytes that were parsed); other media go to ffmpeg by path.
      const labelInput = opened.handler.mediaKind === 'image' && opened.src instanceof BufferSource ? await readAll(opened.src) : input;
      opened.retainBytes?.();
      const r = await applyExplicitLabel(labelInput, opened.handler, options.explicitLabel ?? {});
      cleanup = r.cleanup;
      explicit = r.info;
      await opened.close();
      opened = await openInput(r.input);
    }
    let watermark: AppliedWatermark | undefined;
    if (options.watermark) {
      const { applyWatermark } = await (watermarkModule ??= import('./watermark.ts'));
      opened.retainBytes?.();
      const r = await applyWatermark(await readAll(opened.src), opened.handler, options.watermark === true ? {} : options.watermark);
      watermark = r.info;
      await opened.close();
      opened = await openInput(r.bytes);
    }
    const created: ActionInput = {
      action: 'c2pa.created',
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      when: options.when ?? new Date(),
      softwareAgent: { name: options.model ?? CLAIM_GENERATOR.name, ...(options.model ? {} : { version: CLAIM_GENERATOR.version }) },
    };
    const actions: ActionInput[] = keep
      ? [{ ...created, action: 'c2pa.edited', description: 'AI generation/synthesis on the earlier asset' }]
      : [created];
    if (explicit) {
      actions.push({
        action: 'c2pa.edited',
        when: options.when ?? new Date(),
        description: `GB 45438 explicit label (${explicit.kind}) added`,
        softwareAgent: { name: CLAIM_GENERATOR.name, version: CLAIM_GENERATOR.version },
      });
    }
    if (watermark) {
      actions.push({
        action: WATERMARKED_ACTION,
        when: options.when ?? new Date(),
        description: `invisible watermark ${watermark.alg} carrying identifier ${watermark.id}`,
        softwareAgent: { name: CLAIM_GENERATOR.name, version: CLAIM_GENERATOR.version },
      });
    }
    const write = (req: EmbedRequest) => {
      if (options.fragments) return writeFragmented(req, options.output!, options.fragments);
      return options.sidecar ? embedSidecar(req, options.output, options.sidecar) : embedAndWrite(req, options.output);
    };
    const result = await write({
      src: opened.src,
      handler: opened.handler,
      format: opened.variant.mime,
      signer: options.signer,
      assertions: [
        ...(keep
          ? editAssertions(keep.store, keep.report, format, title, actions)
          : [{ label: ACTIONS_LABEL, data: buildActions(actions) }]),
        {
          label: GB45438_ASSERTION_LABEL,
          data: buildGb45438Assertion(label, explicit, watermark && { alg: watermark.alg, id: watermark.id }),
        },
        ...(watermark ? [{ label: SOFT_BINDING_LABEL, data: buildSoftBinding(watermark.medium, watermark.id, watermark.durationMs) }] : []),
      ],
      labels: { gb45438: label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA },
      ...(keep ? { ingredientStores: [keep.store] } : {}),
      ...(title ? { title } : {}),
      ...aids,
    });
    const { bytes } = result;
    const recorded = options.record ? await recordStamped(options.record, options.output ?? bytes!, options.sidecar) : undefined;
    return {
      warnings,
      ...(recorded ? { recorded } : {}),
      ...(bytes ? { bytes } : {}),
      ...(options.output ? { path: options.output } : {}),
      format: opened.variant.mime,
      manifestLabel: result.manifestLabel,
      label,
      ...(explicit ? { explicit } : {}),
      ...(watermark ? { watermark } : {}),
      ...(earlier ? { earlier } : {}),
      ...(options.sidecar ? { sidecar: options.sidecar } : {}),
    };
  } finally {
    await opened.close();
    await cleanup();
  }
}

/** Record an output (the repository module is loaded only when asked for). */
export async function recordStamped(repo: ManifestRepository, output: string | Uint8Array, sidecar?: string): Promise<RecordedOutput> {
  const { recordOutput } = await import('../repository/add-file.ts');
  return recordOutput(repo, output, sidecar);
}

/**
 * @throws {InvalidArgumentError} without `output`, with an explicit label, a sidecar or a watermark.
 * @throws {RefusedError} for an existing segment output without `force`, or one that is its input.
 */
async function guardFragments(options: StampOptions): Promise<void> {
  if (!options.output)
    throw InvalidArgumentError.expected('an output path for the init segment', 'stamp() option output (with fragments)', undefined);
  if (options.explicitLabel !== false)
    throw new InvalidArgumentError(
      said(
        'err.stamp.fragmentsExplicit',
        'fragments are stamped without an explicit label (explicitLabel: false, --no-explicit): segments cannot be re-encoded one by one',
      ),
    );
  if (options.sidecar || options.watermark)
    throw new InvalidArgumentError(said('err.stamp.fragmentsSidecar', 'fragments cannot be combined with a sidecar or a watermark'));
  const { inputs, outputs } = options.fragments!;
  for (const [i, out] of outputs.entries()) {
    if (path.resolve(out) === path.resolve(inputs[i]!) && !options.inPlace)
      throw new InvalidArgumentError(
        said('err.stamp.fragmentInPlace', 'fragment output {path} is its input; pass inPlace (--in-place) to allow it', { path: out }),
      );
    if (path.resolve(out) !== path.resolve(inputs[i]!)) await guardOutput(out, options.force, inputs[i]!);
  }
}

async function writeFragmented(req: EmbedRequest, output: string, fragments: NonNullable<StampOptions['fragments']>) {
  const segments = await Promise.all(fragments.inputs.map((f) => FileSource.open(f)));
  try {
    const { src, handler: _handler, ...rest } = req;
    const r = await embedFragmented({ ...rest, init: src, segments }, output, fragments.outputs);
    return { manifestLabel: r.manifestLabel, store: r.store, bytes: undefined };
  } finally {
    await Promise.all(segments.map((s) => s.close()));
  }
}

async function readAll(src: { size: number; read(offset: number, length: number): Promise<Uint8Array> }): Promise<Uint8Array> {
  return src.read(0, src.size);
}

/**
 * Refuse to overwrite the input unless asked: the paths are compared with links resolved.
 * `input` may be any input kind (only a path can be overwritten). `outputExists: false`
 * (from `guardOutput`, which just looked) skips the lookup of a path that is not there: then
 * only the same path, spelt the same way once resolved, is the input.
 * @throws {InvalidArgumentError} when `output` is the input file and `inPlace` is not set.
 */
export async function guardInPlace(input: unknown, output: string | undefined, inPlace?: boolean, outputExists?: boolean): Promise<void> {
  if (typeof input !== 'string' || !output || inPlace) return;
  const same = outputExists === false ? path.resolve(input) === path.resolve(output) : await samePath(input, output);
  if (same) {
    throw new InvalidArgumentError(
      said('err.stamp.inputInPlace', 'refusing to overwrite the input {path}; pass --in-place (inPlace: true) to modify it', {
        path: input,
      }),
    );
  }
}
