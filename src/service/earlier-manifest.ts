/**
 * Earlier manifests are kept (issue #12 §4). When the file a service stamps already carries
 * a C2PA manifest store (an OpenAI image it post-processes, an SDK-signed photo), the store
 * becomes a `parentOf` `c2pa.ingredient.v3` of the new manifest, every manifest copied byte
 * for byte, with the validation results the service saw — as c2pa-rs's "edit" intent does —
 * and the new manifest's actions are `c2pa.opened` on it, then `c2pa.edited` (the AI
 * processing, with its digital source type). `replaceManifest` drops it instead; both say so.
 */
import type { OpenedInput } from './input.ts';
import { ToolkitError } from '../errors.ts';
import {
  ACTIONS_LABEL,
  buildActions,
  buildIngredientV3,
  INGREDIENT_LABEL,
  ingredientRefs,
  parseManifestStore,
  type ActionInput,
  type AssertionRef,
  type BuilderAssertion,
  type ManifestStore,
} from '../manifest/index.ts';
import type { VerifyReport } from '../verify/report/report.ts';

/** The earlier store of an input, when it has a usable (signed) one. */
export async function readEarlierStore(opened: OpenedInput): Promise<{ store?: ManifestStore; problem?: string }> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await opened.handler.readManifest(opened.src);
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    return { problem: `its manifest store could not be read (${err.message})` };
  }
  if (!bytes) return {};
  try {
    const store = parseManifestStore(bytes);
    return store.active?.signature ? { store } : { problem: 'its active manifest has no claim signature' };
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    return { problem: `its manifest store could not be parsed (${err.message})` };
  }
}

/** What happened to an input's earlier manifest. */
export interface EarlierManifest {
  /** `kept`: a parentOf ingredient; `replaced`: dropped by request; `unusable`: present but unreadable, dropped. */
  readonly action: 'kept' | 'replaced' | 'unusable';
  /** Label of the earlier active manifest. */
  readonly manifest?: string;
  /** Our verdict on it when it was kept. */
  readonly validation_state?: VerifyReport['validation_state'];
  /** A sentence for people (the CLI prints it). */
  readonly message: string;
}

/**
 * The ingredient and the actions of a manifest that edits a file carrying `store`.
 * `edits` are the actions after `c2pa.opened`.
 */
export function editAssertions(
  store: ManifestStore,
  report: VerifyReport,
  format: string,
  title: string | undefined,
  edits: ActionInput[],
): BuilderAssertion[] {
  const refs = ingredientRefs(store);
  const vr = report.validation_results;
  const ingredient = buildIngredientV3({
    relationship: 'parentOf',
    format,
    ...(title ? { title } : {}),
    ...(store.active?.claim?.instanceID ? { instanceID: store.active.claim.instanceID } : {}),
    activeManifest: refs.activeManifest,
    claimSignature: refs.claimSignature,
    validationResults: vr
      ? { activeManifest: vr.activeManifest, ingredientDeltas: vr.ingredientDeltas }
      : { activeManifest: { success: [], informational: [], failure: [] } },
  });
  return [
    {
      label: ACTIONS_LABEL,
      data: (ref: AssertionRef) =>
        buildActions([
          { action: 'c2pa.opened', when: edits[0]?.when ?? new Date(), parameters: { ingredients: [ref(INGREDIENT_LABEL)] } },
          ...edits,
        ]),
    },
    { label: INGREDIENT_LABEL, data: ingredient },
  ];
}
