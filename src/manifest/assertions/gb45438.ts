/**
 * Our custom CBOR assertion carrying the seven GB 45438-2025 implicit-label fields
 * (Annex E) in the standard's order, plus optional descriptions of the explicit label and of
 * the invisible watermark (its identifier sits beside ProduceID).
 * It sits in `created_assertions`, signed by the producer or platform (profile §2.5).
 */
import { InvalidArgumentError, MalformedInputError, said } from '../../errors.ts';
import { GB45438_FIELDS, type Gb45438Label } from '../../labels/implicit/types.ts';
import { isCborMap } from '../cbor.ts';

/** Reverse-DNS label of the assertion. */
export const GB45438_ASSERTION_LABEL = 'cn.aigc-provenance.gb45438';

/** How the explicit (visible/audible) label was applied. */
export interface ExplicitLabelInfo {
  /** e.g. `text-overlay`, `audio-prompt`, `video-overlay`. */
  readonly kind: string;
  readonly text?: string;
  /** e.g. `bottom-right`. */
  readonly position?: string;
  /** Text height relative to the shorter image side (e.g. 0.05). */
  readonly relativeHeight?: number;
  readonly durationMs?: number;
}

/** The invisible watermark carrying the label in the content (issue #17): its algorithm and 64-bit identifier. */
export interface WatermarkInfo {
  /** Soft-binding algorithm name, as in the `c2pa.soft-binding` assertion. */
  readonly alg: string;
  /** Identifier, 16 hex digits. */
  readonly id: string;
}

/** The decoded assertion. */
export interface Gb45438Assertion {
  readonly label: Gb45438Label;
  readonly explicit?: ExplicitLabelInfo;
  readonly watermark?: WatermarkInfo;
}

/**
 * Build the assertion data: the seven fields (strings, in order) then `explicit`.
 * @throws {InvalidArgumentError} when a field is not a string or `explicit.kind` is missing.
 */
export function buildGb45438Assertion(
  label: Gb45438Label,
  explicit?: ExplicitLabelInfo,
  watermark?: WatermarkInfo,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of GB45438_FIELDS) {
    const v = label[f] ?? '';
    if (typeof v !== 'string') throw InvalidArgumentError.expected('a string', `gb45438.${f}`, v);
    out[f] = v;
  }
  if (explicit) {
    if (typeof explicit.kind !== 'string' || !explicit.kind)
      throw InvalidArgumentError.expected('a kind', 'gb45438.explicit.kind', explicit.kind);
    out.explicit = {
      kind: explicit.kind,
      text: explicit.text,
      position: explicit.position,
      relativeHeight: explicit.relativeHeight,
      durationMs: explicit.durationMs,
    };
  }
  if (watermark) {
    if (typeof watermark.alg !== 'string' || !/^[0-9a-f]{16}$/.test(watermark.id))
      throw InvalidArgumentError.expected('an alg and a 16-hex-digit id', 'gb45438.watermark', watermark);
    out.watermark = { alg: watermark.alg, id: watermark.id };
  }
  return out;
}

/**
 * Read the assertion.
 * @throws {MalformedInputError} when it is not a map or a field is not a string.
 */
export function readGb45438Assertion(data: unknown): Gb45438Assertion {
  if (!isCborMap(data)) throw new MalformedInputError(GB45438_ASSERTION_LABEL, said('err.c2pa.notMap', 'not a map'));
  const label = {} as Record<(typeof GB45438_FIELDS)[number], string>;
  for (const f of GB45438_FIELDS) {
    const v = data[f] ?? '';
    if (typeof v !== 'string')
      throw new MalformedInputError(GB45438_ASSERTION_LABEL, said('err.c2pa.notString', '{f} is not a string', { f }));
    label[f] = v;
  }
  const e = data.explicit;
  let explicit: ExplicitLabelInfo | undefined;
  if (isCborMap(e) && typeof e.kind === 'string') {
    explicit = {
      kind: e.kind,
      text: typeof e.text === 'string' ? e.text : undefined,
      position: typeof e.position === 'string' ? e.position : undefined,
      relativeHeight: typeof e.relativeHeight === 'number' ? e.relativeHeight : undefined,
      durationMs: typeof e.durationMs === 'number' ? e.durationMs : undefined,
    };
  }
  const w = data.watermark;
  const watermark = isCborMap(w) && typeof w.alg === 'string' && typeof w.id === 'string' ? { alg: w.alg, id: w.id } : undefined;
  return { label, explicit, ...(watermark ? { watermark } : {}) };
}
