import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it, beforeAll } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES, MAX_SEGMENTS } from '../../src/binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, MultipleManifestsError } from '../../src/errors.ts';
import { JPEG_XMP_MAX_BYTES, jpegHandler } from '../../src/formats/jpeg.ts';
import { JPEG_XMP_EXT_CHUNK, jpegXmpSegments } from '../../src/formats/jpeg-xmp.ts';
import { mergeXmp } from '../../src/formats/common/xmp-packet.ts';
import { findUserComment } from '../../src/formats/common/exif.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { readXmpLabels } from '../../src/labels/implicit/xmp.ts';
import { gen } from '../helpers.ts';
import { expectSameBytes, LABELS_1, LABELS_2, makeFakeStore } from './conformance.ts';
import { afterSoi, jpxt, markers, seg, stamp, storeSegments } from './jpeg-helpers.ts';

const img = async (name: string): Promise<Buffer> => readFile(gen('images', name));
const src = (b: Uint8Array): BufferSource => new BufferSource(b);
const EXIF_RAW =
  '{"AIGC":{"Label":"1","ContentProducer":"001191000000EXAMPLEC3A18020","ProduceID":"142569260085903360","ReservedCode1":"","ContentPropagator":"001191000000EXAMPLEC3A18020","PropagateID":"142569260085903360","ReservedCode2":""}}';

/** The XMP packet of the first APP1 XMP segment. */
function xmpOf(jpg: Buffer): string {
  const m = markers(jpg).find(
    (x) => x.marker === 0xe1 && jpg.subarray(x.offset + 4, x.offset + 33).toString('latin1') === 'http://ns.adobe.com/xap/1.0/\0',
  );
  return jpg.subarray(m!.offset + 33, m!.offset + m!.length).toString('utf8');
}

let seed: Buffer;
let noApp0: Buffer;
beforeAll(async () => {
  seed = await img('seed.jpg');
  noApp0 = await img('seed-noapp0.jpg');
});

describe('JPEG APP11 store layout', () => {
  it('places the store after the last APP0, else right after SOI', async () => {
    const out = await stamp(jpegHandler, seed, 300);
    const m = markers(out);
    expect(m[0]!.marker).toBe(0xe0);
    expect(m[1]).toMatchObject({ marker: 0xeb, offset: 20 });
    const plan = await jpegHandler.planEmbed(src(seed), 300);
    expect(plan.exclusions).toEqual([{ offset: 20, length: 300 + 12 }]);
    const out2 = await stamp(jpegHandler, noApp0, 300);
    expect(markers(out2)[0]).toMatchObject({ marker: 0xeb, offset: 2 });
    const twoApp0 = afterSoi(noApp0, seg(0xe0, 'JFIF\0\x01\x01\0\0\x01\0\x01\0\0'), seg(0xe0, 'JFXX\0\x10xxxx'));
    expect((await jpegHandler.planEmbed(src(twoApp0), 300)).exclusions[0]!.offset).toBe(2 + 18 + 14);
  });

  it('splits at 64 000 store bytes per segment with CI, En, Z and the repeated box header', async () => {
    for (const [n, count] of [
      [64_000, 1],
      [64_001, 2],
      [150_000, 3],
    ] as const) {
      const out = await stamp(jpegHandler, seed, n);
      const app11 = markers(out).filter((x) => x.marker === 0xeb);
      expect(app11.length, `store ${n}`).toBe(count);
      const store = makeFakeStore(n);
      let carried = 0;
      app11.forEach((s, i) => {
        const p = out.subarray(s.offset + 4, s.offset + s.length);
        expect(p.readUInt16BE(0)).toBe(0x4a50);
        expect(p.readUInt16BE(2)).toBe(0x0211);
        expect(p.readUInt32BE(4)).toBe(i + 1);
        if (i > 0) expect(Buffer.compare(p.subarray(8, 16), Buffer.from(store.subarray(0, 8)))).toBe(0);
        const data = p.length - (i > 0 ? 16 : 8);
        expect(data).toBeLessThanOrEqual(64_000);
        carried += data;
      });
      expect(carried).toBe(n);
      const ex = (await jpegHandler.planEmbed(src(seed), n)).exclusions;
      const last = app11[app11.length - 1]!;
      expect(ex).toEqual([{ offset: app11[0]!.offset, length: last.offset + last.length - app11[0]!.offset }]);
      expect(out[ex[0]!.offset]).toBe(0xff);
      expect(out[ex[0]!.offset + 1]).toBe(0xeb);
    }
  });

  it('reads stores split the way other writers split them and keeps other JPEG-XT boxes', async () => {
    const store = makeFakeStore(10_000, 5);
    const other = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from('jumb'), Buffer.alloc(8, 7)]);
    const file = afterSoi(seed, jpxt(7, 1, other), ...storeSegments(store, 0x0001, 3_000));
    expectSameBytes(await jpegHandler.readManifest(src(file)), store, 'store');
    const out = await stamp(jpegHandler, file, 500);
    expectSameBytes(await jpegHandler.readManifest(src(out)), makeFakeStore(500), 'replaced');
    expect(out.includes(jpxt(7, 1, other))).toBe(true);
    expect(markers(out).filter((x) => x.marker === 0xeb).length).toBe(2);
  });

  it('rejects two stores, bad sequence numbers, a wrong repeated header and a wrong total', async () => {
    const a = makeFakeStore(1_000);
    const b = makeFakeStore(800, 1);
    await expect(
      jpegHandler.readManifest(src(afterSoi(seed, ...storeSegments(a, 0x0211, 600), ...storeSegments(b, 0x0212, 600)))),
    ).rejects.toBeInstanceOf(MultipleManifestsError);
    await expect(
      jpegHandler.readManifest(src(afterSoi(seed, ...storeSegments(a, 0x0211, 600), ...storeSegments(b, 0x0211, 600)))),
    ).rejects.toBeInstanceOf(MultipleManifestsError);
    const [s1, s2] = storeSegments(a, 0x0211, 600);
    await expect(jpegHandler.readManifest(src(afterSoi(seed, s2!, s1!)))).rejects.toBeInstanceOf(MalformedInputError);
    const bad2 = Buffer.from(s2!);
    bad2[4 + 8 + 3] ^= 1; // repeated LBox differs
    await expect(jpegHandler.readManifest(src(afterSoi(seed, s1!, bad2)))).rejects.toBeInstanceOf(MalformedInputError);
    await expect(jpegHandler.readManifest(src(afterSoi(seed, s1!)))).rejects.toThrow(/carry/);
    // A stamp replaces every store, even when the input had two.
    const fixed = await stamp(jpegHandler, afterSoi(seed, ...storeSegments(a, 0x0211, 600), ...storeSegments(b, 0x0212, 600)), 300);
    expectSameBytes(await jpegHandler.readManifest(src(fixed)), makeFakeStore(300), 'one store');
  });

  it('accepts the manifest length limit and refuses one past it', async () => {
    const plan = await jpegHandler.planEmbed(src(noApp0), MAX_MANIFEST_BYTES);
    expect(plan.exclusions[0]!.length).toBeGreaterThan(MAX_MANIFEST_BYTES);
    await expect(jpegHandler.planEmbed(src(noApp0), MAX_MANIFEST_BYTES + 1)).rejects.toBeInstanceOf(InvalidArgumentError);
    const claim = Buffer.from(makeFakeStore(100));
    claim.writeUInt32BE(0xffff_fff0, 0); // LBox claims ~4 GiB
    await expect(jpegHandler.readManifest(src(afterSoi(seed, jpxt(0x0211, 1, claim))))).rejects.toBeInstanceOf(LimitExceededError);
  });
});

describe('JPEG labels', () => {
  it('reads the EXIF UserComment wrapper and clears it when a new label is written', async () => {
    const file = await img('with-exif.jpg');
    expect(await jpegHandler.readLabels(src(file))).toEqual([{ kind: 'gb45438', foundIn: 'EXIF UserComment', raw: EXIF_RAW }]);
    const out = await stamp(jpegHandler, file, 200, LABELS_1);
    const found = await jpegHandler.readLabels(src(out));
    expect(found.map((f) => f.foundIn)).toEqual(['XMP (APP1)', 'IPTC DigitalSourceType (XMP (APP1))']);
    const m = markers(out);
    expect(m.map((x) => x.marker).slice(0, 3)).toEqual([0xeb, 0xe1, 0xe1]);
    expect(m[1]!.length).toBe(markers(file)[0]!.length);
    const uc = findUserComment(out.subarray(m[1]!.offset + 10, m[1]!.offset + m[1]!.length));
    expect(uc).toMatchObject({ text: '', charset: 'ascii' });
    // Only a GB 45438 label clears it; a digital-source-type-only write leaves it.
    const dst = await stamp(jpegHandler, file, 200, { digitalSourceType: LABELS_1.digitalSourceType });
    expect((await jpegHandler.readLabels(src(dst))).map((f) => f.foundIn)).toEqual([
      'EXIF UserComment',
      'IPTC DigitalSourceType (XMP (APP1))',
    ]);
  });

  it('reads the Doubao element form and the PicWish attribute form, and not a wrong-URI TC260 prefix', async () => {
    const doubao = await jpegHandler.readLabels(src(await img('doubao-like.jpg')));
    expect(doubao.map((f) => f.foundIn)).toEqual(['XMP (APP1)']);
    expect(JSON.parse(doubao[0]!.raw).ContentProducer).toBe('001191000000EXAMPLE01P10000');
    const picwish = await jpegHandler.readLabels(src(await img('picwish-like.jpg')));
    expect(picwish.map((f) => f.foundIn)).toEqual(['XMP (APP1)']);
    expect(JSON.parse(picwish[0]!.raw).ProduceID).toBe('pw-7f3a9c');
    expect(await jpegHandler.readLabels(src(await img('wrong-uri.jpg')))).toEqual([]);
  });

  it('merges into an existing packet: keeps other properties and the attribute form', async () => {
    const out = await stamp(jpegHandler, await img('doubao-like.jpg'), 100, LABELS_2);
    const packet = xmpOf(out);
    expect(packet).toContain('<rdf:li>Doubao</rdf:li>');
    expect(readXmpLabels(packet).gb45438Raw).toBe(serializeGb45438(LABELS_2.gb45438!));
    expect(markers(out).filter((m) => m.marker === 0xe1).length).toBe(1);
    const pw = xmpOf(await stamp(jpegHandler, await img('picwish-like.jpg'), 100, LABELS_2));
    expect(pw).toContain('xmp:CreatorTool="PicWish"');
    expect(pw).toMatch(/ TC260:AIGC="\{&quot;Label&quot;/);
    const wrong = xmpOf(await stamp(jpegHandler, await img('wrong-uri.jpg'), 100, LABELS_2));
    expect(wrong).toContain('xmlns:TC260="http://ns.adobe.com/xap/1.0/tc/"');
    expect(readXmpLabels(wrong).gb45438Raw).toBe(serializeGb45438(LABELS_2.gb45438!));
  });

  it('reads Extended XMP', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:A="http://www.tc260.org.cn/ns/AIGC/1.0/" A:AIGC="{&quot;Label&quot;:&quot;1&quot;}"/></rdf:RDF></x:xmpmeta>';
    const body = Buffer.from(xmp);
    const half = Math.floor(body.length / 2);
    const ext = (off: number, part: Buffer): Buffer => {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(body.length, 0);
      h.writeUInt32BE(off, 4);
      return seg(
        0xe1,
        Buffer.concat([
          Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1'),
          Buffer.from('0123456789ABCDEF0123456789ABCDEF'),
          h,
          part,
        ]),
      );
    };
    const file = afterSoi(seed, ext(half, body.subarray(half)), ext(0, body.subarray(0, half)));
    const found = await jpegHandler.readLabels(src(file));
    expect(found.map((f) => f.foundIn)).toEqual(['Extended XMP (APP1)']);
    expect(found[0]!.raw).toBe('{"Label":"1"}');
  });

  it('caps Extended XMP at MAX_METADATA_BYTES', async () => {
    const ext = (full: number): Buffer => {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(full, 0);
      return seg(
        0xe1,
        Buffer.concat([
          Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1'),
          Buffer.from('0123456789ABCDEF0123456789ABCDEF'),
          h,
          Buffer.from('<a/>'),
        ]),
      );
    };
    expect(await jpegHandler.readLabels(src(afterSoi(seed, ext(MAX_METADATA_BYTES))))).toEqual([]);
    await expect(jpegHandler.readLabels(src(afterSoi(seed, ext(MAX_METADATA_BYTES + 1))))).rejects.toBeInstanceOf(LimitExceededError);
  });

  const XMP_NS = 'http://ns.adobe.com/xap/1.0/\0';
  const packet = (inner: string, padding = 0): string =>
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${inner}</rdf:RDF></x:xmpmeta>${' '.repeat(padding)}<?xpacket end="w"?>`;
  const withXmp = (xmp: string): Buffer => afterSoi(seed, seg(0xe1, Buffer.concat([Buffer.from(XMP_NS, 'latin1'), Buffer.from(xmp)])));
  /** A description of `n` bytes of real content (not padding). */
  const bulky = (n: number): string =>
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">${'history '.repeat(Math.ceil(n / 8)).slice(0, n)}</rdf:li></rdf:Alt></dc:description></rdf:Description>`;

  it('drops the padding of a packet that would no longer fit one APP1 segment', async () => {
    const base = Buffer.byteLength(packet(''));
    const full = withXmp(packet('', JPEG_XMP_MAX_BYTES - base));
    expect(await jpegHandler.readLabels(src(full))).toEqual([]);
    const out = await stamp(jpegHandler, full, 100, LABELS_1);
    const app1 = markers(out).filter((m) => m.marker === 0xe1);
    expect(app1.length).toBe(1);
    expect(readXmpLabels(xmpOf(out)).gb45438Raw).toBe(serializeGb45438(LABELS_1.gb45438!));
  });

  it('moves the rest of a packet that cannot fit into Extended XMP, keeping the label in the main packet', async () => {
    const original = packet(bulky(JPEG_XMP_MAX_BYTES - Buffer.byteLength(packet(bulky(0))) - 10));
    const input = withXmp(original);
    const out = await stamp(jpegHandler, input, 100, LABELS_1);
    const main = xmpOf(out);
    expect(readXmpLabels(main).gb45438Raw).toBe(serializeGb45438(LABELS_1.gb45438!));
    const guid = /<xmpNote:HasExtendedXMP>([0-9A-F]{32})<\/xmpNote:HasExtendedXMP>/.exec(main)?.[1];
    expect(guid).toBeDefined();
    // The extended segments reassemble to a packet whose MD5 is the GUID and which holds the rest.
    const ext = markers(out).filter(
      (m) => m.marker === 0xe1 && out.subarray(m.offset + 4, m.offset + 39).toString('latin1') === 'http://ns.adobe.com/xmp/extension/\0',
    );
    expect(ext.length).toBeGreaterThanOrEqual(1);
    const chunks = ext.map((m) => out.subarray(m.offset + 39, m.offset + 2 + m.length));
    const fullLength = chunks[0]!.readUInt32BE(32);
    const whole = Buffer.alloc(fullLength);
    for (const c of chunks) {
      expect(c.subarray(0, 32).toString('latin1')).toBe(guid);
      c.subarray(40).copy(whole, c.readUInt32BE(36));
    }
    expect(createHash('md5').update(whole).digest('hex').toUpperCase()).toBe(guid);
    expect(whole.toString('utf8')).toContain('history history');
    expect(whole.toString('utf8')).not.toContain('xpacket');
    // One label: readers see the main packet's; re-stamping keeps one label and the extension.
    const found = await jpegHandler.readLabels(src(out));
    expect(found.filter((f) => !f.foundIn.startsWith('IPTC')).map((f) => f.foundIn)).toEqual(['XMP (APP1)']);
    const again = await stamp(jpegHandler, out, 100, LABELS_2);
    expect(readXmpLabels(xmpOf(again)).gb45438Raw).toBe(serializeGb45438(LABELS_2.gb45438!));
    expect(xmpOf(again)).toContain(guid!);
    expect(markers(again).filter((m) => m.marker === 0xe1).length).toBe(1 + ext.length);
    expect((await sharp(out).metadata()).width).toBeGreaterThan(0);
  });

  it('splits a large extended packet into chunks at increasing offsets', () => {
    const original = packet(bulky(150_000));
    const segs = jpegXmpSegments(mergeXmp(original, LABELS_1), original, LABELS_1);
    expect(segs.length).toBe(4);
    const offsets = segs.slice(1).map((g) => Buffer.from(g).readUInt32BE(4 + 35 + 36));
    expect(offsets).toEqual([0, JPEG_XMP_EXT_CHUNK, 2 * JPEG_XMP_EXT_CHUNK]);
    for (const g of segs) expect(g.length).toBeLessThanOrEqual(65_537);
  });

  it('refuses a packet that cannot fit and already has Extended XMP', async () => {
    const note =
      '<rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="0123456789ABCDEF0123456789ABCDEF"/>';
    const input = withXmp(packet(note + bulky(JPEG_XMP_MAX_BYTES - Buffer.byteLength(packet(note + bulky(0))) - 10)));
    await expect(jpegHandler.planEmbed(src(input), 100, LABELS_1)).rejects.toBeInstanceOf(LimitExceededError);
    expect((await jpegHandler.planEmbed(src(input), 100)).exclusions.length).toBe(1);
  });
});

describe('JPEG hostile input', () => {
  const ops = (b: Uint8Array) => [
    () => jpegHandler.readManifest(src(b)),
    () => jpegHandler.readLabels(src(b)),
    () => jpegHandler.planEmbed(src(b), 100, LABELS_1),
    () => jpegHandler.planRemove(src(b)),
  ];

  it('gives MalformedInputError for truncated files and overlong segment lengths', async () => {
    for (const name of ['hostile/truncated-header.jpg', 'hostile/segment-too-long.jpg']) {
      for (const op of ops(await img(name))) await expect(op(), name).rejects.toBeInstanceOf(MalformedInputError);
    }
    for (const cut of [0, 1, 2, 3, 5, 19, 21, 40]) {
      for (const op of ops(seed.subarray(0, cut))) await expect(op(), `cut ${cut}`).rejects.toBeInstanceOf(MalformedInputError);
    }
    const notMarker = Buffer.from(seed);
    notMarker[20] = 0x12;
    await expect(jpegHandler.readManifest(src(notMarker))).rejects.toBeInstanceOf(MalformedInputError);
  });

  it('walks fill bytes and standalone markers and keeps them', async () => {
    const file = Buffer.concat([seed.subarray(0, 20), Buffer.from([0xff, 0xff, 0xff]), seed.subarray(20)]);
    const out = await stamp(jpegHandler, file, 100);
    expectSameBytes(await jpegHandler.readManifest(src(out)), makeFakeStore(100), 'store');
    expect(out.length).toBe(file.length + 112);
  });

  it('counts markers up to MAX_SEGMENTS and refuses one more', async () => {
    const com = Buffer.from([0xff, 0xfe, 0x00, 0x02]);
    const sos = seed.indexOf(Buffer.from([0xff, 0xda]));
    const make = (n: number): Buffer => Buffer.concat([seed.subarray(0, 2), Buffer.alloc(n * 4, com), seed.subarray(2)]);
    const before = markers(seed).findIndex((m) => m.offset === sos) + 1; // markers walked in the seed itself, SOS included
    expect(await jpegHandler.readManifest(src(make(MAX_SEGMENTS - before)))).toBeUndefined();
    await expect(jpegHandler.readManifest(src(make(MAX_SEGMENTS - before + 1)))).rejects.toBeInstanceOf(LimitExceededError);
  });
});
