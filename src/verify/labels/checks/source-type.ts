/**
 * Check `sourceType`: the label's `Label` value against the creation step's IPTC
 * `digitalSourceType` (AI output must be labelled 1, 2 or 3; `Label` 1 needs an AI type).
 */
import { isAiSourceType } from '../../../labels/implicit/types.ts';
import type { LabelCheck } from '../label-check.ts';

/** `Label` vs the creation `digitalSourceType`. */
export const sourceTypeCheck: LabelCheck = {
  name: 'sourceType',
  run({ file, signed, creation }, add) {
    const labelValue = file?.fields.Label || signed?.fields.Label;
    if (!creation?.digital_source_type || !labelValue) return;
    const ai = isAiSourceType(creation.digital_source_type);
    if (labelValue === '1' && !ai)
      add(
        'gb45438.label.sourceTypeMismatch',
        creation.manifest,
        `Label "1" (AI-generated) but digitalSourceType is ${creation.digital_source_type}`,
      );
    else if (ai && !['1', '2', '3'].includes(labelValue))
      add('gb45438.label.sourceTypeMismatch', creation.manifest, `digitalSourceType is AI but Label is ${JSON.stringify(labelValue)}`);
    else add('gb45438.label.sourceTypeMatch', creation.manifest);
  },
};
