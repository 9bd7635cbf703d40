/**
 * `stamp({ sidecar })`: the manifest store goes into a `.c2pa` file beside the media instead
 * of into it, as c2patool's sidecar output does. The media gets the GB 45438 metadata label
 * and no manifest; the manifest's hard binding covers the whole media file (`c2pa.hash.data`
 * without exclusions, or `c2pa.hash.bmff.v3` with the usual box exclusions), so a verifier
 * that finds `NAME.c2pa` beside `NAME.ext` checks the content as usual.
 *
 * How: the label and a manifest slot are written in one pass (the shared embed), the slot's
 * container is then removed by the handler (which patches offsets where the format has
 * them), and the sidecar manifest is signed over the final media.
 */
import { UnsupportedFormatError, said } from '../errors.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeAtomic, writePartsAtomic } from '../binary/atomic-write.ts';
import { BufferSource, type ByteSource } from '../binary/byte-source.ts';
import { FileSource } from '../binary/file-source.ts';
import { partsToBytes } from '../binary/parts.ts';
import { hashSourceExcluding } from '../binding/data-hash.ts';
import { bmffHashOfSource, defaultBmffExclusions } from '../binding/bmff-hash.ts';
import { prepareManifest } from '../manifest/index.ts';
import { CLAIM_GENERATOR, embedAndWrite, type EmbedOutput, type EmbedRequest } from './embed.ts';

/**
 * Write the labelled media (to `output`, or return its bytes) and its manifest store to `sidecar`.
 * @throws {ToolkitError} from the handler, the builder, the signer or the writers.
 */
export async function embedSidecar(req: EmbedRequest, output: string | undefined, sidecar: string): Promise<EmbedOutput> {
  const dir = await mkdtemp(path.join(output ? path.dirname(path.resolve(output)) : tmpdir(), '.aigc-sidecar-'));
  let staged: ByteSource | undefined;
  let final: ByteSource | undefined;
  try {
    const first = path.join(dir, 'embedded');
    await embedAndWrite(req, first);
    staged = await FileSource.open(first);
    const { parts } = await req.handler.planRemove(staged);
    let bytes: Uint8Array | undefined;
    if (output) {
      await writePartsAtomic(output, staged, parts);
      final = await FileSource.open(output);
    } else {
      bytes = await partsToBytes(staged, parts);
      final = new BufferSource(bytes);
    }
    const hardBinding = req.handler.hardBinding;
    if (hardBinding === 'none')
      throw new UnsupportedFormatError(
        said('err.sidecar.none', 'C2PA defines no manifest for {format}: there is nothing to write to a sidecar', {
          format: req.handler.id,
        }),
      );
    const bmffExclusions = hardBinding === 'bmff' ? defaultBmffExclusions() : undefined;
    const draft = prepareManifest({
      ...(bmffExclusions ? { bmffExclusions } : {}),
      signer: req.signer,
      claimGenerator: CLAIM_GENERATOR,
      assertions: req.assertions,
      hardBinding,
      ...(req.ingredientStores ? { ingredientStores: req.ingredientStores } : {}),
      ...(req.title ? { title: req.title } : {}),
      format: req.format ?? req.handler.mimeTypes[0],
    });
    const store = bmffExclusions
      ? await draft.finalize({ hash: await bmffHashOfSource(final, bmffExclusions, 'sha256') })
      : await draft.finalize({ exclusions: [], hash: await hashSourceExcluding(final, [], 'sha256') });
    await writeAtomic(sidecar, [store]);
    return { ...(bytes ? { bytes } : {}), manifestLabel: draft.manifestLabel, store };
  } finally {
    await staged?.close?.();
    await final?.close?.();
    await rm(dir, { recursive: true, force: true });
  }
}
