/**
 * What the report tells an investigator about how each manifest is written (issue #11 item 7),
 * on the SDK's corpus: C2PA 1.x files (claim v1, `urn:uuid:` labels, the chain under the
 * unprotected text key, `sigTst` holding a whole TimeStampResp, stapled OCSP) and 2.x files
 * (claim v2, `sigTst2` with a TimeStampToken, an update manifest), in the JSON and in `inspect`.
 */
import { describe, expect, it } from 'vitest';
import { formatInspectTree, inspect } from '../../src/service/inspect.ts';
import { verify } from '../../src/service/verify.ts';
import { tokenForm } from '../../src/verify/report/generation.ts';
import { repo } from '../helpers.ts';

const file = (f: string) => repo('fixtures', 'external', 'c2pa-rs', 'signed', f);
const active = async (f: string) => {
  const r = await verify(file(f), { trust: { defaultTrust: false } });
  return r.manifests[r.active_manifest!]!;
};

describe('manifest generation', () => {
  it('a C2PA 1.x camera-style file: claim v1, unprotected x5chain, sigTst TimeStampResp, v1 actions with integer-array hashes read', async () => {
    const m = await active('legacy_ingredient_hash.jpg');
    expect(m.generation).toEqual({
      c2pa: '1.x',
      claim_version: 1,
      claim_label: 'c2pa.claim',
      manifest_type: 'standard',
      label_form: 'urn:uuid',
      x5chain: 'unprotected-text',
      timestamp: [{ header: 'sigTst', tokens: ['TimeStampResp'] }],
      assertions: [
        { label: 'c2pa.ingredient', version: 1 },
        { label: 'c2pa.ingredient__1', version: 1 },
        { label: 'c2pa.actions', version: 1 },
      ],
    });
    expect(m.actions.map((a) => a.action)).toEqual(['c2pa.opened', 'c2pa.color_adjustments', 'c2pa.placed', 'c2pa.resized']);
  });

  it('stapled OCSP and a 2.x manifest with sigTst2 and v3 ingredients; an update manifest', async () => {
    expect((await active('ocsp.jpg')).generation).toMatchObject({ c2pa: '1.x', x5chain: 'protected-33', ocsp_stapled: true });
    expect((await active('CACA.jpg')).generation).toMatchObject({
      c2pa: '2.x',
      claim_label: 'c2pa.claim.v2',
      label_form: 'urn:c2pa',
      timestamp: [{ header: 'sigTst2', tokens: ['TimeStampToken'] }],
      assertions: [
        { label: 'c2pa.ingredient.v3', version: 3 },
        { label: 'c2pa.actions.v2', version: 2 },
      ],
    });
    expect((await active('update_manifest.jpg')).generation).toMatchObject({ manifest_type: 'update', c2pa: '2.x' });
  });

  it('inspect prints it', async () => {
    const text = formatInspectTree(await inspect(file('legacy_ingredient_hash.jpg'), { trust: { defaultTrust: false } }), 'x');
    expect(text).toContain('generation: C2PA 1.x, c2pa.claim, urn:uuid label');
    expect(text).toContain('certificate chain: unprotected header, text key "x5chain" (C2PA 1.x)');
    expect(text).toContain('time-stamp: sigTst (TimeStampResp)');
    expect(text).toContain('actions (4)');
  });

  it('tells a TimeStampToken from a TimeStampResp by its first inner element', () => {
    expect(tokenForm(Uint8Array.of(0x30, 0x05, 0x06, 0x03, 0x2a, 0x86, 0x48))).toBe('TimeStampToken');
    expect(tokenForm(Uint8Array.of(0x30, 0x82, 0x01, 0x00, 0x30, 0x03, 0x02, 0x01, 0x00))).toBe('TimeStampResp');
    expect(tokenForm(Uint8Array.of(0x04, 0x00))).toBe('unknown');
  });
});
