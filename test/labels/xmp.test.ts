import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_METADATA_BYTES, MAX_XML_DEPTH } from '../../src/binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, ToolkitError } from '../../src/errors.ts';
import { makeGb45438Label, parseGb45438, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { decodeXmlEntities, scanXml } from '../../src/labels/implicit/xml-scan.ts';
import { readXmpLabels, removeXmpLabels, writeXmpLabels } from '../../src/labels/implicit/xmp.ts';
import { DOUBAO_LABEL, DOUBAO_XMP, PICWISH_LABEL, PICWISH_XMP, WRONG_URI_XMP } from '../../scripts/fixtures/10-images.ts';

const TC = 'http://www.tc260.org.cn/ns/AIGC/1.0/';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const wrap = (desc: string, rdfAttrs = ''): string =>
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}"${rdfAttrs}>${desc}</rdf:RDF></x:xmpmeta>`;
const LABEL = makeGb45438Label({
  Label: '1',
  ContentProducer: '001191000000EXAMPLE01P10000',
  ProduceID: 'id-"quoted"-1',
  ReservedCode1: '{"SecurityData":{"Type":"TC260PG"}}',
});

describe('readXmpLabels', () => {
  it('reads the Doubao element form and the PicWish attribute form', () => {
    expect(readXmpLabels(DOUBAO_XMP)).toEqual({ gb45438Raw: DOUBAO_LABEL });
    expect(readXmpLabels(PICWISH_XMP)).toEqual({ gb45438Raw: PICWISH_LABEL });
    expect(parseGb45438(readXmpLabels(DOUBAO_XMP).gb45438Raw!).label.ContentProducer).toBe('001191000000EXAMPLE01P10000');
  });

  it('matches the namespace URI, not the prefix', () => {
    expect(readXmpLabels(WRONG_URI_XMP)).toEqual({});
    expect(readXmpLabels(wrap(`<rdf:Description xmlns:aigc="${TC}"><aigc:AIGC>{"Label":"1"}</aigc:AIGC></rdf:Description>`))).toEqual({
      gb45438Raw: '{"Label":"1"}',
    });
    // A default-namespace element and a prefix rebound on an inner element.
    expect(readXmpLabels(wrap(`<rdf:Description><AIGC xmlns="${TC}">{}</AIGC></rdf:Description>`))).toEqual({ gb45438Raw: '{}' });
    const rebound = wrap(
      `<rdf:Description xmlns:TC260="http://example.com/"><TC260:AIGC xmlns:TC260="${TC}">x</TC260:AIGC><TC260:AIGC>y</TC260:AIGC></rdf:Description>`,
    );
    expect(readXmpLabels(rebound)).toEqual({ gb45438Raw: 'x' });
  });

  it('reads DigitalSourceType as text, attribute or rdf:resource', () => {
    const ns = 'xmlns:I="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"';
    expect(
      readXmpLabels(
        wrap(`<rdf:Description ${ns}><I:DigitalSourceType>${TRAINED_ALGORITHMIC_MEDIA}</I:DigitalSourceType></rdf:Description>`),
      ).digitalSourceType,
    ).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(readXmpLabels(wrap(`<rdf:Description ${ns} I:DigitalSourceType="${TRAINED_ALGORITHMIC_MEDIA}"/>`)).digitalSourceType).toBe(
      TRAINED_ALGORITHMIC_MEDIA,
    );
    expect(
      readXmpLabels(wrap(`<rdf:Description ${ns}><I:DigitalSourceType rdf:resource="${TRAINED_ALGORITHMIC_MEDIA}"/></rdf:Description>`))
        .digitalSourceType,
    ).toBe(TRAINED_ALGORITHMIC_MEDIA);
  });

  it('decodes &quot;, character references and CDATA, and takes the first rdf:li of a structured value', () => {
    expect(
      readXmpLabels(wrap(`<rdf:Description xmlns:T="${TC}"><T:AIGC>{&#34;a&#x22;:&quot;&amp;&lt;&quot;}</T:AIGC></rdf:Description>`))
        .gb45438Raw,
    ).toBe('{"a":"&<"}');
    expect(
      readXmpLabels(wrap(`<rdf:Description xmlns:T="${TC}"><T:AIGC><![CDATA[{"Label":"1"}]]></T:AIGC></rdf:Description>`)).gb45438Raw,
    ).toBe('{"Label":"1"}');
    expect(
      readXmpLabels(
        wrap(
          `<rdf:Description xmlns:T="${TC}"><T:AIGC><rdf:Alt><rdf:li xml:lang="x-default">{"Label":"2"}</rdf:li><rdf:li xml:lang="zh">z</rdf:li></rdf:Alt></T:AIGC></rdf:Description>`,
        ),
      ).gb45438Raw,
    ).toBe('{"Label":"2"}');
  });

  it('never expands DTD entities (no XXE, no billion laughs)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${wrap(`<rdf:Description xmlns:T="${TC}"><T:AIGC>&xxe;&b;</T:AIGC></rdf:Description>`)}`;
    expect(readXmpLabels(xxe).gb45438Raw).toBe('&xxe;&b;');
    expect(decodeXmlEntities('&unknown; &#0; &#xD800; &#65; &#x1F600; &amp;lt;')).toBe('&unknown; &#0; &#xD800; A \u{1F600} &lt;');
    // Regression: object-prototype names are not entities.
    expect(decodeXmlEntities('&constructor;&__proto__;&toString;')).toBe('&constructor;&__proto__;&toString;');
  });

  it('reports malformed XML with MalformedInputError', () => {
    for (const bad of ['<a>', '<a></b>', '<a b="1></a>', '<!-- x', '<a b=1/>', '<![CDATA[ x', '<a/', '<?pi']) {
      expect(() => readXmpLabels(bad), bad).toThrow(MalformedInputError);
    }
  });

  it('accepts MAX_XML_DEPTH nesting and MAX_METADATA_BYTES characters, and refuses one more', () => {
    const nest = (n: number): string => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    expect(readXmpLabels(nest(MAX_XML_DEPTH))).toEqual({});
    expect(() => readXmpLabels(nest(MAX_XML_DEPTH + 1))).toThrow(LimitExceededError);
    const body = wrap(`<rdf:Description xmlns:T="${TC}" T:AIGC="{}"/>`);
    expect(readXmpLabels(body + ' '.repeat(MAX_METADATA_BYTES - body.length))).toEqual({ gb45438Raw: '{}' });
    expect(() => readXmpLabels(body + ' '.repeat(MAX_METADATA_BYTES - body.length + 1))).toThrow(LimitExceededError);
  });

  it('scans a packet of millions of elements, attributes and entities (linear scanner)', () => {
    const n = 1_000_000;
    const many = wrap(
      `<rdf:Description xmlns:T="${TC}" ${'a="&amp;" '.repeat(n / 4)}T:AIGC="{}"><x>${'<a/>'.repeat(n)}${'&quot;'.repeat(n / 4)}</x></rdf:Description>`,
    );
    expect(readXmpLabels(many)).toEqual({ gb45438Raw: '{}' });
  });

  it('either parses or throws a ToolkitError on arbitrary input', () => {
    const alphabet = fc.constantFrom('<', '>', '/', '"', "'", '=', ' ', 'a', ':', '!', '?', '[', ']', '-', '&', ';', 'x', 'T');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')),
          fc.constant(DOUBAO_XMP).chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))),
        ),
        (s) => {
          try {
            readXmpLabels(s);
          } catch (err) {
            if (!(err instanceof ToolkitError)) throw err;
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('writeXmpLabels', () => {
  it('writes a fresh packet that reads back exactly', () => {
    const xmp = writeXmpLabels(undefined, { gb45438: LABEL, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
    expect(readXmpLabels(xmp)).toEqual({ gb45438Raw: serializeGb45438(LABEL), digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
    expect(xmp).toContain('<TC260:AIGC>{&quot;Label&quot;:&quot;1&quot;');
    expect(xmp).toContain(`xmlns:TC260="${TC}"`);
    expect(xmp.startsWith('<?xpacket begin="\uFEFF"')).toBe(true);
    let elements = 0;
    scanXml(xmp, (ev) => void (ev.kind === 'start' && elements++));
    expect(elements).toBe(5);
  });

  it('rewrites in place (same form and prefix), removes duplicates, keeps everything else', () => {
    const dup = wrap(
      `<rdf:Description rdf:about="" xmlns:T="${TC}" xmlns:dc="http://purl.org/dc/elements/1.1/" T:AIGC="old1"><dc:title>keep &amp; me</dc:title><T:AIGC>old2</T:AIGC></rdf:Description>`,
    );
    const out = writeXmpLabels(dup, { gb45438: LABEL });
    expect(readXmpLabels(out).gb45438Raw).toBe(serializeGb45438(LABEL));
    expect(out).toContain('<dc:title>keep &amp; me</dc:title>');
    expect(out).toMatch(/ T:AIGC="\{&quot;Label/);
    expect(out).not.toContain('old');
    expect(writeXmpLabels(out, { gb45438: LABEL })).toBe(out);
    const doubao = writeXmpLabels(DOUBAO_XMP, { gb45438: LABEL });
    expect(doubao).toContain('<dc:creator><rdf:Seq><rdf:li>Doubao</rdf:li></rdf:Seq></dc:creator>');
    expect(doubao.replace(/<TC260:AIGC>.*<\/TC260:AIGC>/, '')).toBe(DOUBAO_XMP.replace(/<TC260:AIGC>.*<\/TC260:AIGC>/, ''));
  });

  it('adds a Description with its own prefixes when TC260 is bound to another URI', () => {
    const out = writeXmpLabels(WRONG_URI_XMP, { gb45438: LABEL, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
    expect(out).toContain('xmlns:TC260="http://ns.adobe.com/xap/1.0/tc/" TC260:AIGC=');
    expect(readXmpLabels(out)).toEqual({ gb45438Raw: serializeGb45438(LABEL), digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
    // rdf bound to another prefix: our Description declares rdf itself.
    const odd = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><R:RDF xmlns:R="${RDF}" xmlns:rdf="urn:not-rdf"></R:RDF></x:xmpmeta>`;
    const o2 = writeXmpLabels(odd, { gb45438: LABEL });
    expect(o2).toContain(`xmlns:rdf="${RDF}"`);
    expect(readXmpLabels(o2).gb45438Raw).toBe(serializeGb45438(LABEL));
  });

  it('leaves properties absent from labels alone, and removes on request', () => {
    const both = writeXmpLabels(undefined, { gb45438: LABEL, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
    const relabeled = writeXmpLabels(both, { gb45438: makeGb45438Label({ Label: '2' }) });
    expect(readXmpLabels(relabeled).digitalSourceType).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(writeXmpLabels(both, {})).toBe(both);
    expect(readXmpLabels(removeXmpLabels(both, { gb45438: true }))).toEqual({ digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
    expect(readXmpLabels(removeXmpLabels(both, { gb45438: true, digitalSourceType: true }))).toEqual({});
  });

  it('refuses packets it cannot edit safely and bad arguments', () => {
    expect(() => writeXmpLabels('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', { gb45438: LABEL })).toThrow(MalformedInputError);
    expect(() => writeXmpLabels('<a>', { gb45438: LABEL })).toThrow(MalformedInputError);
    expect(() => writeXmpLabels(undefined, { digitalSourceType: '' })).toThrow(InvalidArgumentError);
  });
});
