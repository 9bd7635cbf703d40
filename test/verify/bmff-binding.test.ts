/**
 * `c2pa.hash.bmff` v1, v2 and Merkle/fragment verification on the reference SDK's own
 * fixtures (fixtures/external/c2pa-rs, see its NOTICE): the BMFF code we log equals the
 * SDK's, tampering flips it, and an init segment with its fragment verifies (library and CLI).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { MAX_FRAGMENTS } from '../../src/binary/limits.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { repo } from '../helpers.ts';

const ext = (name: string): string =>
  repo('fixtures', 'external', 'c2pa-rs', name === 'test-anchors.pem' || name.startsWith('sdk-reports/') ? '' : 'signed', name);
const sdkReport = (name: string): { validation_results: { activeManifest: Record<string, { code: string }[]> } } =>
  JSON.parse(readFileSync(ext(`sdk-reports/${name}.json`), 'utf8'));

function codes(r: VerifyReport, kind: 'success' | 'failure', prefix: string): string[] {
  return (r.validation_results?.activeManifest[kind] ?? [])
    .map((e) => e.code)
    .filter((c) => c.startsWith(prefix))
    .sort();
}
function explanation(r: VerifyReport, code: string): string | undefined {
  const am = r.validation_results?.activeManifest;
  return [...(am?.success ?? []), ...(am?.failure ?? [])].find((e) => e.code === code)?.explanation;
}
/** A copy of `bytes` with one byte flipped inside the last top-level box (the media data). */
function flipNearEnd(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[out.length - 100] ^= 0xff;
  return out;
}

describe('c2pa.hash.bmff v1 and v2, as the SDK judges them', () => {
  for (const [name, label] of [
    ['legacy.mp4', 'c2pa.hash.bmff'],
    ['video1.mp4', 'c2pa.hash.bmff.v2'],
  ] as const) {
    it(`${name} (${label}): the BMFF code equals the SDK's`, async () => {
      const r = await verify(ext(name));
      const sdk = sdkReport(name).validation_results.activeManifest;
      const sdkBmff = ['success', 'failure'].flatMap((k) => sdk[k]!.map((e) => e.code)).filter((c) => c.startsWith('assertion.bmffHash'));
      expect(sdkBmff).toEqual(['assertion.bmffHash.match']);
      expect(codes(r, 'success', 'assertion.bmffHash')).toEqual(sdkBmff);
      expect(codes(r, 'failure', 'assertion.bmffHash')).toEqual([]);
      expect(r.validation_results?.activeManifest.failure.map((e) => e.code)).not.toContain('algorithm.unsupported');
      // every assertion.* code (hashed URIs and the binding) equals the SDK's
      for (const kind of ['success', 'failure'] as const)
        expect(codes(r, kind, 'assertion.')).toEqual(
          sdk[kind]!.map((e) => e.code)
            .filter((c) => c.startsWith('assertion.'))
            .sort(),
        );
    });
    it(`${name}: one flipped media byte is a bmffHash.mismatch`, async () => {
      const r = await verify(flipNearEnd(readFileSync(ext(name))));
      expect(codes(r, 'failure', 'assertion.bmffHash')).toEqual(['assertion.bmffHash.mismatch']);
      expect(r.validation_state).toBe('Invalid');
    });
  }
});

describe('fragmented MP4: init segment plus fragments', () => {
  it('dashinit.mp4 alone fails as in the SDK (an initHash needs fragments)', async () => {
    const r = await verify(ext('dashinit.mp4'));
    const sdk = sdkReport('dashinit.mp4').validation_results.activeManifest;
    expect(sdk.failure!.map((e) => e.code)).toContain('assertion.bmffHash.mismatch');
    expect(codes(r, 'failure', 'assertion.bmffHash')).toEqual(['assertion.bmffHash.mismatch']);
    expect(explanation(r, 'assertion.bmffHash.mismatch')).toMatch(/inithash must not be present for non-fragmented/);
  });
  it('dashinit.mp4 + dash1.m4s: every Merkle proof climbs to the stored row', async () => {
    const r = await verify(ext('dashinit.mp4'), { fragments: [ext('dash1.m4s')] });
    // the SDK's init-only codes, with the fragment check turning the mismatch into a match
    const sdk = sdkReport('dashinit.mp4').validation_results.activeManifest;
    const expected = ['success', 'failure']
      .flatMap((k) => sdk[k]!.map((e) => e.code))
      .filter((c) => c.startsWith('assertion.'))
      .map((c) => c.replace('bmffHash.mismatch', 'bmffHash.match'))
      .sort();
    expect([...codes(r, 'success', 'assertion.'), ...codes(r, 'failure', 'assertion.')].sort()).toEqual(expected);
    expect(codes(r, 'success', 'assertion.bmffHash')).toEqual(['assertion.bmffHash.match']);
    expect(codes(r, 'failure', 'assertion.bmffHash')).toEqual([]);
    // bytes work as well as paths
    const b = await verify(readFileSync(ext('dashinit.mp4')), { fragments: [readFileSync(ext('dash1.m4s'))] });
    expect(codes(b, 'success', 'assertion.bmffHash')).toEqual(['assertion.bmffHash.match']);
  });
  it('a tampered fragment, a fragment without a Merkle box, or a damaged init segment is a mismatch', async () => {
    const tampered = await verify(ext('dashinit.mp4'), { fragments: [flipNearEnd(readFileSync(ext('dash1.m4s')))] });
    expect(explanation(tampered, 'assertion.bmffHash.mismatch')).toMatch(/fragment 1 not valid/);
    const noMerkle = await verify(ext('dashinit.mp4'), { fragments: [readFileSync(ext('video1.mp4'))] });
    expect(explanation(noMerkle, 'assertion.bmffHash.mismatch')).toMatch(/no MerkleMap/);
    const init = Uint8Array.from(readFileSync(ext('dashinit.mp4')));
    init[4000 + 20] ^= 0x01; // inside moov/mvhd
    const badInit = await verify(init, { fragments: [ext('dash1.m4s')] });
    expect(explanation(badInit, 'assertion.bmffHash.mismatch')).toMatch(/inithash mismatch/);
  });
  it('truncated or mutated fragments give a mismatch report, never a throw', async () => {
    const frag = readFileSync(ext('dash1.m4s'));
    const cuts = [0, 7, 24, 68, 100, 209, 215, 721, 5000, frag.length - 1];
    for (const n of cuts) {
      const r = await verify(ext('dashinit.mp4'), { fragments: [frag.subarray(0, n)] });
      expect(codes(r, 'failure', 'assertion.bmffHash'), `cut at ${n}`).toEqual(['assertion.bmffHash.mismatch']);
    }
    let seed = 7;
    for (let i = 0; i < 20; i++) {
      const m = Uint8Array.from(frag);
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      m[seed % 721] ^= 1 + (seed % 255); // inside the boxes before mdat: headers, Merkle box, moof
      const r = await verify(ext('dashinit.mp4'), { fragments: [m] });
      expect(r.validation_results?.activeManifest).toBeDefined();
    }
  });
  it('a flat-hash file given fragments is refused as c2pa-rs refuses it', async () => {
    const r = await verify(ext('video1.mp4'), { fragments: [ext('dash1.m4s')] });
    expect(explanation(r, 'assertion.bmffHash.mismatch')).toMatch(/should not be present for a fragmented/);
  });
  it('bad fragment arguments are typed errors or error reports', async () => {
    await expect(verify(ext('dashinit.mp4'), { fragments: [42 as never] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(verify(ext('dashinit.mp4'), { fragments: Array(MAX_FRAGMENTS + 1).fill(ext('dash1.m4s')) })).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    const r = await verify(ext('dashinit.mp4'), { fragments: ['/nonexistent/seg.m4s'] });
    expect(r.error?.code).toBe('IO_ERROR');
  });
  it('CLI: aigc verify dashinit.mp4 --fragment dash1.m4s --json', async () => {
    const out = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [repo('cli', 'aigc.js'), 'verify', ext('dashinit.mp4'), '--fragment', ext('dash1.m4s'), '--json'],
        { env: { ...process.env, AIGC_TRUST: '' } },
        (_e, stdout) => resolve(stdout),
      );
    });
    const r = JSON.parse(out) as VerifyReport;
    expect(codes(r, 'success', 'assertion.bmffHash')).toEqual(['assertion.bmffHash.match']);
  });
});
