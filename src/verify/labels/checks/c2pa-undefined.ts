/**
 * Check `c2paUndefined`: the container is one for which C2PA defines no manifest embedding
 * (Matroska/WebM, FLV, Ogg). The report says so, so that "no manifest" is not read as a
 * stripped one: the label there is unsigned by C2PA and carries only its TC260 security data.
 */
import type { LabelCheck } from '../label-check.ts';

/** Informs that C2PA is not defined for the container. */
export const c2paUndefinedCheck: LabelCheck = {
  name: 'c2paUndefined',
  run({ context }, add) {
    const name = context?.c2paUndefinedFor;
    if (!name) return;
    add(
      'gb45438.c2pa.notDefined',
      undefined,
      `C2PA defines no manifest embedding for ${name}: the GB 45438 label is not signed by a C2PA manifest; its TC260 security data (ReservedCode1/2) is its only signature`,
    );
  },
};
