/**
 * aigc-provenance — the Node.js entry: everything in the runtime-agnostic core plus the
 * services (stamp, verify, inspect, propagate), the PKI, the format handlers, the
 * manifest builder and the explicit-label renderers (sharp, ffmpeg).
 *
 * ```ts
 * import { loadSigner, stamp, verify, propagate } from 'aigc-provenance';
 * const signer = await loadSigner({ chainPath: 'svc/chain.pem', keyPath: 'svc/key.pem' });
 * await stamp('gen.png', { signer, producer: '001191000000EXAMPLE01P10000', output: 'out.png' });
 * const report = await verify('out.png', { trust: { anchorsPem } });
 * ```
 */
export * from './index.ts';
export { stamp, type StampOptions, type StampResult } from './service/stamp.ts';
export { embedFragmented, type FragmentedEmbedRequest, type FragmentedEmbedOutput } from './service/embed-fragments.ts';
export { verify, type VerifyOptions, type TrustOptions } from './service/verify.ts';
export { resolveTrust } from './verify/engine/trust-options.ts';
export { trustOptionsFromSettings } from './verify/engine/trust-settings.ts';
export { bundledTrustLists, type BundledList, type BundledListInfo } from './verify/engine/bundled-trust.ts';
export type { TrustConfig, TrustListInfo, TrustAnchorRef } from './verify/engine/context.ts';
export type { ManifestGeneration } from './verify/report/generation.ts';
export { inspect, formatInspectTree, type InspectOptions } from './service/inspect.ts';
export { propagate, type PropagateOptions, type PropagateResult } from './service/propagate.ts';
export { decidePrompt, isAiSourceType, type PlatformDecision, type DisplayPrompt } from './service/decision.ts';
export { decide, type DecideOptions } from './service/decide.ts';
export { uploadPolicy, type UploadPolicy } from './service/upload-policy.ts';
export { materializeInput, type InputLike } from './service/input-kinds.ts';
export { applyExplicitLabel, type ExplicitOptions } from './service/explicit.ts';
export { parseTranscodeSpec, type TranscodeOptions } from './service/transcode.ts';
export { openInput, type MediaInput } from './service/input.ts';
export { loadSigner, type LocalSigner, type LoadSignerOptions } from './crypto/local-signer.ts';
export type { Signer, CoseAlgorithm } from './crypto/signer.ts';
export { loadPkcs11Signer, type Pkcs11Signer, type Pkcs11SignerOptions, type Pkcs11KeyFacts } from './crypto/pkcs11-signer.ts';
export { generatePkcs11KeyPair } from './crypto/pkcs11-token.ts';
export { parsePkcs11Uri, type Pkcs11Uri } from './crypto/pkcs11-uri.ts';
export { createRemoteSigner, type RemoteSigner, type RemoteSignerOptions } from './crypto/remote-signer.ts';
export { startSigningGateway, type SigningGateway, type SigningGatewayOptions } from './crypto/signing-gateway.ts';
export * from './crypto/keys.ts';
export * from './pki/index.ts';
export * from './labels/security-data.ts';
export * from './labels/explicit/index.ts';
export { FORMAT_HANDLERS, detectHandler, detectSourceHandler, handlerById } from './formats/registry.ts';
export { FileSource } from './binary/file-source.ts';
export { brotliDecompress } from './binary/brotli-node.ts';
export { writeAtomic, writePartsAtomic } from './binary/atomic-write.ts';
export * as manifest from './manifest/index.ts';
export * from './watermark/index.ts';
