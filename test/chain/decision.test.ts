/** `decidePrompt` on synthetic reports: the Art. 6 order of evidence and what it records. */
import { describe, expect, it } from 'vitest';
import { makeGb45438Label } from '../../src/labels/implicit/gb45438.ts';
import { decidePrompt, isAiSourceType } from '../../src/service/decision.ts';
import type { ManifestSummary, VerifyReport } from '../../src/verify/report/report.ts';

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

function report(o: { label?: string; iptc?: string; dst?: string; state?: VerifyReport['validation_state'] } = {}): VerifyReport {
  const manifests: Record<string, ManifestSummary> = o.dst
    ? {
        m: {
          label: 'm',
          claim_version: 2,
          assertions: [],
          ingredients: [],
          actions: [{ action: 'c2pa.created', digitalSourceType: o.dst }],
        },
      }
    : {};
  // A file may carry any Label value: set it after building a valid label.
  const fields =
    o.label !== undefined
      ? { ...makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: 'p' }), Label: o.label }
      : undefined;
  return {
    validation_state: o.state ?? null,
    c2pa_validation_state: o.state ?? null,
    active_manifest: o.dst ? 'm' : null,
    manifests,
    validation_results: null,
    validation_status: [],
    chain: [],
    format: { id: 'jpeg', mime: 'image/jpeg', extension: 'jpg' },
    warnings: [],
    labels: {
      gb45438: fields ? { fields, found_in: ['XMP (APP1)'], wrapped: false, decoded: {}, conflicts: [], warnings: [] } : null,
      iptc: o.iptc ? { digitalSourceType: o.iptc, found_in: ['XMP'] } : null,
      malformed: [],
      signed: null,
      status: [],
    },
  };
}

describe('decidePrompt', () => {
  it('the label wins over the declaration and traces, and its value is kept', () => {
    expect(decidePrompt(report({ label: '1' }), false)).toMatchObject({ prompt: 'ai-generated', label: '1' });
    expect(decidePrompt(report({ label: '3', dst: `${IPTC}trainedAlgorithmicMedia` }), true)).toMatchObject({
      prompt: 'suspected-ai-generated',
      label: '3',
    });
    expect(decidePrompt(report({ label: '2' }), true).reasons.join(' ')).toContain('also declared');
  });

  it('a label without security data is recorded as such (computed when the report has no findings)', () => {
    const d = decidePrompt(report({ label: '1' }));
    expect(d.evidence).toMatchObject({ producerSecurityData: 'absent', producerKey: null, propagatorSecurityData: null });
    expect(d.evidence.securityData).toEqual([expect.objectContaining({ field: 'ReservedCode1', status: 'absent' })]);
  });

  it('a Label value outside 1/2/3 counts as no label', () => {
    expect(decidePrompt(report({ label: '0' }), true)).toMatchObject({ prompt: 'possibly-ai-generated', label: '2' });
  });

  it('traces: a C2PA or IPTC AI source type; a camera capture is no trace', () => {
    expect(decidePrompt(report({ dst: `${IPTC}trainedAlgorithmicMedia`, state: 'Invalid' }))).toMatchObject({
      prompt: 'suspected-ai-generated',
      label: '3',
    });
    expect(decidePrompt(report({ iptc: `${IPTC}compositeWithTrainedAlgorithmicMedia` }))).toMatchObject({
      prompt: 'suspected-ai-generated',
      label: '3',
    });
    const camera = decidePrompt(report({ dst: `${IPTC}digitalCapture` }));
    expect(camera).toMatchObject({ prompt: 'none', label: null });
    expect(camera.evidence.c2paDigitalSourceType).toBe(`${IPTC}digitalCapture`);
  });

  it('isAiSourceType accepts the https spelling and rejects others', () => {
    expect(isAiSourceType(`https://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia`)).toBe(true);
    expect(isAiSourceType(`${IPTC}digitalCapture`)).toBe(false);
    expect(isAiSourceType('trainedAlgorithmicMedia')).toBe(false);
  });
});
