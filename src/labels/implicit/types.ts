/**
 * Implicit-label data model (GB 45438-2025 §6.1, Annex E; IPTC digital source type).
 */

/** The seven Annex E fields, in the standard's order. */
export const GB45438_FIELDS = [
  'Label', 'ContentProducer', 'ProduceID', 'ReservedCode1', 'ContentPropagator', 'PropagateID', 'ReservedCode2',
] as const;

/** One Annex E field name. */
export type Gb45438Field = (typeof GB45438_FIELDS)[number];

/** The GB 45438 implicit label: all values are strings; optional ones may be empty. */
export type Gb45438Label = { [K in Gb45438Field]: string };

/** IPTC digital source type URI for AI output. */
export const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

/** What the toolkit writes into a file's metadata. */
export interface ImplicitLabels {
  /** The GB 45438 label. */
  readonly gb45438?: Gb45438Label;
  /** IPTC `Iptc4xmpExt:DigitalSourceType` URI (written where the container has XMP). */
  readonly digitalSourceType?: string;
}
