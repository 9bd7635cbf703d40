/**
 * XMP packet helpers shared by the container handlers: decoding packet bytes, merging
 * labels into a packet, and deciding whether a metadata value is an implicit-label carrier.
 */
import { LimitExceededError, ToolkitError, said } from '../../errors.ts';
import { MAX_METADATA_BYTES } from '../../binary/limits.ts';
import { parseGb45438 } from '../../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../../labels/implicit/types.ts';
import { readXmpLabels, removeXmpLabels, TC260_NS, writeXmpLabels } from '../../labels/implicit/xmp.ts';
import type { FoundLabel } from '../types.ts';
import { IPTC_CARRIER_PREFIX } from '../../labels/implicit/types.ts';

/**
 * Decode XMP packet bytes (UTF-8, or UTF-16 with a BOM) to a string.
 * @throws {LimitExceededError} above MAX_METADATA_BYTES.
 */
export function decodeXmp(bytes: Uint8Array): string {
  checkMetadataSize(bytes.length, 'XMP packet');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** UTF-8 bytes of an XMP packet. */
export function encodeXmp(xmp: string): Uint8Array {
  return new TextEncoder().encode(xmp);
}

/**
 * Check a metadata length before reading or allocating it.
 * @throws {LimitExceededError} when `length` > MAX_METADATA_BYTES.
 */
export function checkMetadataSize(length: number, what: string): void {
  if (length > MAX_METADATA_BYTES) {
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.fmt.bytesLarger', '{what} of {v2} bytes is larger than {MAX_METADATA_BYTES}', { what, v2: length, MAX_METADATA_BYTES }),
    );
  }
}

/** Whether `labels` asks for anything to be written. */
export function hasLabelContent(labels: ImplicitLabels | undefined): labels is ImplicitLabels {
  return !!labels && (labels.gb45438 !== undefined || labels.digitalSourceType !== undefined);
}

/**
 * Merge `labels` into an existing packet (or a new one).
 * @throws {MalformedInputError} when the existing packet cannot be edited safely.
 */
export function mergeXmp(existing: string | undefined, labels: ImplicitLabels): string {
  return writeXmpLabels(existing, labels);
}

/**
 * Strip the properties `labels` would write from a secondary packet (duplicate XMP).
 * @throws {MalformedInputError} {@link LimitExceededError} when the packet cannot be scanned.
 */
export function stripXmp(xmp: string, labels: ImplicitLabels): string {
  return removeXmpLabels(xmp, { gb45438: labels.gb45438 !== undefined, digitalSourceType: labels.digitalSourceType !== undefined });
}

/** Longest excerpt of an unreadable packet reported as a carrier's raw value. */
const MALFORMED_EXCERPT = 4096;

/**
 * The {@link FoundLabel}s of one XMP packet: the `TC260:AIGC` JSON (kind `gb45438`) under
 * `foundIn`, and the IPTC digital source type (kind `iptc-source-type`) under
 * `IPTC DigitalSourceType (<foundIn>)`. A packet that cannot
 * be scanned is still reported (raw = an excerpt) when it mentions the TC260 namespace or
 * `AIGC`, so the verifier lists the label as malformed instead of missing it.
 */
export function xmpCarriers(foundIn: string, xmp: string): FoundLabel[] {
  try {
    const x = readXmpLabels(xmp);
    const out: FoundLabel[] = [];
    if (x.gb45438Raw !== undefined) out.push({ kind: 'gb45438', foundIn, raw: x.gb45438Raw });
    if (x.digitalSourceType !== undefined)
      out.push({ kind: 'iptc-source-type', foundIn: `${IPTC_CARRIER_PREFIX} (${foundIn})`, raw: x.digitalSourceType });
    return out;
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    // Keep the real cause (a depth or size limit, broken markup), not a later "not JSON".
    const error = `XMP packet could not be read: ${err.message}`;
    return xmp.includes(TC260_NS) || xmp.includes('AIGC')
      ? [{ kind: 'gb45438', foundIn, raw: xmp.slice(0, MALFORMED_EXCERPT), error }]
      : [];
  }
}

/**
 * Whether a text metadata value (EXIF UserComment, a PNG text chunk keyed `AIGC`) holds
 * an implicit label: valid GB 45438 JSON, or anything that names the `AIGC` key.
 */
export function isLabelText(text: string): boolean {
  try {
    parseGb45438(text);
    return true;
  } catch {
    return /"AIGC"|"ContentProducer"|"ProduceID"/.test(text);
  }
}
