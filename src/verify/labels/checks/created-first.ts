/** Check `createdFirst`: `c2pa.created` may appear only at the chain's first step. */
import type { LabelCheck } from '../label-check.ts';

/** No creation action after the first step. */
export const createdFirstCheck: LabelCheck = {
  name: 'createdFirst',
  run({ chain }, add) {
    for (const s of chain.slice(1))
      if (s.actions.includes('c2pa.created'))
        add('chain.created.notFirst', s.manifest, `step ${s.index} (${s.manifest}) claims c2pa.created`);
  },
};
