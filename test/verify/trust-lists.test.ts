/**
 * Trust lists: the bundled C2PA trust list and TSA trust list (30 and 22 anchors, issued
 * 2026-08-05) are in force by default and named in the report; a replacement list makes a
 * file Trusted exactly when the SDK calls it Trusted under the same list, and the report
 * names the list and the anchor; user anchors, folders, settings files (c2patool TOML and
 * JSON, with an allowed list and an EKU list) and `aigc trust show`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Reader } from '@contentauth/c2pa-node';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { resolveTrust } from '../../src/verify/engine/trust-options.ts';
import { parseSettingsToml, trustOptionsFromSettings } from '../../src/verify/engine/trust-settings.ts';
import { repo } from '../helpers.ts';

const corpus = repo('fixtures', 'external', 'c2pa-rs');
const testAnchors = readFileSync(`${corpus}/test-anchors.pem`, 'utf8');

function aigc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repo('cli', 'aigc.js'), ...args],
      { cwd: repo(), env: { ...process.env, AIGC_TRUST: '' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('bundled lists', () => {
  it('are in force by default: the C2PA trust list for signers, the TSA list for time-stamp authorities', () => {
    const t = resolveTrust();
    expect(t.lists.map((l) => [l.id, l.name, l.count, l.source])).toEqual([
      ['c2pa', 'C2PA Trust List 2026-08-05 (bundled)', 30, 'bundled'],
      ['tsa', 'C2PA TSA Trust List 2026-08-05 (bundled)', 22, 'bundled'],
    ]);
    expect(t.anchors).toHaveLength(30);
    expect(t.tsaAnchors).toHaveLength(22);
    const google = t.anchors.find((a) => a.subject.text.includes('Google C2PA Root CA G3'))!;
    expect(t.anchorSources.get(google.fingerprint256)).toContain('C2PA Trust List 2026-08-05 (bundled)');
  });

  it('are off with defaultTrust: false; user anchors count for signers and TSAs', () => {
    expect(resolveTrust({ defaultTrust: false }).lists).toEqual([]);
    const t = resolveTrust({ defaultTrust: false, anchorsPem: testAnchors, sourceNames: { anchors: 'test-anchors.pem' } });
    expect(t.anchors.length).toBeGreaterThan(0);
    expect(t.tsaAnchors).toEqual(t.anchors);
    expect(t.lists.map((l) => l.name)).toEqual(['test-anchors.pem']);
  });

  it('corpus files the SDK reads untrusted under the bundled list are untrusted for us too', async () => {
    const pem = readFileSync(repo('assets', 'trust', 'C2PA-TRUST-LIST.pem'), 'utf8');
    for (const f of ['C.jpg', 'CACA.jpg', 'legacy_ingredient_hash.jpg']) {
      const file = `${corpus}/signed/${f}`;
      const sdk = (await Reader.fromAsset(
        { path: file },
        { verify: { verify_trust: true, remote_manifest_fetch: false, ocsp_fetch: false }, trust: { trust_anchors: pem } },
      ))!.json() as { validation_state: string };
      expect((await verify(file)).validation_state).toBe(sdk.validation_state);
    }
  });
});

describe('a replacement list (a newer download)', () => {
  for (const f of ['CACA.jpg', 'CA_ct.jpg', 'E-sig-CA.jpg']) {
    it(`${f}: the SDK's verdict and codes under the same list, and the anchor named`, async () => {
      const file = `${corpus}/signed/${f}`;
      const sdk = (await Reader.fromAsset(
        { path: file },
        { verify: { verify_trust: true, remote_manifest_fetch: false, ocsp_fetch: false }, trust: { trust_anchors: testAnchors } },
      ))!.json() as {
        validation_state: string;
        validation_results: { activeManifest: { success: { code: string }[]; failure: { code: string }[] } };
      };
      const ours = await verify(file, { trust: { trustListPem: testAnchors, sourceNames: { trustList: 'test-anchors.pem' } } });
      expect(ours.validation_state).toBe(sdk.validation_state);
      const codes = (l: { code: string }[]) => [...new Set(l.map((e) => e.code))].sort();
      expect(codes(ours.validation_results!.activeManifest.success)).toEqual(codes(sdk.validation_results.activeManifest.success));
      expect(codes(ours.validation_results!.activeManifest.failure)).toEqual(codes(sdk.validation_results.activeManifest.failure));
      if (sdk.validation_state === 'Trusted') {
        expect(ours.manifests[ours.active_manifest!]!.signature_info!.trust_anchor).toMatchObject({
          list: 'test-anchors.pem',
          subject: expect.stringContaining('C2PA Test Root CA'),
        });
      }
    });
  }
});

describe('settings files (c2patool style)', () => {
  const toml = `# c2patool settings\n[verify]\nverify_trust = true\n\n[trust]\nuser_anchors = """\n${testAnchors}"""\ntrust_config = '''\n1.3.6.1.5.5.7.3.1\n'''\ndefault_trust = false\n`;
  it('TOML: user anchors, EKU list, default lists off', () => {
    expect(parseSettingsToml('[a]\nx = "y" # c\nn = 3\nb = true\n').a).toEqual({ x: 'y', n: 3, b: true });
    // other c2patool sections with arrays and inline tables are skipped
    expect(parseSettingsToml('[builder]\nthumb = { enabled = false }\nlist = [\n  "a",\n  "b",\n]\n[trust]\nx = "y"\n').trust).toEqual({
      x: 'y',
    });
    const o = trustOptionsFromSettings(toml);
    expect(o).toMatchObject({ anchorsPem: expect.stringContaining('BEGIN CERTIFICATE'), ekus: '1.3.6.1.5.5.7.3.1\n', defaultTrust: false });
    // serverAuth can never be admitted (c2pa-rs reads it as a named flag); a private OID can, with c2pa-rs's // comments.
    expect(resolveTrust(o).extraEkus).toEqual([]);
    expect(resolveTrust({ defaultTrust: false, ekus: '// ours\n1.3.6.1.4.1.99999.1\n' }).extraEkus).toEqual(['1.3.6.1.4.1.99999.1']);
  });
  it('JSON as c2pa-node takes it, with an allowed list', () => {
    const o = trustOptionsFromSettings(
      JSON.stringify({ trust: { trust_anchors: testAnchors, allowed_list: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' } }),
    );
    expect(resolveTrust(o).allowedList).toEqual(['n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=']);
    expect(resolveTrust(o).lists.map((l) => l.id)).toEqual(['c2pa', 'tsa']);
  });
  it('bad settings are usage errors', () => {
    expect(() => trustOptionsFromSettings('[trust]\nuser_anchors = 3\n')).toThrow(/must be a string/);
    expect(() => trustOptionsFromSettings('[trust]\nuser_anchors = """never closed\n')).toThrow(/unterminated/);
    expect(() => resolveTrust({ ekus: 'not-an-oid' })).toThrow(/not an OID/);
  });
});

describe('CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trust-cli-'));
  copyFileSync(`${corpus}/test-anchors.pem`, path.join(dir, 'anchors.pem'));
  writeFileSync(path.join(dir, 'settings.toml'), `[trust]\nuser_anchors = """\n${testAnchors}"""\n`);
  const caca = `${corpus}/signed/CACA.jpg`;
  it('trust show prints the bundled lists with their dates; --json; --no-default-trust', async () => {
    const [text, json, none] = await Promise.all([
      aigc(['trust', 'show']),
      aigc(['trust', 'show', '--json']),
      aigc(['trust', 'show', '--no-default-trust']),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'C2PA Trust List 2026-08-05 (bundled): 30 anchor(s) for signers; source bundled; issued 2026-08-05T00:11:39Z',
    );
    expect(text.stdout).toContain('C2PA TSA Trust List 2026-08-05 (bundled): 22 anchor(s)');
    const j = JSON.parse(json.stdout) as { lists: { anchors: unknown[] }[] };
    expect(j.lists.map((l) => l.anchors.length)).toEqual([30, 22]);
    expect(none.stdout).toContain('no trust anchors');
  });
  it('verify: --trust takes a folder, --settings a c2patool file; the summary names the anchor', async () => {
    const [folder, settings, plain] = await Promise.all([
      aigc(['verify', caca, '--trust', dir]),
      aigc(['verify', caca, '--settings', path.join(dir, 'settings.toml')]),
      aigc(['verify', caca]),
    ]);
    expect(folder.code).toBe(0);
    expect(folder.stdout).toMatch(/trusted: anchor ".*C2PA Test Root CA.*" in /);
    expect(folder.stdout).toContain(`in ${path.basename(dir)}`);
    expect(settings.code).toBe(0);
    expect(settings.stdout).toContain('in settings user_anchors');
    expect(plain.code).toBe(3);
  });
});
