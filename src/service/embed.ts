/**
 * The one-pass embed shared by stamp and propagate: reserve the manifest slot in the
 * container, hash the planned output around it, sign, fill, and write atomically.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { partsToBytes, type Part } from '../binary/parts.ts';
import { writePartsAtomic } from '../binary/atomic-write.ts';
import { hashPartsExcluding } from '../crypto/digest.ts';
import { bmffHashOfParts, defaultBmffExclusions } from '../formats/shared/bmff-hash.ts';
import type { FormatHandler } from '../formats/types.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { prepareManifest, type BuilderAssertion } from '../manifest/index.ts';
import type { ManifestStore } from '../manifest/index.ts';
import type { Signer } from '../crypto/signer.ts';

/** Name and version written as `claim_generator_info`. */
export const CLAIM_GENERATOR = { name: 'aigc-provenance', version: '0.1.0' } as const;

/** What {@link embedManifest} needs. */
export interface EmbedRequest {
  src: ByteSource;
  handler: FormatHandler;
  signer: Signer;
  assertions: BuilderAssertion[];
  labels?: ImplicitLabels;
  ingredientStores?: (ManifestStore | Uint8Array)[];
  title?: string;
}

/** The planned output. */
export interface EmbedResult {
  parts: Part[];
  manifestLabel: string;
  store: Uint8Array;
}

/**
 * Plan, hash, sign and fill. Large inputs stay on disk: the output is a list of parts.
 * @throws {ToolkitError} from the handler, the builder or the signer.
 */
export async function embedManifest(req: EmbedRequest): Promise<EmbedResult> {
  const { src, handler } = req;
  // One exclusion list for the assertion and the hash, as c2pa-rs writes it (/uuid, /ftyp, /mfra, /free, /skip).
  const bmffExclusions = handler.hardBinding === 'bmff' ? defaultBmffExclusions() : undefined;
  const draft = prepareManifest({
    ...(bmffExclusions ? { bmffExclusions } : {}),
    signer: req.signer,
    claimGenerator: CLAIM_GENERATOR,
    assertions: req.assertions,
    hardBinding: handler.hardBinding,
    ...(req.ingredientStores ? { ingredientStores: req.ingredientStores } : {}),
    ...(req.title ? { title: req.title } : {}),
    format: handler.mimeTypes[0],
  });
  const plan = await handler.planEmbed(src, draft.storeLength, req.labels);
  let store: Uint8Array;
  if (handler.hardBinding === 'bmff') {
    const hash = await bmffHashOfParts(src, plan.parts, bmffExclusions);
    store = await draft.finalize({ hash });
  } else {
    const exclusions = plan.exclusions.map((e) => ({ start: e.offset, length: e.length }));
    const hash = await hashPartsExcluding(src, plan.parts, exclusions);
    store = await draft.finalize({ exclusions, hash });
  }
  return { parts: plan.fill(store), manifestLabel: draft.manifestLabel, store };
}

/** Materialise the result to bytes or write it atomically to `path`. */
export async function emit(src: ByteSource, parts: Part[], path?: string): Promise<Uint8Array | undefined> {
  if (path) {
    await writePartsAtomic(path, src, parts);
    return undefined;
  }
  return partsToBytes(src, parts);
}
