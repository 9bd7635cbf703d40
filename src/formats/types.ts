/**
 * The format-handler seam. Every container format is one small stateless handler
 * implementing {@link FormatHandler}; see `formats/README.md` for the contracts.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { Part } from '../binary/parts.ts';
import type { ImplicitLabels, LabelKind } from '../labels/implicit/types.ts';

/** Identifier of a handled container. */
export type FormatId = 'jpeg' | 'png' | 'webp' | 'wav' | 'flac' | 'mp3' | 'mp4' | 'heif' | 'mkv' | 'flv' | 'ogg' | 'gif' | 'avi';

/**
 * What a container holds: it decides the explicit label (image overlay, video overlay,
 * audio cue) and how `propagate --transcode` re-encodes.
 */
export type MediaKind = 'image' | 'audio' | 'video';

/** How a container binds a manifest to its content; `none`: C2PA defines no embedding. */
export type HardBinding = 'data' | 'bmff' | 'none';

/** A byte range in the *output* file. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * What a handler returns for an embed: the output as parts with a correctly-sized
 * placeholder for the manifest store, the ranges to leave out of `c2pa.hash.data`,
 * and `fill()` which yields the final parts once the real store bytes exist.
 */
export interface EmbedPlan {
  /** Output parts with the placeholder (zeros) already at its final size. */
  readonly parts: Part[];
  /** Ranges of the output excluded from the data hash: sorted, non-overlapping, inside the output. */
  readonly exclusions: ByteRange[];
  /**
   * Replace the placeholder with `store`. `store.length` must equal the reserved
   * manifest length.
   * @throws {InvalidArgumentError} when the length differs.
   */
  fill(store: Uint8Array): Part[];
}

/** A plan without a manifest slot (label-only or removal). */
export interface RewritePlan {
  readonly parts: Part[];
}

/** Where a handler found something, for reports. */
export interface FoundLabel {
  /** What the carrier holds. */
  readonly kind: LabelKind;
  /** Carrier description, e.g. `XMP (APP1)`, `PNG tEXt AIGC`, `ID3 TXXX:AIGC`. */
  readonly foundIn: string;
  /** The raw metadata value (JSON string or XMP text fragment). */
  readonly raw: string;
  /**
   * Why the carrier could not be read (e.g. a limit such as MAX_XML_DEPTH), when it was
   * found but not parsed; `raw` is then an excerpt. Reported as the malformed label's cause.
   */
  readonly error?: string;
}

/** One stateless container handler. */
export interface FormatHandler {
  readonly id: FormatId;
  /** Name in messages, e.g. `JPEG`, `MP4/MOV/M4A`. */
  readonly name: string;
  /**
   * The media the container holds. `video` containers may hold audio only (an M4A): users
   * that need to know probe the streams.
   */
  readonly mediaKind: MediaKind;
  /**
   * Whether `propagate --transcode` may re-encode it as a platform would (images, lossy
   * audio and video); lossless audio is refused.
   */
  readonly reencodable: boolean;
  readonly mimeTypes: readonly string[];
  readonly extensions: readonly string[];
  /**
   * The hard binding this container uses: `data` (`c2pa.hash.data` with byte-range
   * exclusions), `bmff` (`c2pa.hash.bmff.v3` with box-path exclusions), or `none` where
   * C2PA defines no embedding for the container (Matroska/WebM, FLV, Ogg): such a handler
   * carries the GB 45438 label only, `readManifest` finds nothing, and `planEmbed` with a
   * non-zero manifest length throws `UnsupportedFormatError`.
   */
  readonly hardBinding: HardBinding;
  /** Whether `head` (the first ≤ 64 bytes) looks like this format. Never throws. */
  sniff(head: Uint8Array): boolean;
  /**
   * The MIME type and usual extension of this particular file, from its first ≤ 64 bytes,
   * where one container has several (an M4A or a MOV is ISO-BMFF too). Without it, or for
   * a head it cannot tell, `mimeTypes[0]` and `extensions[0]`. Never throws.
   */
  variantOf?(head: Uint8Array): { mime: string; extension: string };
  /**
   * The embedded manifest store (raw JUMBF) or undefined.
   * @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError}
   */
  readManifest(src: ByteSource): Promise<Uint8Array | undefined>;
  /**
   * Plan an output that carries `labels` (replacing any existing implicit label, or
   * leaving it unchanged when `labels` is undefined) and a manifest slot of
   * exactly `manifestLength` bytes (replacing any existing store).
   * @throws {MalformedInputError} {@link LimitExceededError}
   * @throws {UnsupportedFormatError} for `manifestLength > 0` when `hardBinding` is `none`.
   */
  planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan>;
  /** Plan an output with the manifest store removed (labels kept). */
  planRemove(src: ByteSource): Promise<RewritePlan>;
  /** Every implicit-label carrier found (may be several, possibly disagreeing). */
  readLabels(src: ByteSource): Promise<FoundLabel[]>;
}
