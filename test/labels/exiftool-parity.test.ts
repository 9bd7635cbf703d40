/**
 * Every place a label can be, written by tools other than ours (exiftool itself, sharp,
 * hand-built chunks as Midjourney, ImageMagick and phone apps write them): whenever exiftool
 * shows a TC260 `AIGC` value or an IPTC DigitalSourceType in a file, our report shows the
 * same label and source type, with the carrier named.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { exiftool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/formats/common/crc32.ts';
import { verify } from '../../src/service/verify.ts';
import { gen, repo } from '../helpers.ts';

const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
const LABEL = {
  Label: '1',
  ContentProducer: '001191000000EXAMPLE01P10000',
  ProduceID: 'parity-0001',
  ReservedCode1: '',
  ContentPropagator: '',
  PropagateID: '',
  ReservedCode2: '',
};
const json = JSON.stringify(LABEL);
const XMP = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
 Iptc4xmpExt:DigitalSourceType="${DST}"><TC260:AIGC>${json}</TC260:AIGC></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'exif-parity-'));
afterAll(async () => {
  await exiftool.end();
});

function pngChunk(type: string, data: Uint8Array): Buffer {
  const t = Buffer.from(type, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([t, data])) >>> 0);
  return Buffer.concat([len, t, data, crc]);
}

/** A PNG with one extra text chunk after IHDR. */
function pngWith(chunk: Buffer): Buffer {
  const png = readFileSync(gen('images', 'seed.png'));
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

async function byExiftool(seed: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  copyFileSync(seed, file);
  const packet = path.join(dir, `${name}.xmp`);
  writeFileSync(packet, XMP);
  await exiftool.write(file, {}, { writeArgs: ['-overwrite_original', `-xmp<=${packet}`] });
  return file;
}

function written(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const rawProfile = (data: Buffer) => `\nxmp\n${String(data.length).padStart(8)}\n${data.toString('hex').replace(/(.{72})/g, '$1\n')}\n`;
/** A JPEG whose main XMP names an Extended XMP packet (split over two APP1 segments) that holds the label. */
function jpegWithExtendedXmp(): Buffer {
  const ext = Buffer.from(
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>${'x'.repeat(70_000)}</dc:description><TC260:AIGC>${json}</TC260:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>`,
    'utf8',
  );
  const guid = createHash('md5').update(ext).digest('hex').toUpperCase();
  const main = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmpNote:HasExtendedXMP="${guid}" Iptc4xmpExt:DigitalSourceType="${DST}"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  const seg = (payload: Buffer) =>
    Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  const segs = [seg(Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(main, 'utf8')]))];
  const CHUNK = 60_000;
  for (let off = 0; off < ext.length; off += CHUNK) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(ext.length, 0);
    head.writeUInt32BE(off, 4);
    segs.push(
      seg(
        Buffer.concat([
          Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1'),
          Buffer.from(guid, 'latin1'),
          head,
          ext.subarray(off, off + CHUNK),
        ]),
      ),
    );
  }
  const jpeg = readFileSync(gen('images', 'seed.jpg'));
  return Buffer.concat([jpeg.subarray(0, 2), ...segs, jpeg.subarray(2)]);
}

/** An MP3 with an ID3v2.3 tag holding a PRIV frame owned by "XMP" (Adobe XMP spec part 3). */
function mp3WithPrivXmp(): Buffer {
  const data = Buffer.concat([Buffer.from('XMP\0', 'latin1'), Buffer.from(XMP, 'utf8')]);
  const frame = Buffer.concat([
    Buffer.from('PRIV', 'latin1'),
    Buffer.from([data.length >>> 24, (data.length >> 16) & 255, (data.length >> 8) & 255, data.length & 255, 0, 0]),
    data,
  ]);
  const n = frame.length;
  const tag = Buffer.concat([
    Buffer.from('ID3', 'latin1'),
    Buffer.from([3, 0, 0, (n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127]),
    frame,
  ]);
  return Buffer.concat([tag, readFileSync(gen('audio', 'seed.mp3'))]);
}

/** A WAV with the XMP packet in a `_PMX` chunk at the end. */
function wavWithPmx(): Buffer {
  const wav = readFileSync(gen('audio', 'seed.wav'));
  let data = Buffer.from(XMP, 'utf8');
  const head = Buffer.alloc(8);
  head.write('_PMX', 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  if (data.length % 2) data = Buffer.concat([data, Buffer.alloc(1)]);
  const out = Buffer.concat([wav, head, data]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

const CASES: Record<string, { carrier: RegExp; make: () => Promise<string> }> = {
  'JPEG APP1 XMP (exiftool)': { carrier: /^XMP \(APP1\)$/, make: () => byExiftool(gen('images', 'seed.jpg'), 'app1.jpg') },
  'JPEG Extended XMP (a 70 KB packet)': {
    carrier: /^Extended XMP \(APP1\)$/,
    make: async () => written('extended.jpg', jpegWithExtendedXmp()),
  },
  'PNG iTXt XMP (exiftool)': { carrier: /^PNG iTXt XMP$/, make: () => byExiftool(gen('images', 'seed.png'), 'itxt.png') },
  'PNG zTXt XMP (sharp / libvips)': {
    carrier: /^PNG zTXt XMP$/,
    make: async () => written('ztxt.png', await sharp(gen('images', 'seed.png')).withXmp(XMP).png().toBuffer()),
  },
  'PNG tEXt XMP (Midjourney)': {
    carrier: /^PNG tEXt XMP$/,
    make: async () => written('text.png', pngWith(pngChunk('tEXt', Buffer.from(`XML:com.adobe.xmp\0${XMP}`, 'latin1')))),
  },
  'PNG zTXt Raw profile (ImageMagick)': {
    carrier: /^PNG zTXt Raw profile XMP$/,
    make: async () =>
      written(
        'raw.png',
        pngWith(
          pngChunk(
            'zTXt',
            Buffer.concat([
              Buffer.from('Raw profile type xmp\0\0', 'latin1'),
              deflateSync(Buffer.from(rawProfile(Buffer.from(XMP, 'utf8')), 'latin1')),
            ]),
          ),
        ),
      ),
  },
  'WebP XMP chunk (exiftool)': { carrier: /XMP/, make: () => byExiftool(gen('webp', 'seed-vp8x.webp'), 'x.webp') },
  'MP4 XMP (exiftool)': { carrier: /XMP/, make: () => byExiftool(gen('video', 'seed.mp4'), 'x.mp4') },
  'MOV XMP (exiftool)': { carrier: /XMP/, make: () => byExiftool(gen('video', 'seed.mov'), 'x.mov') },
  'MP3 ID3 PRIV XMP': { carrier: /^ID3 PRIV XMP$/, make: async () => written('x.mp3', mp3WithPrivXmp()) },
  'WAV _PMX XMP': { carrier: /XMP/, make: async () => written('x.wav', wavWithPmx()) },
  'M4A XMP (exiftool)': { carrier: /XMP/, make: () => byExiftool(gen('video', 'seed.m4a'), 'x.m4a') },
};

describe('exiftool and we see the same labels', () => {
  for (const [title, { carrier, make }] of Object.entries(CASES)) {
    it(title, async () => {
      const file = await make();
      const tags = (await exiftool.readRaw(file, ['-G1', '-XMP-TC260:all', '-XMP-iptcExt:DigitalSourceType'])) as Record<string, unknown>;
      const aigc = Object.entries(tags).find(([k]) => /^XMP-TC260:Aigc$/i.test(k))?.[1];
      const dst = tags['XMP-iptcExt:DigitalSourceType'];
      expect(aigc ?? dst, 'exiftool sees the labels').toBeDefined();
      const r = await verify(file, { trust: { defaultTrust: false } });
      if (aigc !== undefined) {
        expect(r.labels.gb45438?.fields).toEqual(JSON.parse(String(aigc)));
        expect(r.labels.gb45438!.found_in.some((f) => carrier.test(f))).toBe(true);
      }
      if (dst !== undefined) expect(r.labels.iptc?.digitalSourceType).toBe(dst);
    });
  }
});

describe('the IPTC source types exiftool reads from C2PA manifests are in our report', () => {
  const signed = path.join(repo('fixtures', 'external', 'c2pa-rs', 'signed'));
  it('on the SDK corpus', async () => {
    let seen = 0;
    for (const f of readdirSync(signed).filter((n) => /\.(jpg|mp4)$/.test(n))) {
      const tags = (await exiftool.readRaw(path.join(signed, f), ['-G1', '-a', '-CBOR:ActionsDigitalSourceType'])) as Record<
        string,
        unknown
      >;
      const theirs = Object.entries(tags)
        .filter(([k]) => k.startsWith('CBOR:ActionsDigitalSourceType'))
        .flatMap(([, v]) =>
          String(v)
            .split(',')
            .map((x) => x.trim()),
        );
      const r = await verify(path.join(signed, f), { trust: { defaultTrust: false } });
      const ours = Object.values(r.manifests)
        .flatMap((m) => m.actions.map((a) => a.digitalSourceType?.trim()))
        .filter(Boolean);
      for (const t of theirs) expect(ours, `${f}: ${t}`).toContain(t);
      seen += theirs.length;
    }
    expect(seen).toBeGreaterThan(0);
  });
});
