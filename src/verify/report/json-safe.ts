/**
 * Decoded CBOR made JSON-safe for reports, the way c2pa-rs prints assertion data: byte
 * strings as base64, tagged values (CBOR date `when`) as their content, maps as objects.
 */
import { MAX_CBOR_DEPTH } from '../../binary/limits.ts';
import { Tag } from '../../manifest/index.ts';

/** Convert a decoded CBOR value into plain JSON data. */
export function jsonSafe(value: unknown, depth = 0): unknown {
  if (depth > MAX_CBOR_DEPTH) return '[too deep]';
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Tag) return jsonSafe(value.value, depth + 1);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1) ?? null);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = jsonSafe(v, depth + 1);
    return out;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const j = jsonSafe(v, depth + 1);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return String(value);
}

/** c2pa-rs's time format: `2026-01-02T03:04:05+00:00`. */
export function c2paTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
