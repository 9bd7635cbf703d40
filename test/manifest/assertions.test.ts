import { describe, expect, it } from 'vitest';
import { buildActions, readActions } from '../../src/manifest/assertions/actions.ts';
import { buildIngredientV3, readIngredient } from '../../src/manifest/assertions/ingredient.ts';
import { encodeDataHash, readDataHash } from '../../src/manifest/assertions/data-hash.ts';
import { buildGb45438Assertion, readGb45438Assertion, GB45438_ASSERTION_LABEL } from '../../src/manifest/assertions/gb45438.ts';
import { isHardBindingLabel, isValidAssertionLabel, parseAssertionLabel } from '../../src/manifest/assertions/labels.ts';
import { readBmffHash } from '../../src/manifest/assertions/bmff-hash.ts';
import { readEmbeddedFile } from '../../src/manifest/assertions/embedded-file.ts';
import { decodeCbor, encodeCbor, type Tag } from '../../src/manifest/cbor.ts';
import { encodeBox } from '../../src/manifest/jumbf/box.ts';
import { encodeSuperbox, parseJumbf } from '../../src/manifest/jumbf/superbox.ts';
import { UUID_EMBEDDED_FILE } from '../../src/manifest/jumbf/c2pa-types.ts';
import { InvalidArgumentError, MalformedInputError, SigningError } from '../../src/errors.ts';

const rt = (v: unknown) => decodeCbor(encodeCbor(v)).value;
const uri = { url: 'self#jumbf=c2pa.assertions/c2pa.ingredient.v3', hash: new Uint8Array(32).fill(3) };

describe('assertions', () => {
  it('actions v2: created first with digitalSourceType, when as tag 0, read back', () => {
    const data = buildActions([
      {
        action: 'c2pa.created',
        digitalSourceType: 'http://x/trainedAlgorithmicMedia',
        softwareAgent: { name: 'M', version: '1' },
        when: '2026-01-02T03:04:05Z',
      },
      { action: 'c2pa.edited', parameters: { ingredients: [uri] } },
    ]);
    expect(((data.actions as Record<string, unknown>[])[0].when as Tag).tag).toBe(0);
    const a = readActions(rt(data), 2);
    expect(a.actions.map((x) => x.action)).toEqual(['c2pa.created', 'c2pa.edited']);
    expect(a.actions[0].softwareAgent).toEqual({ name: 'M', version: '1' });
    expect(a.actions[0].when).toBe('2026-01-02T03:04:05.000Z');
    expect(a.actions[1].ingredients).toEqual([uri]);
    expect(() => buildActions([{ action: 'c2pa.edited' }])).toThrow(InvalidArgumentError);
    expect(() => buildActions([{ action: 'c2pa.created' }])).toThrow(InvalidArgumentError);
    expect(() => buildActions([{ action: 'c2pa.opened' }, { action: 'c2pa.created', digitalSourceType: 'x' }])).toThrow(
      InvalidArgumentError,
    );
  });

  it('actions v1: softwareAgent string, parameters.ingredient', () => {
    const a = readActions(rt({ actions: [{ action: 'c2pa.opened', softwareAgent: 'Tool 1.0', parameters: { ingredient: uri } }] }), 1);
    expect(a.version).toBe(1);
    expect(a.actions[0].softwareAgent).toEqual({ name: 'Tool 1.0' });
    expect(a.actions[0].ingredients).toEqual([uri]);
    expect(() => readActions(rt({ nope: 1 }), 2)).toThrow(MalformedInputError);
  });

  it('ingredient v3 written; v1/v2/v3 read', () => {
    const v3 = buildIngredientV3({
      relationship: 'parentOf',
      title: 'p.jpg',
      format: 'image/jpeg',
      activeManifest: uri,
      claimSignature: uri,
      validationResults: { activeManifest: { success: [{ code: 'claimSignature.validated' }], informational: [], failure: [] } },
    });
    const r3 = readIngredient(rt(v3), 3);
    expect(r3).toMatchObject({ version: 3, relationship: 'parentOf', title: 'p.jpg', format: 'image/jpeg' });
    expect(r3.activeManifest).toEqual(uri);
    expect(r3.validationResults?.activeManifest?.success[0].code).toBe('claimSignature.validated');
    const r1 = readIngredient(
      rt({
        'dc:title': 'a',
        'dc:format': 'image/png',
        documentID: 'd',
        instanceID: 'i',
        c2pa_manifest: uri,
        relationship: 'componentOf',
        validationStatus: [{ code: 'x.y' }],
      }),
      1,
    );
    expect(r1).toMatchObject({
      version: 1,
      documentID: 'd',
      instanceID: 'i',
      relationship: 'componentOf',
      validationStatus: [{ code: 'x.y' }],
    });
    expect(r1.activeManifest).toEqual(uri);
    expect(
      readIngredient(rt({ 'dc:title': 'a', 'dc:format': 'f', relationship: 'parentOf', c2pa_manifest: uri }), 2).activeManifest,
    ).toEqual(uri);
    expect(() => buildIngredientV3({ relationship: 'parentOf', activeManifest: uri })).toThrow(InvalidArgumentError);
    expect(() => buildIngredientV3({ relationship: 'sibling' as 'parentOf' })).toThrow(InvalidArgumentError);
  });

  it('data hash pads to an exact size and reads back', () => {
    const input = { exclusions: [{ start: 2, length: 1000 }], hash: new Uint8Array(32) };
    const natural = encodeDataHash(input).length;
    for (const size of [natural, natural + 1, natural + 23, natural + 24, natural + 300]) {
      const b = encodeDataHash(input, size);
      expect(b.length).toBe(size);
      expect(readDataHash(decodeCbor(b).value)).toMatchObject({ exclusions: input.exclusions, name: 'jumbf manifest', alg: 'sha256' });
    }
    expect(() => encodeDataHash(input, natural - 1)).toThrow(SigningError);
    expect(() => readDataHash(rt({ exclusions: [{ start: -1, length: 2 }], hash: new Uint8Array(32) }))).toThrow(MalformedInputError);
  });

  it('bmff hash reads v2/v3 structures', () => {
    const r = readBmffHash(
      rt({
        exclusions: [{ xpath: '/moov/trak', subset: [{ offset: 16, length: 0 }], flags: new Uint8Array(3), exact: true }],
        alg: 'sha256',
        hash: new Uint8Array(32),
        name: 'n',
      }),
    );
    expect(r.exclusions[0]).toMatchObject({ xpath: '/moov/trak', subset: [{ offset: 16, length: 0 }], exact: true });
    expect(() => readBmffHash(rt({ exclusions: [{ xpath: 1 }] }))).toThrow(MalformedInputError);
  });

  it('GB 45438 assertion keeps the seven fields in order, plus explicit', () => {
    const label = {
      Label: '1',
      ContentProducer: 'P',
      ProduceID: 'I',
      ReservedCode1: '',
      ContentPropagator: '',
      PropagateID: '',
      ReservedCode2: '',
    };
    const data = buildGb45438Assertion(label, { kind: 'text-overlay', text: 'AI生成', position: 'bottom-right', relativeHeight: 0.05 });
    expect(Object.keys(data)).toEqual([
      'Label',
      'ContentProducer',
      'ProduceID',
      'ReservedCode1',
      'ContentPropagator',
      'PropagateID',
      'ReservedCode2',
      'explicit',
    ]);
    const r = readGb45438Assertion(rt(data));
    expect(r.label).toEqual(label);
    expect(r.explicit).toEqual({
      kind: 'text-overlay',
      text: 'AI生成',
      position: 'bottom-right',
      relativeHeight: 0.05,
      durationMs: undefined,
    });
    expect(GB45438_ASSERTION_LABEL).toBe('cn.aigc-provenance.gb45438');
    expect(() => readGb45438Assertion(rt({ Label: 1 }))).toThrow(MalformedInputError);
  });

  it('labels: versions, instances, hard bindings', () => {
    expect(parseAssertionLabel('c2pa.ingredient.v3__2')).toEqual({
      label: 'c2pa.ingredient.v3__2',
      base: 'c2pa.ingredient',
      version: 3,
      instance: 2,
    });
    expect(parseAssertionLabel('c2pa.actions')).toMatchObject({ base: 'c2pa.actions', version: 1, instance: 0 });
    expect(isHardBindingLabel('c2pa.hash.bmff.v2')).toBe(true);
    expect(isHardBindingLabel('c2pa.actions.v2')).toBe(false);
    expect(isValidAssertionLabel('cn.aigc-provenance.gb45438')).toBe(true);
    expect(isValidAssertionLabel('a..b')).toBe(false);
  });

  it('embedded files: bfdb media type and file name, bidb data', () => {
    const bfdb = new Uint8Array([0x01, ...Buffer.from('image/jpeg\0thumb.jpg\0')]);
    const box = encodeSuperbox({ type: UUID_EMBEDDED_FILE, label: 'c2pa.thumbnail.claim.jpeg' }, [
      encodeBox('bfdb', bfdb),
      encodeBox('bidb', new Uint8Array([0xff, 0xd8])),
    ]);
    expect(readEmbeddedFile(parseJumbf(box).root)).toEqual({
      mediaType: 'image/jpeg',
      fileName: 'thumb.jpg',
      external: false,
      data: new Uint8Array([0xff, 0xd8]),
    });
    const noData = encodeSuperbox({ type: UUID_EMBEDDED_FILE, label: 't' }, [encodeBox('bfdb', bfdb)]);
    expect(() => readEmbeddedFile(parseJumbf(noData).root)).toThrow(MalformedInputError);
  });
});
