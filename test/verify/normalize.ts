/**
 * `normalizeReport`: make a verification report comparable across fixture rebuilds by
 * replacing what changes each time — manifest URNs and instance IDs (numbered in order of
 * appearance), certificate serials, trust anchor fingerprints (the test PKI is rebuilt),
 * signing times, hashes, salts and signed label security data — with stable placeholders.
 * Everything else (codes, urls, states, structure) stays.
 */
import type { VerifyReport } from '../../src/verify/report/report.ts';

const URN = /urn:c2pa:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:[^/"\s]*)?/g;
const IID = /xmp:iid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const VOLATILE_KEYS = new Set(['cert_serial_number', 'cert_sha256', 'sha256', 'time', 'hash', 'pad', 'pad2', 'salt']);
const SECURITY_KEYS = new Set(['ReservedCode1', 'ReservedCode2']);

function numberer(prefix: string): (m: string) => string {
  const seen = new Map<string, string>();
  return (m) => {
    if (!seen.has(m)) seen.set(m, `${prefix}${seen.size + 1}`);
    return seen.get(m)!;
  };
}

function walk(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => walk(x));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
    return out;
  }
  if (typeof v === 'string' && key && VOLATILE_KEYS.has(key)) return `<${key}>`;
  if (typeof v === 'string' && key && SECURITY_KEYS.has(key) && v.length > 0) return '<security data>';
  // ISO times of actions and signatures (PKI validity dates are fixed and kept).
  if (typeof v === 'string' && key === 'when') return '<when>';
  return v;
}

/** A normalised deep copy of `report`. */
export function normalizeReport(report: VerifyReport): unknown {
  const urn = numberer('urn:c2pa:#');
  const iid = numberer('xmp:iid:#');
  const text = JSON.stringify(report)
    .replace(URN, urn)
    .replace(IID, iid)
    // explanations quote ReservedCode values and security data
    .replace(/\\"SecurityData\\":\{.*?\}\]\}\}/g, '<security data>');
  return walk(JSON.parse(text));
}
