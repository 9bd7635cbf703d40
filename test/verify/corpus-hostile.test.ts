/**
 * Hostile inputs: the reference SDK's own (`fixtures/external/c2pa-rs/hostile/`: a RIFF bomb,
 * a 1000-deep moov, an ID3v2.3 compression underflow, an invalid WAV, a JPEG signed with a
 * malformed signature) each give a clean report or a typed error from `verify` and
 * `inspect`; and an XMP packet nested past MAX_XML_DEPTH that declares the TC260 namespace
 * is reported with the limit as its cause, not as "label is not JSON".
 */
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_XML_DEPTH } from '../../src/binary/limits.ts';
import { inspect } from '../../src/service/inspect.ts';
import { verify } from '../../src/service/verify.ts';
import { repo } from '../helpers.ts';

const dir = repo('fixtures', 'external', 'c2pa-rs', 'hostile');

describe('the SDK hostile corpus', () => {
  const files = readdirSync(dir).sort();
  it('has the five files', () => expect(files).toHaveLength(5));
  for (const file of files) {
    it(`${file}: a clean report or a typed error, from verify and inspect`, async () => {
      const r = await verify(`${dir}/${file}`);
      if (r.error) expect(r.error.code).toMatch(/^[A-Z_]+$/);
      expect(r.error === undefined || r.error.code !== 'INTERNAL_ERROR').toBe(true);
      expect(['Trusted', 'Valid', 'Invalid', null]).toContain(r.validation_state);
      const i = await inspect(`${dir}/${file}`);
      expect(i.validation_state).toBe(r.validation_state);
    });
  }
  it('riff_bomb_1000.wav names the RIFF depth limit', async () => {
    const r = await verify(`${dir}/riff_bomb_1000.wav`);
    expect(r.error).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(r.error!.message).toContain('MAX_RIFF_DEPTH');
  });
});

describe('XMP nested past MAX_XML_DEPTH with the TC260 namespace', () => {
  const depth = MAX_XML_DEPTH + 20;
  const open = Array.from({ length: depth }, (_, i) => `<rdf:Description rdf:about=""><x${i}:a xmlns:x${i}="urn:x">`).join('');
  const close = Array.from({ length: depth }, (_, i) => `</x${depth - 1 - i}:a></rdf:Description>`).join('');
  const xmp =
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
    `<rdf:Description xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" TC260:AIGC='{"Label":"1"}'/>${open}${close}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  for (const [fmt, carrier] of [
    ['jpeg', 'XMP (APP1)'],
    ['png', 'PNG zTXt XMP'],
  ] as const) {
    it(`${fmt}: the malformed label gives the depth limit as its cause`, async () => {
      const img = sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).withXmp(xmp);
      const bytes = new Uint8Array(await (fmt === 'jpeg' ? img.jpeg() : img.png()).toBuffer());
      const r = await verify(bytes);
      expect(r.labels.malformed).toEqual([{ found_in: carrier, message: expect.stringContaining('MAX_XML_DEPTH') }]);
      expect(r.labels.malformed[0]!.message).not.toContain('not JSON');
      expect(r.labels.status.find((s) => s.code === 'gb45438.label.malformed')?.explanation).toContain(`${MAX_XML_DEPTH}`);
    });
  }
});
