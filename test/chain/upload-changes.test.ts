/**
 * An upload that changes while `propagate` runs (issue #10 item 6): it is opened, read and parsed
 * once, so the verification, the decision and the platform's ingredient all describe the same
 * bytes. Growing, replaced or truncated meanwhile, the result is either consistent (the output
 * verifies, its ingredient records what was verified) or a typed error, never an internal
 * message such as "Expected validationResults and claimSignature for an ingredient ...".
 * The upload is a 20 MB WAV, above the in-memory limit, so it is read by seeking while it changes.
 */
import { copyFile, open, rename, truncate } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/signer.ts';
import { ToolkitError } from '../../src/errors.ts';
import { IN_MEMORY_MAX_BYTES } from '../../src/service/input.ts';
import { propagate, type PropagateResult } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { gen } from '../helpers.ts';
import { CODES, ROOTS, signerFor, tempDir, trust } from './helpers.ts';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let platform: Signer;
let stamped = '';

beforeAll(async () => {
  tmp = await tempDir('upload-changes');
  platform = await signerFor('platform-a');
  stamped = tmp.file('stamped.wav');
  await stamp(gen('audio', 'bench-20mb.wav'), {
    signer: await signerFor('es256'),
    producer: CODES.producer,
    explicitLabel: false,
    output: stamped,
  });
  expect(statSync(stamped).size).toBeGreaterThan(IN_MEMORY_MAX_BYTES);
});
afterAll(() => tmp.cleanup());

/** Run propagate on `upload` while `change` runs (at most `rounds` steps, one per event-loop turn). */
async function propagateWhile(
  upload: string,
  output: string,
  change: (step: number) => Promise<void>,
  rounds: number,
): Promise<{ result?: PropagateResult; err?: unknown }> {
  let running = true;
  const changer = (async () => {
    for (let i = 0; running && i < rounds; i++) {
      await change(i);
      await new Promise((r) => setImmediate(r));
    }
  })();
  try {
    return { result: await propagate(upload, { signer: platform, propagator: CODES.platformA, trust: trust(), output }) };
  } catch (err) {
    return { err };
  } finally {
    running = false;
    await changer;
  }
}

/** The invariant: a typed error and no output, or an output that both verifiers accept with the upload's results in its ingredient. */
async function expectConsistent({ result, err }: { result?: PropagateResult; err?: unknown }, output: string): Promise<void> {
  if (!result) {
    expect(err).toBeInstanceOf(ToolkitError);
    expect((err as Error).message).not.toMatch(/Expected validationResults|claimSignature for an ingredient/);
    expect(existsSync(output)).toBe(false);
    return;
  }
  const ours = await verify(output, { trust: trust() });
  expect(ours.validation_state).toBe('Trusted');
  // The published file extends exactly the upload that was verified (whichever file the path named at open).
  expect(ours.chain.map((s) => s.role)).toEqual([...result.incoming.chain.map((s) => s.role), 'propagation']);
  expect(ours.chain.slice(0, -1).map((s) => s.manifest)).toEqual(result.incoming.chain.map((s) => s.manifest));
  const sdk = await sdkRead(output, { anchorsPem: await readFile(ROOTS, 'utf8') });
  expect(sdk?.validation_state).toBe('Trusted');
  expect(JSON.stringify(sdk)).not.toMatch(/Expected validationResults/);
}

describe('an upload that changes while propagate runs', () => {
  it('grows (appended to): the bytes present at open are what is verified and published', async () => {
    const upload = tmp.file('grows.wav');
    await copyFile(stamped, upload);
    const fh = await open(upload, 'a');
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    const output = tmp.file('grows-out.wav');
    try {
      await expectConsistent(
        await propagateWhile(
          upload,
          output,
          async () => {
            await fh.write(chunk);
          },
          400,
        ),
        output,
      );
    } finally {
      await fh.close();
    }
  });

  it('is replaced (another file renamed over it): the file opened first is the one published', async () => {
    const upload = tmp.file('replaced.wav');
    await copyFile(stamped, upload);
    const others = [tmp.file('other-0.wav'), tmp.file('other-1.wav')];
    await copyFile(gen('audio', 'seed.wav'), others[0]!);
    await copyFile(stamped, others[1]!);
    const output = tmp.file('replaced-out.wav');
    const swap = async (i: number) => {
      const from = others[i % 2]!;
      await copyFile(from, `${from}.next`);
      await rename(`${from}.next`, upload);
    };
    await expectConsistent(await propagateWhile(upload, output, swap, 200), output);
  });

  it('is truncated: a typed error (short read) or a consistent result, nothing half-written', async () => {
    const upload = tmp.file('truncated.wav');
    await copyFile(stamped, upload);
    const output = tmp.file('truncated-out.wav');
    const size = statSync(upload).size;
    const cut = async (i: number) => {
      await truncate(upload, Math.max(44, size - (i + 1) * 256 * 1024));
    };
    await expectConsistent(await propagateWhile(upload, output, cut, 60), output);
  });
});
