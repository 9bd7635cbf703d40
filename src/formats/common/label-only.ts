/**
 * The plan side of a label-only handler: a container for which C2PA defines no manifest
 * embedding (Matroska/WebM, FLV, Ogg), so it carries the GB 45438 label alone. Such a
 * handler only knows how to rewrite its label carrier; this module turns that into the
 * `FormatHandler` plan methods: a manifest slot is refused, length 0 rewrites the label.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import type { Part } from '../../binary/parts.ts';
import { MAX_MANIFEST_BYTES } from '../../binary/limits.ts';
import { type Said, UnsupportedFormatError, said } from '../../errors.ts';
import type { ImplicitLabels } from '../../labels/implicit/types.ts';
import { checkManifestLength, makeEmbedPlan } from './splice.ts';
import type { EmbedPlan, RewritePlan } from '../types.ts';

/**
 * Rewrite `src` with the GB 45438 label `labels.gb45438` (`undefined`: keep every label as
 * it is; the output is still validated by the handler's parser).
 */
export type LabelRewrite = (src: ByteSource, labels: ImplicitLabels | undefined) => Promise<Part[]>;

/** Plan methods of a label-only handler. */
export interface LabelOnlyPlans {
  planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan>;
  planRemove(src: ByteSource): Promise<RewritePlan>;
}

/** The message of the error a label-only container gives for a manifest slot. */
export function c2paUndefinedMessage(name: string): Said {
  return said(
    'err.fmt.labelOnly',
    'C2PA defines no manifest embedding for {format}: only the GB 45438 label (with its TC260 security data) can be written',
    { format: name },
  );
}

/**
 * Plan methods over `rewrite`. `planEmbed(src, 0, labels)` writes the label; a manifest slot
 * (`manifestLength > 0`) is refused; `planRemove` leaves the file as it is (there is no store).
 * @throws {InvalidArgumentError} (from `planEmbed`) for a malformed manifest length.
 * @throws {UnsupportedFormatError} (from `planEmbed`) for a manifest length above zero.
 */
export function labelOnlyPlans(name: string, rewrite: LabelRewrite): LabelOnlyPlans {
  return {
    async planEmbed(src, manifestLength, labels) {
      checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
      if (manifestLength > 0) throw new UnsupportedFormatError(c2paUndefinedMessage(name));
      return makeEmbedPlan(
        { parts: await rewrite(src, labels?.gb45438 ? labels : undefined), placeholderIndex: -1 },
        0,
        () => new Uint8Array(0),
      );
    },
    async planRemove(src) {
      return { parts: await rewrite(src, undefined) };
    },
  };
}
