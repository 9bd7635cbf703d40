/**
 * Our stamp → the reference SDK and our verifier, for every container and both key types;
 * tampering gives the same verdict in both tools (issues #3, #4).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner, type LocalSigner } from '../../src/crypto/local-signer.ts';
import { stamp } from '../../src/service/stamp.ts';
import { propagate } from '../../src/service/propagate.ts';
import { verify } from '../../src/service/verify.ts';
import { openInput } from '../../src/service/input.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';

const PRODUCER = '001191000000EXAMPLE01P10000';
const MEDIA = [
  'images/seed.jpg',
  'images/seed.png',
  'webp/seed-vp8.webp',
  'audio/seed.wav',
  'audio/seed.mp3',
  'audio/seed.flac',
  'video/seed.m4a',
  'video/seed.mp4',
  'video/seed-faststart.mp4',
  'video/seed.mov',
];
const FORMAT_OF: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
};
const codes = (list: readonly { code: string }[] | undefined) => (list ?? []).map((e) => e.code);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-stamp-interop-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Where the embedded store starts in the file (its first 32 bytes found verbatim) and its length. */
async function storeSpan(file: string): Promise<{ at: number; length: number }> {
  const o = await openInput(file);
  try {
    const store = (await o.handler.readManifest(o.src))!;
    const bytes = await readFile(file);
    const at = bytes.indexOf(Buffer.from(store.subarray(0, 32)));
    expect(at).toBeGreaterThan(0);
    return { at, length: store.length };
  } finally {
    await o.close();
  }
}

async function flipped(file: string, offset: number, name: string): Promise<string> {
  const bytes = await readFile(file);
  bytes[offset] ^= 0x55;
  const out = path.join(dir, name);
  await writeFile(out, bytes);
  return out;
}

describe.each(['ed25519', 'es256'] as const)('stamp interop (%s)', (alg) => {
  let signer: LocalSigner;
  let anchorsPem: string;
  beforeAll(async () => {
    signer = await loadSigner({ chainPath: gen('pki', alg, 'chain.pem'), keyPath: gen('pki', alg, 'key.pem') });
    anchorsPem = await readFile(gen('pki', alg, 'root.pem'), 'utf8');
  });

  it.each(MEDIA)('%s: Trusted in the SDK and in ours; tampering caught by both', async (rel) => {
    const out = path.join(dir, `${alg}-${rel.replace(/\//g, '_')}`);
    await stamp(gen(rel), { signer, producer: PRODUCER, explicitLabel: false, output: out });
    const bmff = rel.startsWith('video/');
    const match = bmff ? 'assertion.bmffHash.match' : 'assertion.dataHash.match';
    const mismatch = bmff ? 'assertion.bmffHash.mismatch' : 'assertion.dataHash.mismatch';

    const sdk = await sdkRead(out, { anchorsPem });
    expect(sdk?.validation_state).toBe('Trusted');
    expect(codes(sdk?.validation_results?.activeManifest?.failure)).toEqual([]);
    expect(codes(sdk?.validation_results?.activeManifest?.success)).toContain(match);
    const ours = await verify(out, { trust: { anchorsPem } });
    expect(ours.validation_state).toBe('Trusted');
    expect(codes(ours.validation_results?.activeManifest.success).sort()).toEqual(
      codes(sdk?.validation_results?.activeManifest?.success).sort(),
    );
    expect(ours.labels.gb45438?.fields.ContentProducer).toBe(PRODUCER);
    // The report names this file's own MIME type (an M4A is audio/mp4, a MOV video/quicktime).
    expect(ours.format.mime).toBe(FORMAT_OF[path.extname(rel)]);

    // A byte of the media data (audio frames, image data, mdat) well away from the store: three
    // quarters in, unless the store covers that point (a last RIFF chunk), then halfway to the store.
    const size = (await readFile(out)).length;
    const { at, length } = await storeSpan(out);
    const quarter = Math.floor(size * 0.75);
    const target = quarter >= at - 64 && quarter < at + length + 64 ? Math.floor(at / 2) : quarter;
    const content = await flipped(out, target, `content-${alg}-${path.basename(rel)}`);
    const sdkContent = await sdkRead(content, { anchorsPem });
    const oursContent = await verify(content, { trust: { anchorsPem } });
    expect(sdkContent?.validation_state).toBe('Invalid');
    expect(codes(sdkContent?.validation_results?.activeManifest?.failure)).toContain(mismatch);
    expect(oursContent.validation_state).toBe('Invalid');
    expect(codes(oursContent.validation_results?.activeManifest.failure)).toContain(mismatch);

    // A byte inside the excluded manifest region: never silently passes.
    const inStore = await flipped(out, at + 600, `store-${alg}-${path.basename(rel)}`);
    const sdkStore = await sdkRead(inStore, { anchorsPem }).catch(() => null);
    const oursStore = await verify(inStore, { trust: { anchorsPem } });
    expect(sdkStore?.validation_state ?? 'Invalid').not.toBe('Trusted');
    expect(oursStore.validation_state).not.toBe('Trusted');
    expect(oursStore.validation_state).not.toBe('Valid');
  });
});

describe("a platform manifest names the ingredient's own MIME type", () => {
  it.each(['video/seed.m4a', 'video/seed.mov', 'video/seed.mp4'])('%s', async (rel) => {
    const producer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    const platform = await loadSigner({ chainPath: gen('pki', 'platform-a', 'chain.pem'), keyPath: gen('pki', 'platform-a', 'key.pem') });
    const anchorsPem = await readFile(gen('pki', 'roots.pem'), 'utf8');
    const stamped = path.join(dir, `fmt-${path.basename(rel)}`);
    const published = path.join(dir, `fmt-pub-${path.basename(rel)}`);
    await stamp(gen(rel), { signer: producer, producer: PRODUCER, explicitLabel: false, output: stamped });
    await propagate(stamped, { signer: platform, propagator: '001191000000EXAMPLEA2520000', trust: { anchorsPem }, output: published });
    const sdk = await sdkRead(published, { anchorsPem });
    expect(sdk?.validation_state).toBe('Trusted');
    const ingredients = sdk?.manifests[sdk.active_manifest!]?.ingredients as { format?: string }[];
    expect(ingredients.map((i) => i.format)).toEqual([FORMAT_OF[path.extname(rel)]]);
  });
});
