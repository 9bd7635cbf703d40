/**
 * What the log records for each stamped or propagated output: hashes and identifiers only, never
 * content. One entry is the UTF-8 of a JSON object with its keys in a fixed order, so the same
 * record always gives the same bytes (and the same leaf hash).
 */
import { InvalidArgumentError, MalformedInputError, said } from '../errors.ts';

/** Version of the entry format. */
export const LOG_ENTRY_VERSION = 1;

/** One recorded output. */
export interface LogRecord {
  /** Soft-binding (watermark) algorithm, when the output carries one. */
  readonly watermarkAlg?: string;
  /** The watermark identifier (hex), when the output carries one. */
  readonly watermarkId?: string;
  /** The active manifest's label (`urn:c2pa:…`). */
  readonly manifestId: string;
  /** SHA-256 (hex) of the manifest store bytes. */
  readonly storeSha256: string;
  /** The asset's hard-binding hash (hex), as the manifest's hash assertion records it. */
  readonly assetHash: string;
  readonly mediaType: string;
  /** ISO 8601 time of recording. */
  readonly time: string;
}

const HEX = /^[0-9a-f]+$/;
const FIELDS = ['watermarkAlg', 'watermarkId', 'manifestId', 'storeSha256', 'assetHash', 'mediaType', 'time'] as const;

/**
 * Encode a record as a log entry.
 * @throws {InvalidArgumentError} when a hash is not lower-case hex or a required field is empty.
 */
export function encodeLogRecord(r: LogRecord): Uint8Array {
  for (const k of ['manifestId', 'storeSha256', 'assetHash', 'mediaType', 'time'] as const) {
    if (typeof r[k] !== 'string' || r[k] === '') throw InvalidArgumentError.expected('a non-empty string', `log record ${k}`, r[k]);
  }
  for (const k of ['storeSha256', 'assetHash', 'watermarkId'] as const) {
    if (r[k] !== undefined && !HEX.test(r[k]!)) throw InvalidArgumentError.expected('lower-case hex', `log record ${k}`, r[k]);
  }
  const ordered: Record<string, unknown> = { v: LOG_ENTRY_VERSION };
  for (const k of FIELDS) if (r[k] !== undefined) ordered[k] = r[k];
  return new TextEncoder().encode(JSON.stringify(ordered));
}

/**
 * Decode a log entry.
 * @throws {MalformedInputError} when it is not a version-1 record.
 */
export function decodeLogRecord(bytes: Uint8Array): LogRecord {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Record<string, unknown>;
  } catch (err) {
    throw new MalformedInputError('log entry', said('err.tlog.notUTFJSON', 'not UTF-8 JSON'), undefined, { cause: err });
  }
  if (v.v !== LOG_ENTRY_VERSION)
    throw new MalformedInputError('log entry', said('err.tlog.unknownEntryVersion', 'unknown entry version {v1}', { v1: String(v.v) }));
  const out: Record<string, string> = {};
  for (const k of FIELDS) if (typeof v[k] === 'string') out[k] = v[k] as string;
  return out as unknown as LogRecord;
}
