/**
 * Propagate of a large upload (issue #20): the upload's content hash runs on a second thread
 * while the new file is written, and is checked before the output is committed. What must stand:
 * the output is Trusted for both verifiers, the ingredient records exactly the results `verify`
 * gives for the upload, the upload is never modified, and a tampered upload (its content hash
 * does not match) is refused, or with `acceptInvalid` published with the mismatch recorded,
 * exactly as when the upload is given as bytes (hashed first, no deferral).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeferredHashes } from '../../src/binding/deferred-hash.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { RefusedError } from '../../src/errors.ts';
import { IN_MEMORY_MAX_BYTES } from '../../src/service/input.ts';
import { propagate } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify, type VerifyReport } from '../../src/service/verify.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';
import { CODES, ROOTS, signerFor, tempDir, trust } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let platform: Signer;
const uploads: Record<string, string> = {};
const MISMATCH: Record<string, string> = { wav: 'assertion.dataHash.mismatch', mp4: 'assertion.bmffHash.mismatch' };

/** An MP4 above the in-memory limit: the seed clip with a second `mdat` of 9 MiB of noise after its `moov`. */
function bigMp4(): Buffer {
  const seed = readFileSync(gen('video', 'seed.mp4'));
  const payload = randomBytes(9 * 1024 * 1024);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write('mdat', 4, 'latin1');
  return Buffer.concat([seed, header, payload]);
}

beforeAll(async () => {
  tmp = await tempDir('propagate-large');
  platform = await signerFor('platform-a');
  const producer = await signerFor('es256');
  const mp4 = tmp.file('big.mp4');
  await writeFile(mp4, bigMp4());
  for (const [ext, input] of [
    ['wav', gen('audio', 'bench-20mb.wav')],
    ['mp4', mp4],
  ] as const) {
    uploads[ext] = tmp.file(`stamped.${ext}`);
    await stamp(input, { signer: producer, producer: CODES.producer, explicitLabel: false, output: uploads[ext] });
    expect(statSync(uploads[ext]).size).toBeGreaterThan(IN_MEMORY_MAX_BYTES);
  }
}, 60_000);
afterAll(() => tmp.cleanup());
afterEach(() => vi.restoreAllMocks());

/** Watch the deferred hashes of the next propagate: whether any was deferred and how each settled. */
function watchDeferred(): () => Promise<{ deferred: boolean; settled: boolean }[]> {
  const spy = vi.spyOn(DeferredHashes.prototype, 'settle');
  return async () =>
    Promise.all(
      spy.mock.results.map(async (r, i) => ({
        deferred: (spy.mock.instances[i] as unknown as DeferredHashes).deferred,
        settled: await (r.value as Promise<boolean>),
      })),
    );
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const codes = (r: VerifyReport, kind: 'success' | 'failure'): string[] =>
  (r.validation_results?.activeManifest[kind] ?? []).map((e) => e.code);

/** A copy of `file` with one byte flipped at its middle (inside the hashed media data). */
async function tampered(file: string, name: string): Promise<string> {
  const bytes = await readFile(file);
  bytes[bytes.length >> 1] ^= 0xff;
  const out = tmp.file(name);
  await writeFile(out, bytes);
  return out;
}

type SdkIngredient = { validation_results?: { activeManifest?: { success: { code: string }[]; failure: { code: string }[] } } };

async function sdkIngredientCodes(file: string): Promise<{ state: string | undefined; success: string[]; failure: string[] }> {
  const sdk = await sdkRead(file, { anchorsPem: await readFile(ROOTS, 'utf8') });
  const active = sdk!.manifests[sdk!.active_manifest!] as { ingredients?: SdkIngredient[] };
  const results = active.ingredients?.[0]?.validation_results?.activeManifest;
  return {
    state: sdk?.validation_state,
    success: (results?.success ?? []).map((e) => e.code),
    failure: (results?.failure ?? []).map((e) => e.code),
  };
}

describe.each(['wav', 'mp4'])('propagate of a large %s upload', (ext) => {
  it('publishes a Trusted file whose ingredient records what verify reports; the upload is unchanged', async () => {
    const upload = uploads[ext]!;
    const before = sha(upload);
    const output = tmp.file(`out.${ext}`);
    const watched = watchDeferred();
    const result = await propagate(upload, { signer: platform, propagator: CODES.platformA, trust: trust(), output });
    // The upload's hash was deferred (it ran on the hashing thread during the write) and matched.
    const settled = await watched();
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.every((s) => s.deferred && s.settled)).toBe(true);
    expect(sha(upload)).toBe(before);
    const alone = await verify(upload, { trust: trust() });
    expect(result.incoming.validation_state).toBe('Trusted');
    expect(result.incoming.validation_results).toEqual(alone.validation_results);
    expect(codes(result.incoming, 'success')).toContain(MISMATCH[ext]!.replace('mismatch', 'match'));
    const ours = await verify(output, { trust: trust() });
    expect(ours.validation_state).toBe('Trusted');
    expect(ours.chain.map((s) => s.role)).toEqual(['creation', 'propagation']);
    const sdk = await sdkIngredientCodes(output);
    expect(sdk.state).toBe('Trusted');
    expect(sdk.success).toContain(MISMATCH[ext]!.replace('mismatch', 'match'));
    expect(sdk.failure).toEqual([]);
  }, 60_000);

  it('refuses a tampered upload as when it is given as bytes, writing nothing', async () => {
    const upload = await tampered(uploads[ext]!, `tampered.${ext}`);
    const before = sha(upload);
    const output = tmp.file(`refused.${ext}`);
    const watched = watchDeferred();
    const fromPath = await propagate(upload, { signer: platform, propagator: CODES.platformA, trust: trust(), output }).catch(
      (e: unknown) => e,
    );
    const fromBytes = await propagate(await readFile(upload), { signer: platform, propagator: CODES.platformA, trust: trust() }).catch(
      (e: unknown) => e,
    );
    expect(fromPath).toBeInstanceOf(RefusedError);
    // Deferred, found not to match, and the refusal came from the ordinary verification done again.
    expect((await watched()).some((s) => s.deferred && !s.settled)).toBe(true);
    expect(fromBytes).toBeInstanceOf(RefusedError);
    expect((fromPath as RefusedError).flag).toBe((fromBytes as RefusedError).flag);
    expect((fromPath as Error).message.replace(upload, 'the upload')).toBe((fromBytes as Error).message);
    expect(existsSync(output)).toBe(false);
    expect(sha(upload)).toBe(before);
  }, 60_000);

  it('with acceptInvalid, publishes the tampered upload with the mismatch in its ingredient', async () => {
    const upload = await tampered(uploads[ext]!, `accepted.${ext}`);
    const output = tmp.file(`accepted-out.${ext}`);
    const result = await propagate(upload, { signer: platform, propagator: CODES.platformA, trust: trust(), output, acceptInvalid: true });
    const alone = await verify(upload, { trust: trust() });
    expect(codes(alone, 'failure')).toContain(MISMATCH[ext]);
    expect(result.incoming.validation_results).toEqual(alone.validation_results);
    const sdk = await sdkIngredientCodes(output);
    expect(sdk.failure).toContain(MISMATCH[ext]);
    expect(sdk.success).not.toContain(MISMATCH[ext]!.replace('mismatch', 'match'));
  }, 60_000);
});
