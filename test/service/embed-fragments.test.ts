/**
 * Stamping a DASH stream kept as separate files (ffmpeg's init segment + three media
 * segments) with the Merkle form of `c2pa.hash.bmff.v3`: every segment verifies with the init
 * segment as it streams, tampering or reordering is caught, the segments still play, the Merkle
 * box sits where the reference SDK's own `dash1.m4s` has it, and the SDK reads the init segment
 * alone exactly as it reads its own `dashinit.mp4` (signature trusted, an initHash without
 * fragments is a mismatch), with the same codes as our verifier.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { decode } from 'cbor-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/binary/file-source.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { makeGb45438Label, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { embedFragmented } from '../../src/service/embed-fragments.ts';
import { verify } from '../../src/service/verify.ts';
import { CREATED_ACTIONS, sdkRead } from '../../scripts/support/sdk.ts';
import { ES256_PRODUCER_FLAGS, gen } from '../helpers.ts';
import { ffprobeTags, jumbfCborBoxes, tempDir, topLevel } from '../formats/bmff-helpers.ts';

const run = promisify(execFile);
const dash = (f: string): string => gen('fmp4', 'dash', f);
const SEGS = ['seg-1.m4s', 'seg-2.m4s', 'seg-3.m4s'];
const label = makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: 'dash-0001' });

let dir: string;
let init: string;
let segs: string[];
let root: string;
beforeAll(async () => {
  dir = await tempDir('dash');
  root = await readFile(gen('pki', 'es256', 'root.pem'), 'utf8');
  const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  const initSrc = await FileSource.open(dash('init.mp4'));
  const segSrcs = await Promise.all(SEGS.map((s) => FileSource.open(dash(s))));
  init = path.join(dir, 'init.mp4');
  segs = SEGS.map((s) => path.join(dir, s));
  try {
    const r = await embedFragmented(
      {
        init: initSrc,
        segments: segSrcs,
        signer,
        assertions: [CREATED_ACTIONS] as never,
        labels: { gb45438: label, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA },
      },
      init,
      segs,
    );
    expect(r.leaves).toBe(3);
  } finally {
    await Promise.all([initSrc, ...segSrcs].map((s) => s.close()));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Results = { success: readonly { code: string }[]; informational: readonly { code: string }[]; failure: readonly { code: string }[] };
function codes(r: Results | undefined): Record<string, string[]> {
  const pick = (l: readonly { code: string }[] | undefined) => [...new Set((l ?? []).map((s) => s.code))].sort();
  return { success: pick(r?.success), informational: pick(r?.informational), failure: pick(r?.failure) };
}

describe('a stamped DASH stream', () => {
  it('verifies Trusted with every segment, and with each segment alone as it streams', async () => {
    const all = await verify(init, { fragments: segs, trust: { anchorsPem: root } });
    expect(all.validation_state).toBe('Trusted');
    expect(codes(all.validation_results?.activeManifest).success).toContain('assertion.bmffHash.match');
    expect(all.labels?.gb45438?.found_in).toContain('MP4 moov/udta/meta keys:AIGC');
    for (const s of segs) {
      const one = await verify(init, { fragments: [s], trust: { anchorsPem: root } });
      expect(one.validation_state, s).toBe('Trusted');
    }
  });

  it('a flipped media byte or a segment from elsewhere is a mismatch naming the fragment', async () => {
    const bytes = new Uint8Array(await readFile(segs[1]!));
    bytes[bytes.length - 100] ^= 0x01;
    const bad = path.join(dir, 'bad.m4s');
    await writeFile(bad, bytes);
    const r = await verify(init, { fragments: [segs[0]!, bad], trust: { anchorsPem: root } });
    expect(r.validation_state).toBe('Invalid');
    const f = r.validation_results?.activeManifest?.failure.find((x) => x.code === 'assertion.bmffHash.mismatch');
    expect(f?.explanation).toMatch(/fragment 2/);
    const unsigned = await verify(init, { fragments: [dash('seg-1.m4s')], trust: { anchorsPem: root } });
    expect(unsigned.validation_state).toBe('Invalid');
  });

  it('the Merkle box sits before the moof as in the SDK fixture, sidx still points at the moof, and the stream plays', async () => {
    const sdkSeg = await readFile(path.join(import.meta.dirname, '../../fixtures/external/c2pa-rs/signed/dash1.m4s'));
    const keysOf = (d: Buffer, off: number): string[] => {
      const nul = d.indexOf(0, off + 28);
      return Object.keys(decode(d.subarray(nul + 1, off + d.readUInt32BE(off))) as object);
    };
    const sdkUuid = topLevel(sdkSeg).find(([t]) => t === 'uuid')!;
    for (const s of segs) {
      const d = await readFile(s);
      const top = topLevel(d);
      const types = top.map(([t]) => t);
      expect(types.indexOf('uuid')).toBe(types.indexOf('moof') - 1);
      const [, uo] = top[types.indexOf('uuid')]!;
      expect(d.subarray(uo + 8, uo + 24).toString('hex')).toBe('d8fec3d61b0e483c92975828877ec481');
      expect(keysOf(d, uo).filter((k) => k !== 'hashes')).toEqual(keysOf(sdkSeg, sdkUuid[1]).filter((k) => k !== 'hashes'));
      const sidx = top.find(([t]) => t === 'sidx');
      if (sidx) {
        const [, so, ss] = sidx;
        const firstOffset = d[so + 8] === 0 ? d.readUInt32BE(so + 24) : Number(d.readBigUInt64BE(so + 28));
        expect(so + ss + firstOffset).toBe(top[types.indexOf('moof')]![1]);
      }
    }
    const joined = path.join(dir, 'joined.mp4');
    await writeFile(joined, Buffer.concat([await readFile(init), ...(await Promise.all(segs.map((s) => readFile(s))))]));
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-nostdin', '-i', joined, '-f', 'null', '-']);
    expect(stderr.trim()).toBe('');
    expect((await ffprobeTags(init)).AIGC).toBe(serializeGb45438(label));
  });

  it('the init segment holds the Merkle form: no flat hash, initHash, 3 leaves, the root', async () => {
    const { mp4Handler } = await import('../../src/formats/mp4.ts');
    const src = await FileSource.open(init);
    try {
      const a = jumbfCborBoxes((await mp4Handler.readManifest(src))!).find((b) => b.path.endsWith('c2pa.hash.bmff.v3'))!.value as Record<
        string,
        unknown
      >;
      expect(a.hash).toBeUndefined();
      const [m] = a.merkle as { count: number; hashes: Uint8Array[]; initHash: Uint8Array; localId: number; uniqueId: number }[];
      expect(m!.count).toBe(3);
      expect(m!.hashes.length).toBe(1);
      expect(m!.initHash.length).toBe(32);
    } finally {
      await src.close();
    }
  });

  it('the SDK reads our init segment alone as it reads its own dashinit.mp4, with our codes', async () => {
    const sdk = await sdkRead(init, { anchorsPem: root });
    const ours = await verify(init, { trust: { anchorsPem: root } });
    expect(codes(sdk?.validation_results?.activeManifest).success).toContain('claimSignature.validated');
    expect(codes(sdk?.validation_results?.activeManifest).failure).toContain('assertion.bmffHash.mismatch');
    expect(codes(ours.validation_results?.activeManifest)).toEqual(codes(sdk?.validation_results?.activeManifest));
  });
});

describe('aigc stamp IN -o OUT --fragment SEG...', () => {
  it('stamps the stream beside OUT; aigc verify OUT --fragment ... says Trusted; an explicit label is refused', async () => {
    const { aigc } = await import('../cli/helpers.ts');
    const out = path.join(dir, 'cli');
    await run('mkdir', ['-p', out]);
    const frags = SEGS.flatMap((s) => ['--fragment', dash(s)]);
    const s = await aigc(['stamp', dash('init.mp4'), '-o', path.join(out, 'init.mp4'), ...frags, ...ES256_PRODUCER_FLAGS, '--no-explicit']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const v = await aigc([
      'verify',
      path.join(out, 'init.mp4'),
      ...SEGS.flatMap((x) => ['--fragment', path.join(out, x)]),
      '--trust',
      gen('pki', 'es256', 'root.pem'),
    ]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/Trusted/);
    const refused = await aigc(['stamp', dash('init.mp4'), '-o', path.join(out, 'again.mp4'), ...frags, ...ES256_PRODUCER_FLAGS]);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/--no-explicit/);
  });
});
