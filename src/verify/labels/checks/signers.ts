/**
 * Check `signers`: `ContentProducer` against the creation signer's provider code, and every
 * propagation step's `ContentPropagator` against that step's signer.
 */
import type { ChainStep } from '../../report/report.ts';
import type { AddStatus, LabelCheck } from '../label-check.ts';

function checkProducer(step: ChainStep, claimed: (string | undefined)[], add: AddStatus): void {
  const values = [...new Set(claimed.filter((v): v is string => !!v))];
  if (values.length === 0) return;
  const cert = step.signer?.provider_code;
  if (!cert) {
    add('gb45438.producer.unverified', step.manifest, `creation signer ${step.signer?.common_name ?? 'unknown'} carries no provider code`);
    return;
  }
  const bad = values.filter((v) => v !== cert);
  if (bad.length)
    add('gb45438.producer.mismatch', step.manifest, `ContentProducer ${bad.join(', ')} but the creation signer's provider code is ${cert}`);
  else add('gb45438.producer.match', step.manifest, `ContentProducer ${cert} is the creation signer's provider code`);
}

function checkPropagator(step: ChainStep, add: AddStatus): void {
  const claimed = step.label_fields!.ContentPropagator!;
  const cert = step.signer?.provider_code;
  if (!cert) add('gb45438.propagator.unverified', step.manifest, `signer of step ${step.index} carries no provider code`);
  else if (cert !== claimed)
    add('gb45438.propagator.mismatch', step.manifest, `ContentPropagator ${claimed} but the signer's provider code is ${cert}`);
  else add('gb45438.propagator.match', step.manifest, `ContentPropagator ${claimed} is the signer's provider code`);
}

/** Producer and propagator codes vs the signers' certificates. */
export const signersCheck: LabelCheck = {
  name: 'signers',
  run({ file, creation, chain }, add) {
    if (creation) checkProducer(creation, [file?.fields.ContentProducer, creation.label_fields?.ContentProducer], add);
    for (const s of chain) if (s.role === 'propagation' && s.label_fields?.ContentPropagator) checkPropagator(s, add);
  },
};
