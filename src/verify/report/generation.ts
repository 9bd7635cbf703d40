/**
 * Which generation of the C2PA format a manifest was written in, for investigators
 * (`inspect`, the JSON report's `manifests[*].generation`): the claim version and box label,
 * the manifest label form, where the COSE signature keeps its certificate chain, the
 * time-stamp header and token form, and the versions of its actions and ingredient
 * assertions. Read from the stored structures only; never throws.
 */
import { parseCoseSign1, withoutInstance, type CoseSign1, type Manifest, type X5chainForm } from '../../manifest/index.ts';
import type { ManifestResult } from '../engine/context.ts';

/** How one manifest is written. */
export interface ManifestGeneration {
  /** `1.x` for a v1 claim (`c2pa.claim`), `2.x` for a v2 claim (`c2pa.claim.v2`). */
  c2pa: '1.x' | '2.x';
  claim_version: 1 | 2;
  /** The claim box label as stored. */
  claim_label?: string;
  /** JUMBF manifest type: standard (`c2ma`), update (`c2um`), compressed (`c2cm`). */
  manifest_type: string;
  /** `urn:c2pa:` (2.x) or `urn:uuid:` (1.x, optionally vendor-prefixed). */
  label_form: 'urn:c2pa' | 'urn:uuid' | 'other';
  /** Where the certificate chain is: protected header label 33 or text key, or unprotected text key (1.x). */
  x5chain?: X5chainForm;
  /** COSE header holding the time-stamp, and the form of each token. */
  timestamp?: { header: 'sigTst' | 'sigTst2'; tokens: ('TimeStampToken' | 'TimeStampResp' | 'unknown')[] }[];
  /** Whether OCSP responses are stapled (`rVals`). */
  ocsp_stapled?: boolean;
  /** Version of each actions and ingredient assertion, by label. */
  assertions: { label: string; version: number }[];
}

/**
 * A DER TimeStampResp is `SEQUENCE { PKIStatusInfo SEQUENCE, ... }`; a TimeStampToken is a
 * ContentInfo, `SEQUENCE { OBJECT IDENTIFIER, ... }`. Look at the first inner tag.
 */
export function tokenForm(der: Uint8Array): 'TimeStampToken' | 'TimeStampResp' | 'unknown' {
  if (der[0] !== 0x30 || der.length < 4) return 'unknown';
  const l = der[1]!;
  const at = l < 0x80 ? 2 : 2 + (l & 0x7f);
  if (der[at] === 0x06) return 'TimeStampToken';
  if (der[at] === 0x30) return 'TimeStampResp';
  return 'unknown';
}

function timestampsOf(cose: CoseSign1): ManifestGeneration['timestamp'] {
  const out: NonNullable<ManifestGeneration['timestamp']> = [];
  for (const header of ['sigTst2', 'sigTst'] as const) {
    const c = cose.unprotectedHeader.get(header);
    if (c === undefined) continue;
    const tokens = c instanceof Map && Array.isArray(c.get('tstTokens')) ? (c.get('tstTokens') as unknown[]) : [];
    out.push({
      header,
      tokens: tokens.map((t) =>
        t instanceof Map && t.get('val') instanceof Uint8Array ? tokenForm(t.get('val') as Uint8Array) : 'unknown',
      ),
    });
  }
  return out.length ? out : undefined;
}

const VERSIONED = /^c2pa\.(actions|ingredient)(?:\.v(\d+))?$/;

/** The generation of a manifest; `result` supplies the parsed COSE when it was validated. */
export function generationOf(m: Manifest, result: ManifestResult | undefined): ManifestGeneration {
  const version = m.claim?.version ?? (m.claimBox?.description.label === 'c2pa.claim' ? 1 : 2);
  const g: ManifestGeneration = {
    c2pa: version === 1 ? '1.x' : '2.x',
    claim_version: version,
    manifest_type: m.type,
    label_form: m.label.startsWith('urn:c2pa:') ? 'urn:c2pa' : /(^|:)urn:uuid:/.test(m.label) ? 'urn:uuid' : 'other',
    assertions: [],
  };
  if (m.claimBox?.description.label) g.claim_label = m.claimBox.description.label;
  let cose = result?.cose?.cose;
  if (!cose && m.signature) {
    try {
      cose = parseCoseSign1(m.signature.cose);
    } catch {
      cose = undefined;
    }
  }
  if (cose) {
    g.x5chain = cose.x5chainForm;
    const ts = timestampsOf(cose);
    if (ts) g.timestamp = ts;
    if (cose.unprotectedHeader.has('rVals')) g.ocsp_stapled = true;
  }
  for (const a of m.assertions) {
    const match = VERSIONED.exec(withoutInstance(a.label));
    if (match) g.assertions.push({ label: a.label, version: match[2] ? Number(match[2]) : 1 });
  }
  return g;
}
