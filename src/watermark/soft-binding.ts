/**
 * The `c2pa.soft-binding` assertion (C2PA 2.x §18 "Soft binding"): names our watermark
 * algorithm under our own reverse-DNS name and carries the identifier the mark encodes, so
 * a copy stripped of its manifest can find it again (by detecting the mark and looking the
 * identifier up). Shape: `{alg, blocks: [{scope: {…}, value: tstr}], pad: bstr, name?,
 * alg_params?}`; `value` is the identifier as 16 hex digits (c2pa-rs reads it as text).
 */
import { InvalidArgumentError, MalformedInputError, said } from '../errors.ts';
import { isCborMap } from '../manifest/cbor.ts';
import { parseWatermarkId } from './framing.ts';

/** Assertion label. */
export const SOFT_BINDING_LABEL = 'c2pa.soft-binding';
/** Our algorithm names (reverse-DNS, version last), per medium. */
export const WATERMARK_ALGS = {
  image: 'org.aigc-provenance.watermark.image.1',
  audio: 'org.aigc-provenance.watermark.audio.1',
} as const;
/** Action recorded when a mark is embedded. */
export const WATERMARKED_ACTION = 'c2pa.watermarked';

/** The media kinds the watermark serves. */
export type WatermarkMedium = keyof typeof WATERMARK_ALGS;

/** Decoded soft binding. */
export interface SoftBinding {
  alg: string;
  /** Identifiers from the blocks (16 hex digits each). */
  ids: string[];
  /** Time span of an audio block, in ms. */
  timespans: ({ start: number; end: number } | undefined)[];
  name?: string;
  algParams?: string;
}

/**
 * Build the assertion data for identifier `id` in `medium`.
 * @throws {InvalidArgumentError} for a malformed id or medium.
 */
export function buildSoftBinding(medium: WatermarkMedium, id: string, durationMs?: number): Record<string, unknown> {
  const alg = WATERMARK_ALGS[medium];
  if (!alg) throw InvalidArgumentError.expected('"image" or "audio"', 'medium', medium);
  parseWatermarkId(id);
  const scope = medium === 'audio' && durationMs !== undefined ? { timespan: { start: 0, end: Math.max(0, Math.round(durationMs)) } } : {};
  return {
    alg,
    blocks: [{ scope, value: id.toLowerCase() }],
    pad: new Uint8Array(0),
    name: `aigc-provenance ${medium} watermark (64-bit identifier)`,
  };
}

/**
 * Read a soft-binding assertion.
 * @throws {MalformedInputError} when it does not have the shape above.
 */
export function readSoftBinding(data: unknown): SoftBinding {
  if (!isCborMap(data)) throw new MalformedInputError(SOFT_BINDING_LABEL, said('err.wm.notMap', 'not a map'));
  if (typeof data.alg !== 'string') throw new MalformedInputError(SOFT_BINDING_LABEL, said('err.wm.algNotString', 'alg is not a string'));
  if (!Array.isArray(data.blocks))
    throw new MalformedInputError(SOFT_BINDING_LABEL, said('err.wm.blocksNotArray', 'blocks is not an array'));
  const ids: string[] = [];
  const timespans: ({ start: number; end: number } | undefined)[] = [];
  for (const b of data.blocks) {
    if (!isCborMap(b) || typeof b.value !== 'string')
      throw new MalformedInputError(SOFT_BINDING_LABEL, said('err.wm.blockHasNoText', 'a block has no text value'));
    ids.push(b.value);
    const t = isCborMap(b.scope) && isCborMap(b.scope.timespan) ? b.scope.timespan : undefined;
    timespans.push(t && typeof t.start === 'number' && typeof t.end === 'number' ? { start: t.start, end: t.end } : undefined);
  }
  return {
    alg: data.alg,
    ids,
    timespans,
    ...(typeof data.name === 'string' ? { name: data.name } : {}),
    ...(typeof data.alg_params === 'string' ? { algParams: data.alg_params } : {}),
  };
}
