/**
 * GB 45438 implicit label and IPTC digital source type in XMP.
 *
 * - `TC260:AIGC` (namespace {@link TC260_NS}) holds the bare 7-field JSON label.
 * - `Iptc4xmpExt:DigitalSourceType` (namespace {@link IPTC_EXT_NS}) holds the IPTC URI.
 *
 * Readers match on namespace URI (never on prefix) and accept the element form
 * (Doubao: `<TC260:AIGC>{&quot;Label&quot;…}</TC260:AIGC>`) and the attribute form
 * (PicWish: `TC260:AIGC="{…}"`). Writers merge into an existing packet: they drop the old
 * properties and add one `rdf:Description` carrying the new ones, keeping everything else.
 */
import { InvalidArgumentError, LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { MAX_METADATA_BYTES } from '../../binary/limits.ts';
import { serializeGb45438 } from './gb45438.ts';
import type { ImplicitLabels } from './types.ts';
import { escapeXml, scanXml, type XmlStart } from './xml-scan.ts';

/** TC260 AIGC namespace (TC260-PG-20259A). */
export const TC260_NS = 'http://www.tc260.org.cn/ns/AIGC/1.0/';
/** IPTC Photo Metadata extension namespace. */
export const IPTC_EXT_NS = 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/';
/** RDF namespace. */
export const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
/** Adobe `x:xmpmeta` namespace. */
export const XMP_META_NS = 'adobe:ns:meta/';

/** What {@link readXmpLabels} finds. */
export interface XmpLabels {
  /** The `TC260:AIGC` value as stored (entities decoded), usually bare JSON. */
  readonly gb45438Raw?: string;
  /** The `Iptc4xmpExt:DigitalSourceType` value. */
  readonly digitalSourceType?: string;
}

/** Which properties to remove with {@link removeXmpLabels}. */
export interface XmpLabelSelection {
  readonly gb45438?: boolean;
  readonly digitalSourceType?: boolean;
}

type Prop = 'gb45438' | 'digitalSourceType';

function propOf(uri: string | undefined, local: string): Prop | undefined {
  if (uri === TC260_NS && local === 'AIGC') return 'gb45438';
  if (uri === IPTC_EXT_NS && local === 'DigitalSourceType') return 'digitalSourceType';
  return undefined;
}

function checkSize(xmp: string): void {
  if (typeof xmp !== 'string') throw InvalidArgumentError.expected('an XMP string', 'xmp', xmp);
  if (xmp.length > MAX_METADATA_BYTES) {
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.lbl.xmpPacketCharactersLarger', 'XMP packet of {v1} characters is larger than {MAX_METADATA_BYTES}', {
        v1: xmp.length,
        MAX_METADATA_BYTES,
      }),
    );
  }
}

/** A text range to remove or replace. */
interface Span {
  start: number;
  end: number;
  text?: string;
  element?: boolean;
}

/** One occurrence of a label property in the packet. */
interface Occ extends Span {
  readonly form: 'element' | 'attr';
  readonly qname: string;
  /** The `xmlns…` attributes written on the property element itself (kept on rewrite). */
  readonly decls: string;
}

interface Analysis {
  found: { gb45438Raw?: string; digitalSourceType?: string };
  spans: Record<Prop, Occ[]>;
  /** Offset of the `</rdf:RDF>` end tag (insertion point). */
  rdfEnd?: number;
  /** Whether prefix `rdf` means the RDF namespace at the insertion point. */
  rdfPrefixOk: boolean;
  /** rdf:about of the first rdf:Description. */
  about?: string;
}

/** Scan a packet once: label values, spans of our properties, and where to insert. */
function analyse(xmp: string): Analysis {
  const a: Analysis = { found: {}, spans: { gb45438: [], digitalSourceType: [] }, rdfPrefixOk: false };
  // Open property elements being captured.
  const open: {
    prop: Prop;
    depth: number;
    start: number;
    direct: string;
    leaf?: string;
    lastText: string;
    qname: string;
    decls: string;
  }[] = [];
  let rdfScope: XmlStart | undefined;
  let depth = 0; // depth of the element whose content is being scanned
  scanXml(xmp, (ev) => {
    if (ev.kind === 'start') {
      if (ev.uri === RDF_NS && ev.local === 'RDF' && !ev.selfClosing) rdfScope = ev;
      if (ev.uri === RDF_NS && ev.local === 'Description' && a.about === undefined) {
        a.about = ev.attrs.find((x) => x.uri === RDF_NS && x.local === 'about')?.value ?? '';
      }
      for (const at of ev.attrs) {
        const p = propOf(at.uri, at.local);
        if (!p) continue;
        a.spans[p].push({ start: at.start, end: at.end, form: 'attr', qname: at.qname, decls: '' });
        setFound(a, p, at.value);
      }
      const cur = open[open.length - 1];
      if (cur) cur.lastText = '';
      const p = propOf(ev.uri, ev.local);
      const decls = p
        ? ev.attrs
            .filter((x) => x.qname === 'xmlns' || x.qname.startsWith('xmlns:'))
            .map((x) => xmp.slice(x.start, x.end))
            .join('')
        : '';
      if (p && ev.selfClosing) {
        a.spans[p].push({ start: ev.start, end: ev.end, form: 'element', qname: ev.qname, decls });
        const res = ev.attrs.find((x) => x.uri === RDF_NS && (x.local === 'resource' || x.local === 'value'));
        if (res) setFound(a, p, res.value);
      } else if (p) {
        const res = ev.attrs.find((x) => x.uri === RDF_NS && x.local === 'resource');
        open.push({ prop: p, depth: ev.depth, start: ev.start, direct: res?.value ?? '', lastText: '', qname: ev.qname, decls });
      }
      if (!ev.selfClosing) depth = ev.depth + 1;
    } else if (ev.kind === 'text') {
      const top = open[open.length - 1];
      if (top) {
        top.lastText += ev.text;
        if (depth === top.depth + 1) top.direct += ev.text;
      }
    } else {
      depth = ev.depth;
      const top = open[open.length - 1];
      if (top && ev.depth === top.depth) {
        open.pop();
        a.spans[top.prop].push({ start: top.start, end: ev.end, form: 'element', qname: top.qname, decls: top.decls });
        const value = top.direct.trim() ? top.direct.trim() : (top.leaf ?? '').trim();
        setFound(a, top.prop, value);
      } else if (top && top.leaf === undefined && top.lastText.trim()) {
        // First leaf element's text inside a structured value (rdf:Alt/rdf:li).
        top.leaf = top.lastText;
      }
      const cur = open[open.length - 1];
      if (cur) cur.lastText = '';
      if (ev.uri === RDF_NS && ev.local === 'RDF' && rdfScope) {
        a.rdfEnd = ev.start;
        a.rdfPrefixOk = rdfScope.lookup('rdf') === RDF_NS;
      }
    }
  });
  return a;
}

function setFound(a: Analysis, p: Prop, value: string): void {
  const key = p === 'gb45438' ? 'gb45438Raw' : 'digitalSourceType';
  if (a.found[key] === undefined && value !== '') a.found[key] = value;
}

/**
 * Read the GB 45438 label and IPTC digital source type from an XMP packet.
 * Matching is by namespace URI; a `TC260` prefix bound to another URI is ignored.
 * @throws {LimitExceededError} for a packet above MAX_METADATA_BYTES or nested too deep.
 * @throws {MalformedInputError} for XML that cannot be scanned.
 */
export function readXmpLabels(xmp: string): XmpLabels {
  checkSize(xmp);
  return analyse(xmp).found;
}

/**
 * Replace spans by their `text` (or remove them), dropping spans nested in an earlier one.
 * Removed elements take the whitespace before them along, so the layout stays tidy.
 */
function cut(text: string, spans: Span[]): string {
  const sorted = spans.slice().sort((x, y) => x.start - y.start || y.end - x.end);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    let start = s.start;
    if (s.text === undefined && s.element) while (start > at && /[ \t\r\n]/.test(text[start - 1]!)) start--;
    out += text.slice(at, start) + (s.text ?? '');
    at = s.end;
  }
  return out + text.slice(at);
}

/** Spans that remove every occurrence. */
function removals(occ: Occ[]): Span[] {
  return occ.map((o) => ({ start: o.start, end: o.end, element: o.form === 'element' }));
}

/** Spans that rewrite the first occurrence with `value` (same form and prefix) and remove the rest. */
function rewrites(occ: Occ[], value: string): Span[] {
  const [first, ...rest] = occ.slice().sort((x, y) => x.start - y.start);
  const text =
    first!.form === 'attr'
      ? ` ${first!.qname}="${escapeXml(value)}"`
      : `<${first!.qname}${first!.decls}>${escapeXml(value)}</${first!.qname}>`;
  return [{ start: first!.start, end: first!.end, text }, ...removals(rest)];
}

/**
 * Remove the selected label properties (element or attribute form, any prefix) and keep
 * everything else byte for byte.
 * @throws {LimitExceededError} {@link MalformedInputError} as {@link readXmpLabels}.
 */
export function removeXmpLabels(xmp: string, which: XmpLabelSelection): string {
  checkSize(xmp);
  const a = analyse(xmp);
  const spans = removals([...(which.gb45438 ? a.spans.gb45438 : []), ...(which.digitalSourceType ? a.spans.digitalSourceType : [])]);
  return spans.length ? cut(xmp, spans) : xmp;
}

/** A fresh, empty XMP packet (xpacket wrapper, x:xmpmeta, rdf:RDF). */
export function emptyXmpPacket(): string {
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    `<x:xmpmeta xmlns:x="${XMP_META_NS}">\n <rdf:RDF xmlns:rdf="${RDF_NS}">\n </rdf:RDF>\n</x:xmpmeta>\n` +
    '<?xpacket end="w"?>'
  );
}

/** The analysis of {@link emptyXmpPacket}, made on first use. */
let emptyAnalysis: Analysis | undefined;

/**
 * Write `labels` into an XMP packet: into `existingXmp` when given, else into a new packet.
 * An existing property (matched by namespace URI) is rewritten in place, keeping its form
 * and prefix, and any duplicates are removed; a missing one is added in a new
 * `rdf:Description` (declaring its own prefixes) before `</rdf:RDF>`. Everything else is
 * kept byte for byte; properties absent from `labels` are left as they are.
 * @throws {MalformedInputError} when the packet is not XML or a property must be added and there is no `rdf:RDF`.
 * @throws {LimitExceededError} as {@link readXmpLabels}.
 * @throws {InvalidArgumentError} for an empty `digitalSourceType`.
 */
export function writeXmpLabels(existingXmp: string | undefined, labels: ImplicitLabels): string {
  const fresh = existingXmp === undefined || existingXmp.trim() === '';
  const base = fresh ? emptyXmpPacket() : (existingXmp as string);
  checkSize(base);
  // The empty packet is the same every time (and its analysis only read): analysed once.
  const a = fresh ? (emptyAnalysis ??= analyse(base)) : analyse(base);
  const spans: Span[] = [];
  const added: string[] = [];
  const decls: string[] = [];
  const want: [Prop, string | undefined, string, string][] = [
    ['gb45438', labels.gb45438 && serializeGb45438(labels.gb45438), 'TC260:AIGC', `xmlns:TC260="${TC260_NS}"`],
    ['digitalSourceType', labels.digitalSourceType, 'Iptc4xmpExt:DigitalSourceType', `xmlns:Iptc4xmpExt="${IPTC_EXT_NS}"`],
  ];
  if (labels.digitalSourceType !== undefined && (typeof labels.digitalSourceType !== 'string' || !labels.digitalSourceType)) {
    throw InvalidArgumentError.expected('a non-empty URI string', 'digitalSourceType', labels.digitalSourceType);
  }
  for (const [prop, value, qname, decl] of want) {
    if (value === undefined) continue;
    if (a.spans[prop].length) {
      spans.push(...rewrites(a.spans[prop], value));
    } else {
      added.push(`   <${qname}>${escapeXml(value)}</${qname}>\n`);
      decls.push(decl);
    }
  }
  if (added.length) {
    if (a.rdfEnd === undefined)
      throw new MalformedInputError('xmp', said('err.lbl.packetHasNoRdf', 'packet has no rdf:RDF element to add properties to'));
    if (spans.some((s) => s.start < a.rdfEnd! && s.end > a.rdfEnd!)) {
      throw new MalformedInputError('xmp', said('err.lbl.labelPropertyEnclosesRdf', 'a label property encloses the rdf:RDF end tag'));
    }
    const rdfDecl = a.rdfPrefixOk ? [] : [`xmlns:rdf="${RDF_NS}"`];
    const desc =
      ` <rdf:Description rdf:about="${escapeXml(a.about ?? '')}"\n    ${[...rdfDecl, ...decls].join('\n    ')}>\n` +
      `${added.join('')}  </rdf:Description>\n `;
    spans.push({ start: a.rdfEnd, end: a.rdfEnd, text: desc });
  }
  return spans.length ? cut(base, spans) : base;
}
