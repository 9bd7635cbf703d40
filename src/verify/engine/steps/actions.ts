/**
 * Step `actions`: the action rules c2pa-rs enforces for v2 standard manifests (profile §2.1).
 * Exactly one `c2pa.created` or `c2pa.opened`, first in the first actions assertion; a
 * created action carries a `digitalSourceType`; `c2pa.opened` points through
 * `parameters.ingredients` at a `parentOf` ingredient of this manifest, and `c2pa.placed`/
 * `c2pa.removed`, when they name ingredients, at `componentOf` ones
 * (`assertion.action.malformed`, `assertion.action.ingredientMismatch`).
 */
import { checkHashedUri, withoutInstance, type Action, type HashedUri } from '../../../manifest/index.ts';
import type { ManifestContext, Step } from '../context.ts';
import { ingredientLinks } from '../ingredient-links.ts';
import { urls } from '../uri.ts';

const ACTION_LABELS = new Set(['c2pa.actions', 'c2pa.actions.v2']);
const FIRST = new Set(['c2pa.created', 'c2pa.opened']);
const WANTS: Readonly<Record<string, string>> = { 'c2pa.opened': 'parentOf', 'c2pa.placed': 'componentOf', 'c2pa.removed': 'componentOf' };

/** Check the actions assertions of a manifest. */
export const actionsStep: Step = {
  name: 'actions',
  onError: 'assertion.action.malformed',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset, result } = ctx;
    const t = asset.tracker;
    if (!m.claim) return;
    const labels = m.assertions.map((a) => a.label).filter((l) => ACTION_LABELS.has(withoutInstance(l)));
    const relOf = new Map(ingredientLinks(asset.store, m).map((l) => [l.assertion.box, l.ingredient?.relationship]));
    const strict = m.claim.version === 2 && m.type !== 'update';
    let firsts = 0;
    labels.forEach((label, n) => {
      const url = urls.assertion(m, label);
      const k = result.known.get(label);
      if (k?.type !== 'actions') {
        t.add('assertion.action.malformed', url, result.malformed.get(label) ?? `${label} could not be read`);
        return;
      }
      k.value.actions.forEach((a: Action, i: number) => {
        if (FIRST.has(a.action)) {
          firsts++;
          if (strict && (n > 0 || i > 0))
            t.add('assertion.action.malformed', url, `${a.action} must be the first action of the first actions assertion`);
          if (strict && firsts > 1) t.add('assertion.action.malformed', url, `more than one c2pa.created/c2pa.opened action`);
        }
        if (a.action === 'c2pa.created' && !a.digitalSourceType && strict) {
          t.add('assertion.action.malformed', url, 'c2pa.created has no digitalSourceType');
        }
        const wants = WANTS[a.action];
        if (!wants) return;
        if (a.ingredients.length === 0) {
          if (a.action === 'c2pa.opened' && strict) t.add('assertion.action.ingredientMismatch', url, 'c2pa.opened names no ingredient');
          return;
        }
        for (const ref of a.ingredients) {
          const problem = refProblem(ctx, ref, wants, relOf);
          if (problem) t.add('assertion.action.ingredientMismatch', url, `${a.action}: ${problem}`);
        }
      });
    });
    if (strict && labels.length > 0 && firsts === 0) {
      // c2pa-rs reports this one against the manifest label itself.
      t.add('assertion.action.malformed', m.label, 'no c2pa.created or c2pa.opened action');
    }
  },
};

function refProblem(ctx: ManifestContext, ref: HashedUri, wants: string, relOf: Map<unknown, string | undefined>): string | undefined {
  const r = checkHashedUri(ctx.asset.store.root, ctx.manifest.box, ref, ctx.manifest.claim?.alg);
  if (!r.target || r.status === 'missing') return `ingredient ${ref.url} not found`;
  if (!relOf.has(r.target)) return `${ref.url} is not an ingredient assertion of this manifest`;
  if (r.status !== 'match') return `hash of ${ref.url} does not match`;
  const rel = relOf.get(r.target);
  return rel === wants ? undefined : `ingredient ${ref.url} is ${rel ?? 'unreadable'}, not ${wants}`;
}
