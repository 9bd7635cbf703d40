/**
 * GB 45438 label cross-checks (`labels.status`) on synthetic inputs: each issue #6 forgery
 * pattern gives its code, and a consistent label/chain gives only successes.
 */
import { describe, expect, it } from 'vitest';
import { collectLabels } from '../../src/verify/labels/collect.ts';
import { checkLabels } from '../../src/verify/labels/labels-check.ts';
import type { ChainStep } from '../../src/verify/report/report.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
const PLATFORM = '001191000000EXAMPLEA2520000';
const AI = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
const label = (o: Record<string, string> = {}) => ({
  Label: '1',
  ContentProducer: PRODUCER,
  ProduceID: 'p-1',
  ReservedCode1: '',
  ContentPropagator: PRODUCER,
  PropagateID: 'p-1',
  ReservedCode2: '',
  ...o,
});
const carrier = (o: Record<string, string> = {}, foundIn = 'XMP (APP1)') => ({
  kind: 'gb45438' as const,
  foundIn,
  raw: JSON.stringify(label(o)),
});

function step(
  index: number,
  role: ChainStep['role'],
  code: string | undefined,
  fields?: Record<string, string>,
  actions?: string[],
): ChainStep {
  return {
    index,
    manifest: `urn:c2pa:m${index}`,
    role,
    actions: actions ?? (role === 'creation' ? ['c2pa.created'] : ['c2pa.opened', 'c2pa.published']),
    validation_state: 'Trusted',
    failures: [],
    ...(code ? { signer: { alg: 'Es256', provider_code: code } } : {}),
    ...(role === 'creation' ? { digital_source_type: AI } : {}),
    ...(fields ? { label_fields: fields } : {}),
  };
}

const codes = (s: { status: { code: string }[] }) => s.status.map((e) => e.code);

describe('GB 45438 label checks', () => {
  it('a consistent label and two-step chain: only successes', () => {
    const final = label({ ContentPropagator: PLATFORM, PropagateID: 'q-9' });
    const s = checkLabels(
      collectLabels([carrier({ ContentPropagator: PLATFORM, PropagateID: 'q-9' })]),
      [step(0, 'creation', PRODUCER, label()), step(1, 'propagation', PLATFORM, final)],
      true,
    );
    expect(codes(s)).toEqual([
      'gb45438.label.present',
      'gb45438.label.manifestMatch',
      'gb45438.producer.match',
      'gb45438.propagator.match',
      'gb45438.label.sourceTypeMatch',
      'gb45438.produceId.unchanged',
      'gb45438.securityData.absent',
      'gb45438.securityData.absent',
    ]);
    expect(s.signed).toEqual({ manifest: 'urn:c2pa:m1', fields: final });
  });

  it('propagation fields edited after signing: manifestMismatch', () => {
    const s = checkLabels(collectLabels([carrier({ PropagateID: 'edited' })]), [step(0, 'creation', PRODUCER, label())], true);
    expect(codes(s)).toContain('gb45438.label.manifestMismatch');
    expect(s.status.find((e) => e.code === 'gb45438.label.manifestMismatch')!.explanation).toContain('PropagateID');
  });

  it("a producer code in the XMP that is not the signer's: producer.mismatch", () => {
    const other = '001191000000EXAMPLEC3A18020';
    const s = checkLabels(collectLabels([carrier({ ContentProducer: other })]), [step(0, 'creation', PRODUCER, label())], true);
    expect(codes(s)).toEqual(expect.arrayContaining(['gb45438.label.manifestMismatch', 'gb45438.producer.mismatch']));
  });

  it("a platform that signs another platform's code: propagator.mismatch", () => {
    const s = checkLabels(
      collectLabels([]),
      [
        step(0, 'creation', PRODUCER, label()),
        step(1, 'propagation', '001191000000EXAMPLEB3920001', label({ ContentPropagator: PLATFORM })),
      ],
      true,
    );
    expect(codes(s)).toContain('gb45438.propagator.mismatch');
  });

  it('creation manifest stripped but the label claims a producer: label.orphaned', () => {
    const s = checkLabels(collectLabels([carrier()]), [step(0, 'propagation', PLATFORM, label({ ContentPropagator: PLATFORM }))], true);
    expect(codes(s)).toContain('gb45438.label.orphaned');
  });

  it('ProduceID changed, a second c2pa.created, Label 1 on a camera photo', () => {
    const camera = {
      ...step(0, 'creation', PRODUCER, label()),
      digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture',
    };
    const s = checkLabels(
      collectLabels([carrier()]),
      [camera, step(1, 'edit', PLATFORM, label({ ProduceID: 'other' }), ['c2pa.opened', 'c2pa.created'])],
      true,
    );
    expect(codes(s)).toEqual(
      expect.arrayContaining(['gb45438.produceId.changed', 'chain.created.notFirst', 'gb45438.label.sourceTypeMismatch']),
    );
  });

  it('carriers that disagree, unreadable carriers, no label, unsigned label', () => {
    expect(codes(checkLabels(collectLabels([carrier(), carrier({ ProduceID: 'x' }, 'EXIF UserComment')]), [], false))).toContain(
      'gb45438.label.conflict',
    );
    expect(
      codes(checkLabels(collectLabels([{ kind: 'gb45438' as const, foundIn: 'PNG tEXt AIGC', raw: '{not json' }]), [], false)),
    ).toEqual(['gb45438.label.malformed']);
    expect(codes(checkLabels(collectLabels([]), [], false))).toEqual(['gb45438.label.missing']);
    expect(codes(checkLabels(collectLabels([carrier()]), [], false))).toEqual([
      'gb45438.label.present',
      'gb45438.label.unsigned',
      'gb45438.securityData.absent',
    ]);
  });

  it('a creation signer without a provider code cannot vouch for ContentProducer', () => {
    expect(codes(checkLabels(collectLabels([carrier()]), [step(0, 'creation', undefined, label())], true))).toContain(
      'gb45438.producer.unverified',
    );
  });
});
