/**
 * Turn the raw carriers a handler found into one label report: parse each value,
 * pick the authoritative one (XMP first, then the container's native carrier), and
 * flag carriers that disagree.
 */
import type { FoundLabel } from '../../formats/types.ts';
import type { LabelReport } from '../report/report.ts';
import { parseGb45438, sameGb45438 } from '../../labels/implicit/gb45438.ts';
import { tryParseProviderCode } from '../../labels/provider-code.ts';
import type { Gb45438Label } from '../../labels/implicit/types.ts';

export { IPTC_CARRIER_PREFIX } from '../../labels/implicit/types.ts';

/** What {@link collectLabels} returns. */
export interface CollectedLabels {
  gb45438: LabelReport | null;
  iptc: { digitalSourceType: string; found_in: string[] } | null;
  /** Carriers whose value could not be parsed. */
  malformed: { found_in: string; message: string }[];
}

/**
 * Collect GB 45438 and IPTC labels from every carrier. Never throws: unparseable
 * carriers are listed in `malformed`.
 */
export function collectLabels(found: readonly FoundLabel[]): CollectedLabels {
  const malformed: CollectedLabels['malformed'] = [];
  const parsed: { found_in: string; fields: Gb45438Label; wrapped: boolean; warnings: string[] }[] = [];
  let iptc: CollectedLabels['iptc'] = null;
  for (const f of found) {
    if (f.kind === 'iptc-source-type') {
      if (!iptc) iptc = { digitalSourceType: f.raw, found_in: [f.foundIn] };
      else iptc.found_in.push(f.foundIn);
      continue;
    }
    try {
      const p = parseGb45438(f.raw);
      parsed.push({ found_in: f.foundIn, fields: p.label, wrapped: p.wrapped, warnings: p.warnings });
    } catch (err) {
      malformed.push({ found_in: f.foundIn, message: (err as Error).message });
    }
  }
  if (parsed.length === 0) return { gb45438: null, iptc, malformed };
  const primary = parsed[0]!;
  const report: LabelReport = {
    fields: primary.fields,
    found_in: [primary.found_in],
    wrapped: primary.wrapped,
    decoded: decodeCodes(primary.fields),
    conflicts: [],
    warnings: [...primary.warnings],
  };
  for (const p of parsed.slice(1)) {
    if (sameGb45438(p.fields, primary.fields)) report.found_in.push(p.found_in);
    else report.conflicts.push({ found_in: p.found_in, fields: p.fields });
  }
  return { gb45438: report, iptc, malformed };
}

/** Decode the provider codes of a label's producer/propagator fields when they are codes. */
export function decodeCodes(fields: Gb45438Label): LabelReport['decoded'] {
  const decoded: LabelReport['decoded'] = {};
  const p = fields.ContentProducer ? tryParseProviderCode(fields.ContentProducer) : undefined;
  if (p) decoded.ContentProducer = p;
  const q = fields.ContentPropagator ? tryParseProviderCode(fields.ContentPropagator) : undefined;
  if (q) decoded.ContentPropagator = q;
  return decoded;
}
