/**
 * Implicit-label data model (GB 45438-2025 §6.1, Annex E; IPTC digital source type).
 */

/** The seven Annex E fields, in the standard's order. */
export const GB45438_FIELDS = [
  'Label',
  'ContentProducer',
  'ProduceID',
  'ReservedCode1',
  'ContentPropagator',
  'PropagateID',
  'ReservedCode2',
] as const;

/** One Annex E field name. */
export type Gb45438Field = (typeof GB45438_FIELDS)[number];

/** The GB 45438 implicit label: all values are strings; optional ones may be empty. */
export type Gb45438Label = { [K in Gb45438Field]: string };

/** The IPTC digital source type vocabulary: every source type URI starts with this. */
export const IPTC_DIGITAL_SOURCE_TYPE = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

/** IPTC digital source type URI for AI output (the one constant for it). */
export const TRAINED_ALGORITHMIC_MEDIA = `${IPTC_DIGITAL_SOURCE_TYPE}trainedAlgorithmicMedia`;

/** IPTC digital source types that mean the content was made by AI. */
export const AI_SOURCE_TYPES: ReadonlySet<string> = new Set(
  ['trainedAlgorithmicMedia', 'compositeWithTrainedAlgorithmicMedia', 'algorithmicMedia', 'compositeSynthetic'].map(
    (t) => IPTC_DIGITAL_SOURCE_TYPE + t,
  ),
);

/** Whether a digital source type URI names AI output (`https:` spellings accepted). */
export function isAiSourceType(uri: string): boolean {
  return AI_SOURCE_TYPES.has(uri.replace(/^https:/, 'http:'));
}

/** What a metadata carrier in a file holds. */
export type LabelKind =
  /** A GB 45438 implicit label (JSON, or the XMP `AIGC` property). */
  | 'gb45438'
  /** An IPTC `Iptc4xmpExt:DigitalSourceType` URI. */
  | 'iptc-source-type';

/** Prefix of the `foundIn` description of an IPTC digital source type carrier. */
export const IPTC_CARRIER_PREFIX = 'IPTC DigitalSourceType';

/** What the toolkit writes into a file's metadata. */
export interface ImplicitLabels {
  /** The GB 45438 label. */
  readonly gb45438?: Gb45438Label;
  /** IPTC `Iptc4xmpExt:DigitalSourceType` URI (written where the container has XMP). */
  readonly digitalSourceType?: string;
}
