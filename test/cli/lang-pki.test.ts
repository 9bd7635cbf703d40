/**
 * `aigc pki init|issue|revoke|crl|verify` in two languages (issue #16 item 2): Chinese under a zh
 * locale, today's English with `--lang en`; values (subjects, paths, serials, dates, codes) as
 * they are, and `pki verify --json` the same in both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aigc, type Run } from './helpers.ts';

const CODE = '001191000000EXAMPLE01P10000';
let tmp: string;
const runs: Record<string, Run[]> = {};

/** init → issue → revoke → crl → verify (human) → verify (--json), in one language. */
async function session(lang: 'zh' | 'en'): Promise<Run[]> {
  const dir = path.join(tmp, lang);
  const ca = path.join(dir, 'ca');
  const svc = path.join(dir, 'svc');
  const env = { LANG: 'zh_CN.UTF-8' };
  const extra = lang === 'en' ? ['--lang', 'en'] : [];
  const steps = [
    ['pki', 'init', '--out', ca],
    ['pki', 'issue', '--ca', ca, '--out', svc, '--service', 'Example Image Generator', '--org', 'Example AIGC Co', '--code', CODE],
    ['pki', 'revoke', '--ca', ca, '--cert', path.join(svc, 'chain.pem'), '--reason', 'keyCompromise'],
    ['pki', 'crl', '--ca', ca, '--out', path.join(dir, 'crl.pem')],
    ['pki', 'verify', path.join(svc, 'chain.pem'), '--trust', path.join(ca, 'root.pem'), '--crl', path.join(dir, 'crl.pem')],
    ['pki', 'verify', path.join(svc, 'chain.pem'), '--trust', path.join(ca, 'root.pem'), '--crl', path.join(dir, 'crl.pem'), '--json'],
  ];
  const out: Run[] = [];
  for (const s of steps) out.push(await aigc([...s, ...extra], { env }));
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aigc-lang-pki-'));
  const [zh, en] = await Promise.all([session('zh'), session('en')]);
  runs.zh = zh;
  runs.en = en;
}, 120_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('aigc pki in two languages', () => {
  it('init and issue', () => {
    const [initZh, issueZh] = runs.zh!;
    const [initEn, issueEn] = runs.en!;
    for (const r of [initZh, issueZh, initEn, issueEn]) expect(r!.code, r!.stderr).toBe(0);
    const ca = path.join(tmp, 'zh', 'ca');
    expect(initZh!.stdout).toMatch(
      new RegExp(`^已在 ${ca.replace(/[.]/g, '\\.')} 中创建 CA\\n  根证书：    .*CN=AIGC Provenance Test Root CA  （`),
    );
    expect(initZh!.stdout).toMatch(/\n {2}有效期至： {2}\d{4}-.*Z（根证书），\d{4}-.*Z（中间证书）\n$/);
    expect(initEn!.stdout).toMatch(
      /^created CA in .*\n {2}root: {9}.*\n {2}intermediate: .*\n {2}valid until: {2}.* \(root\), .* \(intermediate\)\n$/,
    );
    expect(issueZh!.stdout).toMatch(
      new RegExp(
        `^已签发 .*organizationIdentifier=${CODE}\\n  序列号 [0-9a-f]+，有效期 .* \\.\\. .*\\n  证书链：.*chain\\.pem\\n  密钥：  .*key\\.pem\\n$`,
      ),
    );
    expect(issueEn!.stdout).toMatch(
      new RegExp(
        `^issued .*organizationIdentifier=${CODE}\\n  serial [0-9a-f]+, valid .* \\.\\. .*\\n  chain: .*chain\\.pem\\n  key:   .*key\\.pem\\n$`,
      ),
    );
  });

  it('revoke and crl', () => {
    const [, , revokeZh, crlZh] = runs.zh!;
    const [, , revokeEn, crlEn] = runs.en!;
    expect(revokeZh!.stdout).toMatch(/^已吊销序列号 [0-9a-f]+；运行 'aigc pki crl' 以发布\n$/);
    expect(revokeEn!.stdout).toMatch(/^revoked serial [0-9a-f]+; run 'aigc pki crl' to publish\n$/);
    expect(crlZh!.stdout).toMatch(/^已把第 1 号 CRL 写入 .*crl\.pem：1 张证书已吊销，下次更新 \d{4}-.*Z\n$/);
    expect(crlEn!.stdout).toMatch(/^wrote CRL #1 to .*crl\.pem: 1 revoked, next update \d{4}-.*Z\n$/);
  });

  it('verify: the code kept, its standard explanation in Chinese with the own words in brackets; --json the same', () => {
    const [, , , , verifyZh, jsonZh] = runs.zh!;
    const [, , , , verifyEn, jsonEn] = runs.en!;
    expect(verifyZh!.code).toBe(1);
    expect(verifyEn!.code).toBe(1);
    expect(verifyZh!.stdout).toMatch(
      /^signingCredential\.revoked：签名证书已被吊销（certificate ".*" \(serial [0-9a-f]+\) was revoked on /,
    );
    expect(verifyEn!.stdout).toMatch(/^signingCredential\.revoked: certificate ".*" \(serial [0-9a-f]+\) was revoked on /);
    const shape = (s: string) => {
      const j = JSON.parse(s) as { code: string; path: string[]; explanation: string };
      return { code: j.code, path: j.path.length, explanation: j.explanation.replace(/[0-9a-f]{32}|\d{4}-[\d:T.-]+Z|\/[^"]+/g, 'X') };
    };
    expect(shape(jsonZh!.stdout)).toEqual(shape(jsonEn!.stdout));
    expect(jsonZh!.stdout).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
