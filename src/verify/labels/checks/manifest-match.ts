/**
 * Check `manifestMatch`: the file's label against the latest GB 45438 assertion signed in
 * the chain (`manifestMatch` / `manifestMismatch`; `label.unsigned` when none signs one).
 */
import { sameGb45438 } from '../../../labels/implicit/gb45438.ts';
import type { LabelCheck } from '../label-check.ts';
import { labelDifferences } from '../label-check.ts';

/** File label vs the signed assertion. */
export const manifestMatchCheck: LabelCheck = {
  name: 'manifestMatch',
  run({ file, signed, hasStore }, add) {
    if (file && signed) {
      if (sameGb45438(file.fields, signed.fields))
        add('gb45438.label.manifestMatch', signed.manifest, `file label equals the assertion signed in ${signed.manifest}`);
      else
        add(
          'gb45438.label.manifestMismatch',
          signed.manifest,
          `file label differs from the assertion signed in ${signed.manifest}: ${labelDifferences(file.fields, signed.fields)}`,
        );
    } else if (file) {
      add(
        'gb45438.label.unsigned',
        file.found_in[0],
        hasStore ? 'no manifest in the chain signs a GB 45438 assertion' : 'the file has no C2PA manifest',
      );
    }
  },
};
