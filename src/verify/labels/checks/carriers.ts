/**
 * Check `carriers`: the file's own label — malformed carriers, present (and where), an
 * Annex E charset warning, carriers that disagree with the authoritative one, or missing.
 */
import type { LabelCheck } from '../label-check.ts';
import { labelDifferences } from '../label-check.ts';

/** The file's label carriers. */
export const carriersCheck: LabelCheck = {
  name: 'carriers',
  run({ collected, file }, add) {
    for (const m of collected.malformed) add('gb45438.label.malformed', m.found_in, m.message);
    if (file) {
      add('gb45438.label.present', file.found_in[0], `GB 45438 label found in ${file.found_in.join(', ')}`);
      for (const w of file.warnings) if (/Annex E/.test(w)) add('gb45438.label.charset', file.found_in[0], w);
      for (const c of file.conflicts)
        add(
          'gb45438.label.conflict',
          c.found_in,
          `${c.found_in} differs from ${file.found_in[0]}: ${labelDifferences(c.fields, file.fields)}`,
        );
    } else if (collected.malformed.length === 0) {
      add('gb45438.label.missing', undefined);
    }
  },
};
