/**
 * The fixed list of validation steps and the loop that runs them for one manifest. A step
 * that throws a ToolkitError is logged as its `onError` code and the next step runs; a
 * step that sets `result.stopped` ends the manifest's validation (no claim to check).
 */
import { MAX_INGREDIENT_DEPTH } from '../../binary/limits.ts';
import { ToolkitError } from '../../errors.ts';
import type { Manifest } from '../../manifest/index.ts';
import type { AssetContext, ManifestContext, ManifestResult, Step } from './context.ts';
import { actionsStep } from './steps/actions.ts';
import { claimStep } from './steps/claim.ts';
import { credentialStep } from './steps/credential.ts';
import { hardBindingsStep } from './steps/hard-binding.ts';
import { contentHashStep } from './steps/content-hash.ts';
import { updateManifestStep } from './steps/update-manifest.ts';
import { cawgIdentityStep } from './steps/cawg-identity.ts';
import { hashedUrisStep } from './steps/hashed-uris.ts';
import { ingredientsStep } from './steps/ingredients.ts';
import { signatureResultStep, signatureStep } from './steps/signature.ts';
import { timestampStep } from './steps/timestamp.ts';
import { ocspStep } from './steps/ocsp.ts';
import { urls } from './uri.ts';

/** The steps, in the order c2pa-rs logs their codes (profile §5). */
export const MANIFEST_STEPS: readonly Step[] = [
  claimStep,
  signatureStep,
  timestampStep,
  credentialStep,
  ocspStep,
  signatureResultStep,
  hashedUrisStep,
  hardBindingsStep,
  updateManifestStep,
  actionsStep,
  ingredientsStep,
  contentHashStep,
  cawgIdentityStep,
];

/**
 * Validate one manifest (the active one at depth 0, or an ingredient's). Each manifest is
 * validated once per asset; deeper than {@link MAX_INGREDIENT_DEPTH} logs `general.error`.
 * Never throws for bad manifest content (only for programming errors).
 */
export async function validateManifest(asset: AssetContext, manifest: Manifest, depth: number): Promise<ManifestResult | undefined> {
  if (asset.visited.has(manifest.label)) return asset.results.get(manifest.label);
  if (depth > MAX_INGREDIENT_DEPTH) {
    asset.tracker.add(
      'general.error',
      urls.manifest(manifest),
      `ingredient chain deeper than MAX_INGREDIENT_DEPTH (${MAX_INGREDIENT_DEPTH})`,
    );
    return undefined;
  }
  asset.visited.add(manifest.label);
  const result: ManifestResult = { manifest, validationTime: asset.now, known: new Map(), malformed: new Map() };
  asset.results.set(manifest.label, result);
  const ctx: ManifestContext = { asset, manifest, result, depth, active: depth === 0 };
  for (const step of MANIFEST_STEPS) {
    if (result.stopped) break;
    if (!ctx.active && !step.ingredients) continue;
    try {
      await step.run(ctx);
    } catch (err) {
      if (!(err instanceof ToolkitError)) throw err;
      asset.tracker.add(step.onError, urls.manifest(manifest), `${step.name}: ${err.message}`);
    }
  }
  return result;
}
