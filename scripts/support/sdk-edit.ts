/**
 * The reference SDK's "edit" intent: sign a file again, the SDK making the input the
 * `parentOf` ingredient (with its manifest store, `c2pa.opened` and recorded validation
 * results) — how the SDK builds a provenance chain.
 */
import path from 'node:path';
import { Builder, LocalSigner } from '@contentauth/c2pa-node';
import type { SdkAlg } from './sdk.ts';

/** Options of {@link sdkEdit}. */
export interface SdkEditOptions {
  readonly chainPem: string | Uint8Array;
  readonly keyPem: string | Uint8Array;
  readonly alg: SdkAlg;
  readonly format: string;
  /** Actions after the `c2pa.opened` the SDK adds (e.g. `c2pa.published`). */
  readonly actions?: readonly string[];
  /** Extra CBOR assertions (e.g. our GB 45438 assertion with propagation fields). */
  readonly assertions?: readonly { label: string; data: unknown }[];
}

/** Sign `inPath` into `outPath` with intent `edit`. Throws whatever the SDK throws. */
export function sdkEdit(inPath: string, outPath: string, opts: SdkEditOptions): void {
  const manifest = {
    claim_generator_info: [{ name: 'aigc-provenance-tests', version: '1' }],
    title: path.basename(outPath),
    format: opts.format,
    assertions: [
      ...(opts.actions?.length ? [{ label: 'c2pa.actions', data: { actions: opts.actions.map((action) => ({ action })) } }] : []),
      ...(opts.assertions ?? []),
    ],
  };
  const builder = Builder.withJson(manifest as never, { builder: { thumbnail: { enabled: false } } } as never);
  builder.setIntent('edit' as never);
  builder.sign(LocalSigner.newSigner(Buffer.from(opts.chainPem), Buffer.from(opts.keyPem), opts.alg), { path: inPath }, { path: outPath });
}
