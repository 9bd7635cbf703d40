/**
 * The one-pass embed shared by stamp and propagate: reserve the manifest slot in the
 * container, write the planned output while hashing it around the slot, sign, fill the
 * slot in place, and rename (see `binding/hashing-writer.ts`).
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { partsLength, type Part } from '../binary/parts.ts';
import { bmffHashSteps, defaultBmffExclusions } from '../binding/bmff-hash.ts';
import type { EmbedPlan, FormatHandler } from '../formats/types.ts';
import type { HashStep } from '../binding/hash-steps.ts';
import { stepsExcluding } from '../binding/data-hash.ts';
import { hashAndFillInMemory, writeHashedAtomic } from '../binding/hashing-writer.ts';
import { PartsSource } from '../binary/parts-source.ts';
import { partsToBytes } from '../binary/parts.ts';
import { writePartsAtomic } from '../binary/atomic-write.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { prepareManifest, type BuilderAssertion } from '../manifest/index.ts';
import type { ManifestStore } from '../manifest/index.ts';
import type { Signer } from '../crypto/signer.ts';
import type { MerkleMap } from '../manifest/index.ts';

/** Name and version written as `claim_generator_info`. */
export const CLAIM_GENERATOR = { name: 'aigc-provenance', version: '0.1.0' } as const;

/** What {@link embedAndWrite} needs. */
export interface EmbedRequest {
  src: ByteSource;
  handler: FormatHandler;
  signer: Signer;
  assertions: BuilderAssertion[];
  labels?: ImplicitLabels;
  /** The asset's MIME type, kept on the draft (v2 claims do not carry it); default the handler's first. */
  format?: string;
  ingredientStores?: (ManifestStore | Uint8Array)[];
  title?: string;
  /** RFC 3161 time-stamper for the signature (see `signing-aids.ts`). */
  timestamp?: (data: Uint8Array) => Promise<Uint8Array | undefined>;
  /** Time-stamp header version (default 2, `sigTst2`). */
  timestampVersion?: 1 | 2;
  /** OCSP responses to staple (see `signing-aids.ts`). */
  ocspVals?: readonly Uint8Array[];
  /** BMFF only: sign the Merkle form for an init segment (see `stamp-fragments.ts`). */
  bmffMerkle?: readonly MerkleMap[];
  /**
   * Awaited once the output is written and hashed, before it is signed and committed: a throw
   * discards the output (the temporary file is removed, nothing is renamed).
   */
  beforeCommit?: () => Promise<void>;
}

/** A drafted manifest and the container's plan for it, before hashing. */
interface Prepared {
  plan: EmbedPlan;
  manifestLabel: string;
  /** The hard binding's hash steps over the planned output. */
  steps: HashStep[];
  /** Sign with the planned output's digest; the store that fills the slot. */
  finalize(digest: Uint8Array): Promise<Uint8Array>;
}

async function prepare(req: EmbedRequest & { handler: FormatHandler & { hardBinding: 'data' | 'bmff' } }): Promise<Prepared> {
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
    format: req.format ?? handler.mimeTypes[0],
    ...(req.timestamp ? { timestamp: req.timestamp } : {}),
    ...(req.timestampVersion ? { timestampVersion: req.timestampVersion } : {}),
    ...(req.ocspVals ? { ocspVals: req.ocspVals } : {}),
    ...(req.bmffMerkle && bmffExclusions ? { bmffMerkle: req.bmffMerkle } : {}),
  });
  const plan = await handler.planEmbed(src, draft.storeLength, req.labels);
  if (bmffExclusions) {
    const steps = await bmffHashSteps(new PartsSource(src, plan.parts), bmffExclusions);
    return { plan, manifestLabel: draft.manifestLabel, steps, finalize: (hash) => draft.finalize({ hash }) };
  }
  const exclusions = plan.exclusions.map((e) => ({ start: e.offset, length: e.length }));
  const steps = stepsExcluding(partsLength(plan.parts), exclusions);
  return { plan, manifestLabel: draft.manifestLabel, steps, finalize: (hash) => draft.finalize({ exclusions, hash }) };
}

/** What {@link embedAndWrite} returns. */
export interface EmbedOutput {
  /** The output bytes, when no path was given. */
  bytes?: Uint8Array;
  /** The manifest's label; `null` for a container where C2PA defines no embedding (`hardBinding: 'none'`). */
  manifestLabel: string | null;
  /** The manifest store written; `null` as for `manifestLabel`. */
  store: Uint8Array | null;
}

/**
 * The one-pass embed: plan, then write the output (atomically to `output`, or to memory)
 * while hashing it, sign, and fill the manifest slot in place. The input is read once.
 * @throws {ToolkitError} from the handler, the builder, the signer or the writer.
 */
export async function embedAndWrite(req: EmbedRequest, output?: string): Promise<EmbedOutput> {
  if (!isBinding(req.handler)) return writeLabelOnly(req, output);
  const prep = await prepare({ ...req, handler: req.handler });
  let store: Uint8Array | undefined;
  const finish = async (digest: Uint8Array): Promise<Part[]> => {
    await req.beforeCommit?.();
    store = await prep.finalize(digest);
    return prep.plan.fill(store);
  };
  let bytes: Uint8Array | undefined;
  if (output) await writeHashedAtomic(output, req.src, prep.plan.parts, prep.steps, 'sha256', finish);
  else bytes = await hashAndFillInMemory(req.src, prep.plan.parts, prep.steps, 'sha256', finish);
  return { ...(bytes ? { bytes } : {}), manifestLabel: prep.manifestLabel, store: store! };
}

function isBinding(h: FormatHandler): h is FormatHandler & { hardBinding: 'data' | 'bmff' } {
  return h.hardBinding !== 'none';
}

/**
 * A container where C2PA defines no embedding (MKV/WebM, FLV, Ogg): the metadata label is
 * written (it carries its own TC260 security data) and no manifest is made or signed.
 */
async function writeLabelOnly(req: EmbedRequest, output?: string): Promise<EmbedOutput> {
  await req.beforeCommit?.();
  const plan = await req.handler.planEmbed(req.src, 0, req.labels);
  if (output) {
    await writePartsAtomic(output, req.src, plan.parts);
    return { manifestLabel: null, store: null };
  }
  return { bytes: await partsToBytes(req.src, plan.parts), manifestLabel: null, store: null };
}
