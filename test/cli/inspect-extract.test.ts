/** Investigator conveniences: `inspect --certs`, `inspect --extract DIR`, the certificate fingerprint, agents by name. */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gen } from '../helpers.ts';
import { aigc, type Run } from './helpers.ts';
import { verify } from '../../src/service/verify.ts';
import { extractStore } from '../../src/service/extract.ts';
import { agentName } from '../../src/verify/render/format-tree.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';

const FILE = gen('verify', 'chain-3.jpg');
let dir: string;
let certs: Run;
let extract: Run;
let report: VerifyReport;
let detailed: Run;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aigc-extract-'));
  [certs, extract, report, detailed] = await Promise.all([
    aigc(['inspect', FILE, '--certs']),
    aigc(['inspect', FILE, '--extract', path.join(dir, 'x')]),
    verify(FILE),
    aigc(['inspect', FILE, '--detailed', '--json']),
  ]);
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('inspect --certs', () => {
  it('prints the active signer chain as PEM, leaf first; the report carries the leaf fingerprint', () => {
    expect(certs.code, certs.stderr).toBe(0);
    const blocks = certs.stdout.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g)!;
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks.join('')).toBe(certs.stdout);
    const leaf = new X509Certificate(blocks[0]!);
    const info = report.manifests[report.active_manifest!]!.signature_info!;
    expect(leaf.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(info.cert_sha256);
    expect(leaf.subject).toContain(`CN=${info.common_name}`);
  });

  it('refuses several files and names a file without manifest', async () => {
    const many = await aigc(['inspect', FILE, FILE, '--certs']);
    expect(many.code).toBe(64);
    expect(many.stderr).toContain('--certs takes one FILE');
    const none = await aigc(['inspect', gen('images', 'seed.jpg'), '--certs']);
    expect(none.code).toBe(65);
    expect(none.stderr).toMatch(/^aigc: error \[MANIFEST_NOT_FOUND\]: no C2PA manifest store found in .*seed\.jpg\n$/);
  });
});

describe('inspect --extract DIR', () => {
  it('writes the store, a store per manifest, claims, signatures, chains and thumbnails', async () => {
    expect(extract.code, extract.stderr).toBe(0);
    const out = path.join(dir, 'x');
    const names = readdirSync(out).sort();
    const x = (await extractStore(FILE))!;
    expect(names).toContain('manifest_store.c2pa');
    expect(new Uint8Array(readFileSync(path.join(out, 'manifest_store.c2pa')))).toEqual(new Uint8Array(x.store));
    expect(names.filter((n) => /^\d\d-.*[^.]\.c2pa$/.test(n) && !n.includes('thumbnail'))).toHaveLength(x.manifests.length);
    expect(names.filter((n) => n.endsWith('.certs.pem'))).toHaveLength(x.manifests.length);
    const thumbs = names.filter((n) => n.includes('thumbnail') && n.endsWith('.jpg'));
    expect(thumbs.length).toBeGreaterThanOrEqual(1);
    for (const t of thumbs) expect([...readFileSync(path.join(out, t)).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    // each manifest's own store reads with that manifest active
    for (const [i, m] of x.manifests.entries()) {
      const file = names.find((n) => n.startsWith(`${String(i).padStart(2, '0')}-`) && /[^.]\.c2pa$/.test(n) && !n.includes('thumbnail'))!;
      const r = await verify(path.join(out, file));
      expect(r.active_manifest).toBe(m.label);
    }
    expect(extract.stdout.split('\n').filter(Boolean)).toHaveLength(names.length);
  });
});

describe('inspect --detailed', () => {
  it("adds each manifest's raw claim and COSE headers (x5chain certificates with fingerprints, padding sizes)", () => {
    expect(detailed.code, detailed.stderr).toBe(3); // no trust anchors given: Valid
    const r = JSON.parse(detailed.stdout) as VerifyReport & {
      detailed: Record<
        string,
        {
          claim: { alg?: string; signature?: string };
          cose: { protected: { alg: number; x5chain: { sha256: string }[] }; unprotected: Record<string, unknown> };
        }
      >;
    };
    expect(Object.keys(r.detailed).sort()).toEqual(Object.keys(r.manifests).sort());
    const active = r.detailed[r.active_manifest!]!;
    expect(active.claim.signature).toContain(r.active_manifest);
    expect(active.cose.protected.x5chain[0]!.sha256).toBe(r.manifests[r.active_manifest!]!.signature_info!.cert_sha256);
    expect(String(active.cose.unprotected.pad)).toMatch(/^<\d+ padding bytes>$/);
  });
});

describe('software agents by name', () => {
  it('shows name and version, strings as they are, anything else as JSON', () => {
    expect(agentName({ name: 'Image Generator', version: '2.1' })).toBe('Image Generator 2.1');
    expect(agentName('Dall-E')).toBe('Dall-E');
    expect(agentName({ id: 7 })).toBe('{"id":7}');
  });
});
