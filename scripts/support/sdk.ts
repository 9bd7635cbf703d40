/**
 * Test helpers around the reference C2PA SDK (`@contentauth/c2pa-node`), for interop tests:
 * sign a file with a chain + key (or with one of our `Signer`s through the SDK's callback
 * signer) and read a file back with our roots as the only trust anchors.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Builder, Reader, LocalSigner } from '@contentauth/c2pa-node';
import type { CoseAlgorithm, Signer } from '../../src/crypto/signer.ts';
import { toPem } from '../../src/pki/pem.ts';

/** One validation status entry as the SDK reports it. */
export interface SdkStatus {
  readonly code: string;
  readonly url?: string;
  readonly explanation?: string;
}

/** The parts of the SDK's manifest-store JSON the tests look at (c2pa-rs `ManifestStore` shape). */
export interface ManifestStore {
  readonly active_manifest?: string;
  readonly manifests: Record<string, Record<string, unknown>>;
  readonly validation_state?: 'Invalid' | 'Valid' | 'Trusted';
  readonly validation_status?: readonly SdkStatus[];
  readonly validation_results?: {
    readonly activeManifest?: {
      readonly success: readonly SdkStatus[];
      readonly informational: readonly SdkStatus[];
      readonly failure: readonly SdkStatus[];
    };
    readonly ingredientDeltas?: readonly unknown[];
  };
}

/** SDK algorithm names. */
export type SdkAlg = 'ed25519' | 'es256' | 'es384' | 'es512' | 'ps256' | 'ps384' | 'ps512';

/** Options of {@link sdkSign}. */
export interface SdkSignOptions {
  /** PEM chain (leaf first) and PKCS#8 key, used with the SDK's own LocalSigner. */
  readonly chainPem?: string | Uint8Array;
  readonly keyPem?: string | Uint8Array;
  readonly alg?: SdkAlg;
  /** Sign through one of our signers instead (SDK callback signer; the SDK builds the COSE). */
  readonly signer?: Signer;
  /** Let the SDK add a thumbnail (default false). */
  readonly thumbnail?: boolean;
  /** Assertions (default: one c2pa.actions with c2pa.created / trainedAlgorithmicMedia). */
  readonly assertions?: readonly object[];
  /** MIME type (default from the file extension). */
  readonly format?: string;
  readonly title?: string;
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.flac': 'audio/flac',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
};

/** The default created action of a generated asset. */
export const CREATED_ACTIONS = {
  label: 'c2pa.actions',
  data: {
    actions: [{ action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia' }],
  },
};

const SDK_ALG: Record<CoseAlgorithm, SdkAlg> = {
  Ed25519: 'ed25519',
  ES256: 'es256',
  ES384: 'es384',
  ES512: 'es512',
  PS256: 'ps256',
  PS384: 'ps384',
  PS512: 'ps512',
};

/** Sign `inPath` into `outPath` with the reference SDK. Throws whatever the SDK throws. */
export async function sdkSign(inPath: string, outPath: string, opts: SdkSignOptions): Promise<void> {
  const format = opts.format ?? MIME[path.extname(inPath).toLowerCase()];
  if (!format) throw new TypeError(`sdkSign: unknown format of ${inPath}; pass opts.format`);
  const manifest = {
    claim_generator_info: [{ name: 'aigc-provenance-tests', version: '1' }],
    title: opts.title ?? path.basename(outPath),
    format,
    assertions: opts.assertions ?? [CREATED_ACTIONS],
  };
  const builder = Builder.withJson(manifest as never, { builder: { thumbnail: { enabled: opts.thumbnail ?? false } } });
  if (opts.signer) {
    const signer = opts.signer;
    // The SDK's callback signer takes the chain as concatenated PEM.
    const pem = Buffer.from(signer.certChain.map((der) => toPem('CERTIFICATE', der)).join(''));
    await builder.signConfigAsync(
      async (data: Buffer) => Buffer.from(await signer.sign(new Uint8Array(data))),
      { alg: SDK_ALG[signer.alg], certs: [pem], reserveSize: 10_240 + pem.length, directCoseHandling: false },
      { path: inPath },
      { path: outPath },
    );
    return;
  }
  if (!opts.chainPem || !opts.keyPem || !opts.alg) throw new TypeError('sdkSign: give chainPem, keyPem and alg, or signer');
  const local = LocalSigner.newSigner(Buffer.from(opts.chainPem), Buffer.from(opts.keyPem), opts.alg);
  builder.sign(local, { path: inPath }, { path: outPath });
}

/** Options of {@link sdkRead}. */
export interface SdkReadOptions {
  /** PEM bundle of trust anchors (`trust.user_anchors`). */
  readonly anchorsPem?: string;
  /** `verify.verify_trust` (default true). */
  readonly verifyTrust?: boolean;
}

/** The SDK settings used to read with our anchors (c2pa-profile §3.5). */
export function sdkReadSettings(opts: SdkReadOptions = {}): object {
  return {
    verify: { verify_trust: opts.verifyTrust ?? true, remote_manifest_fetch: false, ocsp_fetch: false },
    ...(opts.anchorsPem ? { trust: { user_anchors: opts.anchorsPem } } : {}),
  };
}

/** Read a file's manifest store with the SDK; null when it has none. */
export async function sdkRead(filePath: string, opts: SdkReadOptions = {}): Promise<ManifestStore | null> {
  const reader = await Reader.fromAsset({ path: filePath }, sdkReadSettings(opts));
  return reader ? (reader.json() as unknown as ManifestStore) : null;
}

/** Read a PEM file as text (small convenience for tests). */
export async function pemText(file: string): Promise<string> {
  return readFile(file, 'utf8');
}
