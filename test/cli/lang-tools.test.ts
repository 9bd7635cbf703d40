/**
 * The tool commands in two languages (issue #16): `aigc trust show`, `aigc pki show`,
 * `aigc recover`, `aigc watermark` and `aigc log` print Chinese under a zh locale and today's English with `--lang en`;
 * their `--json` output does not depend on the language.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gen } from '../helpers.ts';
import { aigc, type Run } from './helpers.ts';

const ZH = { LANG: 'zh_CN.UTF-8' };
const CHAIN = () => gen('pki', 'es256', 'chain.pem');
let tmp: string;

const CASES: Record<string, [() => string[], NodeJS.ProcessEnv]> = {
  trustZh: [() => ['trust', 'show'], ZH],
  trustEn: [() => ['trust', 'show', '--lang', 'en'], ZH],
  trustJsonZh: [() => ['trust', 'show', '--json'], ZH],
  trustJsonEn: [() => ['trust', 'show', '--json', '--lang', 'en'], {}],
  pkiZh: [() => ['pki', 'show', CHAIN()], ZH],
  pkiEn: [() => ['pki', 'show', CHAIN(), '--lang', 'en'], ZH],
  pkiJsonZh: [() => ['pki', 'show', CHAIN(), '--json'], ZH],
  pkiJsonEn: [() => ['pki', 'show', CHAIN(), '--json', '--lang', 'en'], {}],
  recoverZh: [() => ['recover', '--repo', path.join(tmp, 'repo-zh'), gen('images', 'seed.jpg')], ZH],
  wmEmbedZh: [() => ['watermark', 'embed', gen('images', 'seed.jpg'), '-o', path.join(tmp, 'wm-zh.jpg'), '--id', '0123456789abcdef'], ZH],
  wmEmbedEn: [
    () => ['watermark', 'embed', gen('images', 'seed.jpg'), '-o', path.join(tmp, 'wm-en.jpg'), '--id', '0123456789abcdef', '--lang', 'en'],
    ZH,
  ],
  wmDetectZh: [() => ['watermark', 'detect', gen('images', 'seed.jpg')], ZH],
  wmDetectEn: [() => ['watermark', 'detect', gen('images', 'seed.jpg'), '--lang', 'en'], ZH],
  logInitZh: [() => ['log', 'init', path.join(tmp, 'log-zh'), '--origin', 'example.com/log'], ZH],
  logInitEn: [() => ['log', 'init', path.join(tmp, 'log-en'), '--origin', 'example.com/log', '--lang', 'en'], ZH],
  recoverEn: [() => ['recover', '--repo', path.join(tmp, 'repo-en'), gen('images', 'seed.jpg'), '--lang', 'en'], ZH],
};

const runs: Record<string, Run> = {};
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aigc-lang-tools-'));
  const names = Object.keys(CASES);
  const results = await Promise.all(names.map((n) => aigc(CASES[n]![0](), { env: CASES[n]![1] })));
  names.forEach((n, i) => {
    runs[n] = results[i]!;
  });
}, 120_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const HAN = /[\u4e00-\u9fff]/;

describe('aigc trust show', () => {
  it('Chinese under a zh locale, English with --lang en, the same number of lines', () => {
    expect(runs.trustZh!.code).toBe(0);
    expect(runs.trustZh!.stdout).toMatch(/^C2PA Trust List .*：\d+ 个信任锚，用于 signers；来源 bundled；发布于 /m);
    expect(runs.trustZh!.stdout).toMatch(/（有效期至 \d{4}-\d\d-\d\d）/);
    expect(runs.trustEn!.code).toBe(0);
    expect(runs.trustEn!.stdout).toMatch(/^C2PA Trust List .*: \d+ anchor\(s\) for signers; source bundled; issued /m);
    expect(runs.trustEn!.stdout).toMatch(/\(until \d{4}-\d\d-\d\d\)/);
    expect(runs.trustEn!.stdout).not.toMatch(HAN);
    expect(runs.trustZh!.stdout.split('\n').length).toBe(runs.trustEn!.stdout.split('\n').length);
  });
  it('--json is the same whatever the language', () => {
    expect(runs.trustJsonZh!.stdout).toBe(runs.trustJsonEn!.stdout);
    expect(runs.trustJsonZh!.stdout).not.toMatch(HAN);
  });
});

describe('aigc pki show', () => {
  it('the field labels in Chinese, values unchanged; English with --lang en', () => {
    const zh = runs.pkiZh!.stdout;
    expect(runs.pkiZh!.code).toBe(0);
    expect(zh.split('\n')[0]).toBe('chain.pem：第 1 个证书，共 2 个');
    expect(zh).toContain('C2PA 签名者:      符合 C2PA 签名者证书要求');
    expect(zh).toMatch(/ {2}CA: {15}否\n/);
    expect(zh).toContain('SHA-256:');
    const en = runs.pkiEn!.stdout;
    expect(runs.pkiEn!.code).toBe(0);
    expect(en.split('\n')[0]).toBe('chain.pem: certificate 1 of 2');
    expect(en).toContain('  C2PA signer:      fits the C2PA signer profile');
    expect(en).toContain('  CA:               no\n');
    expect(en).not.toMatch(HAN);
    expect(zh.split('\n').length).toBe(en.split('\n').length);
  });
  it('--json is the same whatever the language', () => {
    expect(runs.pkiJsonZh!.stdout).toBe(runs.pkiJsonEn!.stdout);
    expect(runs.pkiJsonZh!.stdout).not.toMatch(HAN);
  });
});

describe('aigc recover', () => {
  it('nothing recovered from an empty repository, said in either language; exit code 2', () => {
    expect(runs.recoverZh!.code).toBe(2);
    expect(runs.recoverZh!.stdout.split('\n')[0]).toMatch(/seed\.jpg：未找回清单$/);
    expect(runs.recoverEn!.code).toBe(2);
    expect(runs.recoverEn!.stdout.split('\n')[0]).toMatch(/seed\.jpg: no manifest recovered$/);
  });
});

describe('aigc watermark', () => {
  it('embed and detect speak Chinese under a zh locale and English with --lang en', () => {
    expect(runs.wmEmbedZh!.code).toBe(0);
    expect(runs.wmEmbedZh!.stdout).toMatch(
      /^已嵌入水印 .*seed\.jpg -> .*wm-zh\.jpg\n {2}id 0123456789abcdef（jpeg，峰值信噪比 PSNR [\d.]+ dB）\n$/,
    );
    expect(runs.wmEmbedEn!.code).toBe(0);
    expect(runs.wmEmbedEn!.stdout).toMatch(/^watermarked .*seed\.jpg -> .*wm-en\.jpg\n {2}id 0123456789abcdef \(jpeg, PSNR [\d.]+ dB\)\n$/);
    expect(runs.wmDetectZh!.code).toBe(2);
    expect(runs.wmDetectZh!.stdout).toMatch(/^seed\.jpg：隐式水印：未检出（比特余量 [\d.]+）\n$/);
    expect(runs.wmDetectEn!.code).toBe(2);
    expect(runs.wmDetectEn!.stdout).toMatch(/^seed\.jpg: watermark: none found \(bit margin [\d.]+\)\n$/);
  });
});

describe('aigc log', () => {
  it('init speaks Chinese under a zh locale and English with --lang en', () => {
    expect(runs.logInitZh!.code).toBe(0);
    expect(runs.logInitZh!.stdout).toMatch(/^已在 .*log-zh 创建透明日志\n来源（origin）：example\.com\/log\n验证公钥：example\.com\/log\+/);
    expect(runs.logInitEn!.code).toBe(0);
    expect(runs.logInitEn!.stdout).toMatch(
      /^created transparency log in .*log-en\norigin: example\.com\/log\nverifier key: example\.com\/log\+/,
    );
  });
});
