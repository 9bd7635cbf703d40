/**
 * GIF and AVI through the distribution chain: a producer stamps, a platform propagates as is
 * and re-encoded (`transcode`: an animated GIF keeps its frames, an AVI is re-encoded by
 * ffmpeg); every step is Trusted in the reference SDK and in ours, and the label carries the
 * platform's code where ffprobe / our reader look.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/signer.ts';
import { propagate } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { CODES, signerFor, tempDir, trust } from '../chain/helpers.ts';
import { gen } from '../helpers.ts';
import { ffmpegErrors, ffprobeTags } from './riff-kit.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let producer: Signer;
let platform: Signer;
beforeAll(async () => {
  tmp = await tempDir('gif-avi-chain');
  [producer, platform] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
});
afterAll(async () => tmp.cleanup());

describe.each([
  ['seed-anim.gif', 'image/gif'],
  ['seed-tags.avi', 'video/x-msvideo'],
])('%s: stamp, then propagate as is and re-encoded', (name, mime) => {
  it.each([false, true])('transcode=%s: Trusted in both tools, the platform in the label', async (transcode) => {
    const stamped = tmp.file(`stamped-${transcode}-${name}`);
    await stamp(gen('gif-avi', name), { signer: producer, producer: CODES.producer, explicitLabel: false, output: stamped });
    const out = tmp.file(`pub-${transcode}-${name}`);
    await propagate(stamped, {
      signer: platform,
      propagator: CODES.platformA,
      trust: trust(),
      ...(transcode ? { transcode: { quality: 60 } } : {}),
      output: out,
    });
    const ours = await verify(out, { trust: trust() });
    expect(ours.validation_state).toBe('Trusted');
    expect(ours.format.mime).toBe(mime);
    expect(ours.labels.gb45438?.fields.ContentPropagator).toBe(CODES.platformA);
    expect(ours.chain.map((s) => s.role)).toEqual(['creation', 'propagation']);
    const sdk = await sdkRead(out, { anchorsPem: trust().anchorsPem });
    expect(sdk?.validation_state).toBe('Trusted');
    if (mime === 'image/gif') {
      expect((await sharp(out, { animated: true }).metadata()).pages).toBe(
        (await sharp(gen('gif-avi', name), { animated: true }).metadata()).pages,
      );
    } else {
      expect(JSON.parse((await ffprobeTags(out)).AIGC!).ContentPropagator).toBe(CODES.platformA);
      expect(await ffmpegErrors(out)).toBe('');
    }
  });
});
