/**
 * A small, safe XML scanner for XMP packets. It reports start tags (with resolved
 * namespace URIs), end tags and text, with source offsets so callers can edit the
 * packet textually. It never expands DTD entities (no XXE, no billion laughs): a
 * DOCTYPE is skipped, only the five predefined entities and character references are
 * decoded, unknown entity references are left as written.
 */
import { LimitExceededError, MalformedInputError, type Said, said } from '../../errors.ts';
import { MAX_XML_DEPTH } from '../../binary/limits.ts';

/** The XML namespace (bound to prefix `xml` by definition). */
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** One attribute of a start tag. */
export interface XmlAttr {
  readonly qname: string;
  /** Namespace URI (undefined for unprefixed attributes and unbound prefixes). */
  readonly uri: string | undefined;
  readonly local: string;
  /** Decoded value. */
  readonly value: string;
  /** Offset of the whitespace before the attribute name (for removal). */
  readonly start: number;
  /** Offset just past the closing quote. */
  readonly end: number;
}

/** A start tag (or an empty-element tag when `selfClosing`). */
export interface XmlStart {
  readonly kind: 'start';
  readonly qname: string;
  readonly uri: string | undefined;
  readonly local: string;
  readonly attrs: readonly XmlAttr[];
  readonly selfClosing: boolean;
  readonly start: number;
  readonly end: number;
  /** Element depth (the root element is 0). */
  readonly depth: number;
  /** Resolve a prefix in this element's scope (`''` = default namespace). */
  readonly lookup: (prefix: string) => string | undefined;
}

/** An end tag. */
export interface XmlEnd {
  readonly kind: 'end';
  readonly qname: string;
  readonly uri: string | undefined;
  readonly local: string;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
}

/** Character data (entities decoded) or a CDATA section. */
export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Any scanner event. */
export type XmlEvent = XmlStart | XmlEnd | XmlText;

interface Scope {
  readonly parent: Scope | undefined;
  readonly map: ReadonlyMap<string, string>;
  /** Bound once per scope (not per element). */
  readonly lookup: (prefix: string) => string | undefined;
}

function makeScope(parent: Scope | undefined, map: ReadonlyMap<string, string>): Scope {
  const scope: Scope = { parent, map, lookup: (prefix) => lookupIn(scope, prefix) };
  return scope;
}

const ROOT: Scope = makeScope(undefined, new Map());
const NO_ATTRS: readonly XmlAttr[] = Object.freeze([]);

const PREDEFINED: Partial<Record<string, string>> = Object.assign(Object.create(null) as object, {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
});

/** Decode the predefined entities and character references; unknown references stay as written. */
export function decodeXmlEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let at = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0) break;
    const name = s.slice(amp + 1, semi);
    let rep: string | undefined;
    if (name.length <= 32) {
      if (name.charCodeAt(0) === 0x23) rep = charRef(name);
      else rep = PREDEFINED[name];
    }
    if (rep !== undefined) {
      out += s.slice(at, amp) + rep;
      at = semi + 1;
    }
    amp = s.indexOf('&', rep !== undefined ? semi + 1 : amp + 1);
  }
  return out + s.slice(at);
}

function charRef(name: string): string | undefined {
  const hex = name.charCodeAt(1) === 0x78;
  const digits = name.slice(hex ? 2 : 1);
  if (!digits || digits.length > 8 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const cp = parseInt(digits, hex ? 16 : 10);
  if (cp < 1 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return String.fromCodePoint(cp);
}

/** Escape text for element content or a double-quoted attribute value. */
export function escapeXml(s: string): string {
  if (!XML_SPECIAL.test(s)) return s;
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
const XML_SPECIAL = /[&<>"]/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function splitQname(q: string): [string, string] {
  const i = q.indexOf(':');
  return i < 0 ? ['', q] : [q.slice(0, i), q.slice(i + 1)];
}

function lookupIn(scope: Scope | undefined, prefix: string): string | undefined {
  if (prefix === 'xml') return XML_NS;
  for (let s = scope; s; s = s.parent) {
    const v = s.map.get(prefix);
    if (v !== undefined) return v === '' ? undefined : v;
  }
  return undefined;
}

/**
 * Scan `xml`, calling `visit` for every start tag, end tag and text run, in order.
 * @throws {MalformedInputError} for unterminated markup, mismatched end tags or unclosed elements.
 * @throws {LimitExceededError} when elements nest deeper than {@link MAX_XML_DEPTH}.
 */
export function scanXml(xml: string, visit: (ev: XmlEvent) => void): void {
  const stack: { qname: string; scope: Scope }[] = [];
  const bad = (msg: Said, at: number): never => {
    throw new MalformedInputError('xmp', msg, at);
  };
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) visit({ kind: 'text', text: decodeXmlEntities(xml.slice(i, textEnd)), start: i, end: textEnd });
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const e = xml.indexOf('-->', lt + 4);
      if (e < 0) bad(said('err.xml.comment', 'unterminated comment'), lt);
      i = e + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const e = xml.indexOf(']]>', lt + 9);
      if (e < 0) bad(said('err.xml.cdata', 'unterminated CDATA section'), lt);
      visit({ kind: 'text', text: xml.slice(lt + 9, e), start: lt, end: e + 3 });
      i = e + 3;
    } else if (xml.startsWith('<!', lt)) {
      i = skipDeclaration(xml, lt, bad);
    } else if (xml.startsWith('<?', lt)) {
      const e = xml.indexOf('?>', lt + 2);
      if (e < 0) bad(said('err.xml.pi', 'unterminated processing instruction'), lt);
      i = e + 2;
    } else if (xml.startsWith('</', lt)) {
      const e = xml.indexOf('>', lt + 2);
      if (e < 0) bad(said('err.xml.endTag', 'unterminated end tag'), lt);
      const qname = xml.slice(lt + 2, e).trim();
      const top = stack.pop();
      if (!top || top.qname !== qname)
        bad(said('err.xml.mismatch', 'end tag </{qname}> does not match <{open}>', { qname, open: top?.qname ?? '' }), lt);
      const [p, local] = splitQname(qname);
      visit({ kind: 'end', qname, uri: lookupIn(top!.scope, p), local, start: lt, end: e + 1, depth: stack.length });
      i = e + 1;
    } else {
      i = scanStartTag(xml, lt, stack, visit, bad);
    }
  }
  if (stack.length) bad(said('err.xml.unclosed', 'element <{qname}> is never closed', { qname: stack[stack.length - 1]!.qname }), n);
}

function skipDeclaration(xml: string, lt: number, bad: (m: Said, at: number) => never): number {
  let depth = 0;
  let quote = 0;
  for (let j = lt + 2; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x5b) depth++;
    else if (c === 0x5d) depth = Math.max(0, depth - 1);
    else if (c === 0x3e && depth === 0) return j + 1;
  }
  return bad(said('err.xml.declaration', 'unterminated declaration'), lt);
}

function scanStartTag(
  xml: string,
  lt: number,
  stack: { qname: string; scope: Scope }[],
  visit: (ev: XmlEvent) => void,
  bad: (m: Said, at: number) => never,
): number {
  const n = xml.length;
  let j = lt + 1;
  while (j < n && !isSpace(xml.charCodeAt(j)) && xml[j] !== '>' && xml[j] !== '/') j++;
  const qname = xml.slice(lt + 1, j);
  if (!qname || /["'<=]/.test(qname)) bad(said('err.xml.name', 'bad element name'), lt);
  let attrs: XmlAttr[] | undefined;
  let decls: Map<string, string> | undefined;
  let selfClosing = false;
  for (;;) {
    const wsStart = j;
    while (j < n && isSpace(xml.charCodeAt(j))) j++;
    if (j >= n) bad(said('err.xml.startTag', 'unterminated start tag <{qname}>', { qname }), lt);
    const c = xml.charCodeAt(j);
    if (c === 0x3e) {
      j++;
      break;
    }
    if (c === 0x2f) {
      if (xml.charCodeAt(j + 1) !== 0x3e) bad(said('err.xml.slash', 'stray / in <{qname}>', { qname }), j);
      selfClosing = true;
      j += 2;
      break;
    }
    if (j === wsStart) bad(said('err.xml.space', 'missing space before attribute in <{qname}>', { qname }), j);
    const nameStart = j;
    while (j < n && !isSpace(xml.charCodeAt(j)) && xml[j] !== '=' && xml[j] !== '>' && xml[j] !== '/') j++;
    const aname = xml.slice(nameStart, j);
    while (j < n && isSpace(xml.charCodeAt(j))) j++;
    if (!aname || xml[j] !== '=') bad(said('err.xml.noValue', 'attribute without value in <{qname}>', { qname }), j);
    j++;
    while (j < n && isSpace(xml.charCodeAt(j))) j++;
    const q = xml[j];
    if (q !== '"' && q !== "'") bad(said('err.xml.unquoted', 'unquoted attribute value in <{qname}>', { qname }), j);
    const close = xml.indexOf(q!, j + 1);
    if (close < 0) bad(said('err.xml.attrValue', 'unterminated attribute value in <{qname}>', { qname }), j);
    const rawValue = xml.slice(j + 1, close);
    if (rawValue.includes('<')) bad(said('err.xml.lt', "'<' in attribute value in <{qname}>", { qname }), j);
    const value = decodeXmlEntities(rawValue);
    const colon = aname.indexOf(':');
    if (aname === 'xmlns' || (colon === 5 && aname.startsWith('xmlns'))) (decls ??= new Map()).set(colon < 0 ? '' : aname.slice(6), value);
    (attrs ??= []).push({
      qname: aname,
      uri: colon < 0 ? '' : aname.slice(0, colon),
      local: colon < 0 ? aname : aname.slice(colon + 1),
      value,
      start: wsStart,
      end: close + 1,
    });
    j = close + 1;
  }
  const parentScope = stack.length ? stack[stack.length - 1]!.scope : ROOT;
  const scope = decls ? makeScope(parentScope, decls) : parentScope;
  // Resolve attribute prefixes now that the element's own declarations are known.
  if (attrs) for (const a of attrs) (a as { uri: string | undefined }).uri = a.uri ? lookupIn(scope, a.uri) : undefined;
  const colon = qname.indexOf(':');
  const depth = stack.length;
  if (!selfClosing) {
    if (stack.length >= MAX_XML_DEPTH)
      throw new LimitExceededError(
        'MAX_XML_DEPTH',
        said('err.lbl.xmlElementsNestedDeeper', 'XML elements nested deeper than {MAX_XML_DEPTH}', { MAX_XML_DEPTH }),
      );
    stack.push({ qname, scope });
  }
  visit({
    kind: 'start',
    qname,
    uri: lookupIn(scope, colon < 0 ? '' : qname.slice(0, colon)),
    local: colon < 0 ? qname : qname.slice(colon + 1),
    attrs: attrs ?? NO_ATTRS,
    selfClosing,
    start: lt,
    end: j,
    depth,
    lookup: scope.lookup,
  });
  return j;
}
