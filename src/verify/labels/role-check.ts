/**
 * Roles in the chain (issue #12 §3): a creation step must not be signed by a propagator
 * certificate, a propagation step not by a producer certificate (an edit may be either),
 * and a signer whose OU and provider code disagree fits nowhere. The file's label must not
 * name, as ContentProducer, a code of the propagation service type or of a chain signer
 * that is a propagator; nor, as a ContentPropagator other than the producer itself (Annex E
 * Note 1 writes the producer's code there on first write), a producer's code.
 * Codes go to `labels.status` (`gb45438.role.mismatch`).
 */
import type { Gb45438Label } from '../../labels/implicit/types.ts';
import { codeRole, roleFrom } from '../../pki/service-role.ts';
import type { ServiceRole } from '../../pki/identity.ts';
import { stepName } from '../report/chain-integrity.ts';
import type { ChainStep } from '../report/report.ts';
import { status, type StatusEntry } from '../report/status-codes.ts';

const EXPECTED: Partial<Record<ChainStep['role'], ServiceRole>> = { creation: 'producer', propagation: 'propagator' };

/** Role checks of the chain's signers and of the label's provider codes. */
export function checkRoles(chain: readonly ChainStep[], label: Partial<Gb45438Label> | undefined): StatusEntry[] {
  const out: StatusEntry[] = [];
  const signerRoles = new Map<string, ServiceRole>();
  for (const s of chain) {
    const found = roleFrom(s.signer?.role, s.signer?.provider_code);
    if (found.conflict) {
      out.push(status('gb45438.role.mismatch', s.manifest, `${stepName(s)}: the signer's certificate fits no role: ${found.conflict}`));
      continue;
    }
    if (!found.role) continue;
    if (found.code) signerRoles.set(found.code, found.role);
    const wanted = EXPECTED[s.role];
    if (wanted && found.role !== wanted) {
      out.push(
        status(
          'gb45438.role.mismatch',
          s.manifest,
          `${stepName(s)} is a ${s.role} step but its signer holds a ${found.role} certificate${found.code ? ` (${found.code})` : ''}: only a ${wanted} may sign it`,
        ),
      );
    }
  }
  const producer = label?.ContentProducer;
  if (producer) {
    const r = signerRoles.get(producer) ?? codeRole(producer);
    if (r === 'propagator')
      out.push(
        status(
          'gb45438.role.mismatch',
          undefined,
          `ContentProducer ${producer} is a propagator's code (${signerRoles.has(producer) ? "its certificate in the chain is a propagator's" : 'service type 2'})`,
        ),
      );
  }
  const propagator = label?.ContentPropagator;
  if (propagator && propagator !== producer) {
    const r = signerRoles.get(propagator) ?? codeRole(propagator);
    if (r === 'producer')
      out.push(
        status(
          'gb45438.role.mismatch',
          undefined,
          `ContentPropagator ${propagator} is a producer's code (${signerRoles.has(propagator) ? "its certificate in the chain is a producer's" : 'service type 1'}), not the label's producer`,
        ),
      );
  }
  return out;
}
