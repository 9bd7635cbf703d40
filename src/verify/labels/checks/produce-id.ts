/**
 * Check `produceId`: `ProduceID` unchanged along the chain and in the file, and a file label
 * whose ProduceID no manifest of the chain signs (`label.copied`: taken from another item).
 * Both start at the label's content item (`itemStart`: after a producer's restamp, the
 * earlier steps' ProduceIDs are another item's history).
 */
import type { LabelCheck } from '../label-check.ts';

/** ProduceID continuity. */
export const produceIdCheck: LabelCheck = {
  name: 'produceId',
  run({ file, chain: all, itemStart }, add) {
    const chain = all.filter((s) => s.index >= itemStart);
    const ids = [
      ...chain.filter((s) => s.label_fields?.ProduceID).map((s) => ({ where: s.manifest, id: s.label_fields!.ProduceID! })),
      ...(file?.fields.ProduceID ? [{ where: file.found_in[0]!, id: file.fields.ProduceID }] : []),
    ];
    if (ids.length > 1) {
      const changed = ids.find((x) => x.id !== ids[0]!.id);
      if (changed)
        add(
          'gb45438.produceId.changed',
          changed.where,
          `ProduceID ${JSON.stringify(changed.id)} in ${changed.where} differs from ${JSON.stringify(ids[0]!.id)} in ${ids[0]!.where}`,
        );
      else add('gb45438.produceId.unchanged', undefined, `ProduceID ${JSON.stringify(ids[0]!.id)} in ${ids.length} places`);
    }
    const signedIds = [...new Set(chain.map((s) => s.label_fields?.ProduceID).filter((v): v is string => !!v))];
    if (file?.fields.ProduceID && signedIds.length > 0 && !signedIds.includes(file.fields.ProduceID)) {
      const signedList = signedIds.map((v) => JSON.stringify(v)).join(', ');
      add(
        'gb45438.label.copied',
        file.found_in[0],
        `the label's ProduceID ${JSON.stringify(file.fields.ProduceID)} is signed by no manifest of this file's chain (which signs ${signedList}): the label was taken from another content item`,
      );
    }
  },
};
