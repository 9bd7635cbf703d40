/**
 * The `c2pa.hash.boxes` check of the content-hash step (JPEG and PNG): the hashing is
 * `binding/box-hash.ts`; this logs `assertion.boxesHash.*`.
 */
import type { ByteSource } from '../../../binary/byte-source.ts';
import { ToolkitError } from '../../../errors.ts';
import { verifyBoxHash } from '../../../binding/box-hash.ts';
import type { ManifestContext } from '../context.ts';
import { urls } from '../uri.ts';

export { BOX_HASH_LABEL } from '../../../manifest/assertions/box-hash.ts';
export { verifyBoxHash } from '../../../binding/box-hash.ts';

/** Check the box hash `label` of the context's manifest against `src`; logs `assertion.boxesHash.*`. */
export async function checkBoxHash(ctx: ManifestContext, src: ByteSource, label: string): Promise<void> {
  const t = ctx.asset.tracker;
  const url = urls.assertion(ctx.manifest, label);
  const known = ctx.result.known.get(label);
  if (known?.type !== 'box-hash') {
    t.add('assertion.boxesHash.mismatch', url, `asset hash error: ${ctx.result.malformed.get(label) ?? `${label} could not be read`}`);
    return;
  }
  let why: string | undefined;
  try {
    why = await verifyBoxHash(src, ctx.asset.formatId ?? 'unknown', known.value, ctx.manifest.claim?.alg);
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    why = err.message;
  }
  if (why === undefined) t.add('assertion.boxesHash.match', url, 'data hash valid');
  else t.add('assertion.boxesHash.mismatch', url, `asset hash error: ${why}`);
}
