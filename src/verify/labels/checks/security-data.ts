/**
 * Check `securityData`: the label's ReservedCode1/2 signatures and the certificates of
 * their keys (see `../security-check.ts`), on the file's label or else the signed one.
 */
import { checkSecurityData } from '../security-check.ts';
import type { LabelCheck } from '../label-check.ts';

/** GB 45438 security data. */
export const securityDataCheck: LabelCheck = {
  name: 'securityData',
  run({ file, signed, chain, context }, add) {
    const checked = file
      ? { fields: file.fields, where: file.found_in[0]! }
      : signed
        ? { fields: signed.fields, where: signed.manifest }
        : undefined;
    if (!checked) return;
    const certs = context?.signerCertificate
      ? { signerCertificate: context.signerCertificate, ...(context.checkedEarly ? { checkedEarly: context.checkedEarly } : {}) }
      : undefined;
    return { security_data: checkSecurityData(checked.fields, checked.where, chain, certs, add) };
  },
};
