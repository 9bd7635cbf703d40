/**
 * `aigc inspect FILE --detailed`: besides the tree (or in `--json`, as `detailed`), each
 * manifest's raw claim (CBOR decoded as is) and its COSE_Sign1 headers: alg, the x5chain
 * certificates (subject, SHA-256 fingerprint), time-stamp tokens, stapled OCSP responses
 * (decoded), padding, as c2patool's `--detailed` shows them.
 */
import { X509Certificate } from 'node:crypto';
import { decodeCbor } from '../../src/manifest/cbor.ts';
import { parseCoseSign1 } from '../../src/manifest/cose/verify.ts';
import { jsonSafe } from '../../src/verify/report/json-safe.ts';
import { extractStore } from '../../src/service/extract.ts';
import { describeOcspResponse } from '../../src/ocsp/describe.ts';
import { t, type Lang } from '../../src/i18n/lang.ts';

const HEADER_NAMES: Readonly<Record<string, string>> = { 1: 'alg', 3: 'content type', 4: 'kid', 33: 'x5chain' };

function certSummary(der: Uint8Array): unknown {
  try {
    const c = new X509Certificate(der);
    return {
      subject: c.subject.split('\n').join(', '),
      issuer: c.issuer.split('\n').join(', '),
      serial: c.serialNumber,
      sha256: c.fingerprint256.replace(/:/g, '').toLowerCase(),
    };
  } catch {
    return `<${der.length} bytes, not a certificate>`;
  }
}

function header(map: Map<unknown, unknown>, chainDer: readonly Uint8Array[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of map) {
    const name = HEADER_NAMES[String(k)] ?? String(k);
    if (name === 'x5chain') out[name] = (Array.isArray(v) ? v : [v]).map((d) => (d instanceof Uint8Array ? certSummary(d) : jsonSafe(d)));
    else if (name === 'rVals' && v instanceof Map) out[name] = revocationValues(v, chainDer);
    else if (name === 'pad' || name === 'pad2') out[name] = v instanceof Uint8Array ? `<${v.length} padding bytes>` : jsonSafe(v);
    else out[name] = bytesAsSizes(v);
  }
  return out;
}

/** `rVals` with its OCSP responses decoded (responder, status, thisUpdate/nextUpdate, revocation), the rest as sizes. */
function revocationValues(v: Map<unknown, unknown>, chainDer: readonly Uint8Array[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of v) {
    out[String(k)] =
      k === 'ocspVals' && Array.isArray(x)
        ? x.map((d) => (d instanceof Uint8Array ? { size: d.length, ...describeOcspResponse(d, chainDer) } : bytesAsSizes(d)))
        : bytesAsSizes(x);
  }
  return out;
}

/** Byte strings inside headers (time-stamp tokens, rVals) as their sizes; the rest JSON-safe. */
function bytesAsSizes(v: unknown, depth = 0): unknown {
  if (depth > 16) return '[too deep]';
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (Array.isArray(v)) return v.map((x) => bytesAsSizes(x, depth + 1));
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), bytesAsSizes(x, depth + 1)]));
  return jsonSafe(v);
}

/**
 * The raw claims and COSE headers of FILE's manifests, by manifest label (store order).
 * @throws as `extractStore`.
 */
export async function detailedOf(file: string): Promise<Record<string, { claim: unknown; cose: unknown }>> {
  const x = await extractStore(file);
  const out: Record<string, { claim: unknown; cose: unknown }> = {};
  for (const m of x?.manifests ?? []) {
    let claim: unknown = null;
    let cose: unknown = null;
    try {
      if (m.claim) claim = jsonSafe(decodeCbor(m.claim).value);
    } catch (err) {
      claim = { error: (err as Error).message };
    }
    try {
      if (m.signature) {
        const s = parseCoseSign1(m.signature);
        cose = {
          protected: header(s.protectedHeader, s.chainDer),
          unprotected: header(s.unprotectedHeader, s.chainDer),
          signature: `<${s.signature.length} bytes>`,
        };
      }
    } catch (err) {
      cose = { error: (err as Error).message };
    }
    out[m.label] = { claim, cose };
  }
  return out;
}

/** The human section printed after the tree. */
export function formatDetailed(d: Record<string, { claim: unknown; cose: unknown }>, lang: Lang = 'en'): string {
  return Object.entries(d)
    .map(([label, v]) => `${t(lang, 'inspect.detailed', { label })}\n${JSON.stringify(v, null, 2)}\n`)
    .join('');
}
