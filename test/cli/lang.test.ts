/**
 * The CLI in two languages (issue #16), as a real process: `--lang zh|en` on every command, the
 * default from LC_ALL, LC_MESSAGES, LANG; verify, inspect, decide, stamp, a batch (worker threads),
 * error lines and help under a Chinese locale and under `--lang en`; JSON never changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gen } from '../helpers.ts';
import { aigc, type Run } from './helpers.ts';

const ZH = { LANG: 'zh_CN.UTF-8' };
const TRUST = () => ['--trust', gen('pki', 'roots.pem')];
const STAMPED = () => gen('chain', 'stamped.jpg');
const PKI = () => gen('pki', 'es256');
let tmp: string;

const CASES: Record<string, [() => string[], NodeJS.ProcessEnv]> = {
  verifyZh: [() => ['verify', STAMPED(), ...TRUST()], ZH],
  verifyEn: [() => ['verify', STAMPED(), ...TRUST(), '--lang', 'en'], ZH],
  verifyLcAll: [() => ['verify', STAMPED(), ...TRUST()], { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }],
  verifyLcMessages: [() => ['verify', STAMPED(), ...TRUST()], { LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' }],
  verifyTamperedZh: [() => ['verify', gen('verify', 'tamper-data.jpg'), ...TRUST()], ZH],
  jsonZh: [() => ['verify', gen('chain', 'platform-a.jpg'), ...TRUST(), '--json'], ZH],
  jsonEn: [() => ['verify', gen('chain', 'platform-a.jpg'), ...TRUST(), '--json', '--lang=en'], {}],
  inspectZh: [() => ['inspect', gen('chain', 'platform-a.jpg'), ...TRUST()], ZH],
  inspectEn: [() => ['--lang', 'en', 'inspect', gen('chain', 'platform-a.jpg'), ...TRUST()], ZH],
  missingZh: [() => ['verify', '/nonexistent/a.jpg'], ZH],
  missingEn: [() => ['verify', '/nonexistent/a.jpg', '--lang', 'en'], ZH],
  badOptionZh: [() => ['inspect', 'x.jpg', '--bogus'], ZH],
  badLang: [() => ['verify', 'x.jpg', '--lang', 'fr'], {}],
  helpZh: [() => ['--help'], ZH],
  helpEn: [() => ['--help', '--lang', 'en'], ZH],
  verifyHelpZh: [() => ['verify', '--help'], ZH],
  decideZh: [() => ['decide', STAMPED(), ...TRUST()], ZH],
  batchZh: [() => ['verify', STAMPED(), gen('verify', 'tamper-data.jpg'), ...TRUST(), '--jobs', '2', '--ordered'], ZH],
  stampZh: [
    () => [
      'stamp',
      gen('images', 'seed.jpg'),
      '-o',
      path.join(tmp, 'out.jpg'),
      '--cert',
      path.join(PKI(), 'chain.pem'),
      '--key',
      path.join(PKI(), 'key.pem'),
      '--producer',
      '001191000000EXAMPLE01P10000',
      '--no-explicit',
    ],
    ZH,
  ],
};

const runs: Record<string, Run> = {};
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aigc-lang-'));
  const names = Object.keys(CASES);
  const results = await Promise.all(names.map((n) => aigc(CASES[n]![0](), { env: CASES[n]![1] })));
  names.forEach((n, i) => {
    runs[n] = results[i]!;
  });
}, 240_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('verify', () => {
  it('speaks Chinese under a zh locale and English with --lang en; the exit code is the same', () => {
    expect(runs.verifyZh!.code).toBe(0);
    expect(runs.verifyZh!.stdout.split('\n')[0]).toBe('stamped.jpg：可信（Trusted）');
    expect(runs.verifyZh!.stdout).toContain('隐式标识：Label=1（人工智能生成）内容制作者=001191000000EXAMPLE01P10000');
    expect(runs.verifyEn!.code).toBe(0);
    expect(runs.verifyEn!.stdout.split('\n')[0]).toBe('stamped.jpg: Trusted');
    expect(runs.verifyEn!.stdout).toContain('label: Label=1 (AI-generated) producer=001191000000EXAMPLE01P10000');
  });
  it('LC_ALL wins over LANG; LC_MESSAGES over LANG', () => {
    expect(runs.verifyLcAll!.stdout.split('\n')[0]).toBe('stamped.jpg: Trusted');
    expect(runs.verifyLcMessages!.stdout.split('\n')[0]).toBe('stamped.jpg：可信（Trusted）');
  });
  it('a tampered file: the failure explained in Chinese, its code unchanged', () => {
    expect(runs.verifyTamperedZh!.code).toBe(1);
    expect(runs.verifyTamperedZh!.stdout).toContain('tamper-data.jpg：无效（Invalid）');
    expect(runs.verifyTamperedZh!.stdout).toContain('✗ assertion.dataHash.mismatch：文件哈希与数据哈希不符');
  });
  it('--json is the same report whatever the language', () => {
    const strip = (s: string) => s.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"T"');
    expect(runs.jsonZh!.stdout).not.toMatch(/[\u4e00-\u9fff]/);
    expect(strip(runs.jsonZh!.stdout)).toBe(strip(runs.jsonEn!.stdout));
  });
  it('a batch on worker threads prints each line and the summary in the chosen language', () => {
    const out = runs.batchZh!.stdout;
    expect(out).toMatch(/stamped\.jpg: 可信（Trusted）/);
    expect(out).toMatch(/tamper-data\.jpg: 无效（Invalid）/);
    expect(out).toContain('汇总：');
    expect(runs.batchZh!.code).toBe(1);
  });
});

describe('inspect', () => {
  it('the tree in Chinese under a zh locale, in English with --lang en (before the command too)', () => {
    const zh = runs.inspectZh!.stdout;
    expect(zh).toContain('结论：可信（Trusted）');
    expect(zh).toContain('传播链（从生成开始）');
    expect(zh).toContain('角色：传播方（propagator）');
    const en = runs.inspectEn!.stdout;
    expect(en).toContain('verdict: Trusted');
    expect(en).toContain('provenance chain (creation first)');
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(zh.split('\n').length).toBe(en.split('\n').length);
  });
});

describe('errors and help', () => {
  it('an unreadable file: one Chinese error line, the code and exit code unchanged', () => {
    expect(runs.missingZh!.code).toBe(66);
    expect(runs.missingZh!.stderr).toBe('aigc：错误 [IO_ERROR]：无法读取 /nonexistent/a.jpg：文件或目录不存在（ENOENT）\n');
    expect(runs.missingZh!.stdout).toBe('');
    expect(runs.missingEn!.code).toBe(66);
    expect(runs.missingEn!.stderr).toBe('aigc: error [IO_ERROR]: cannot open /nonexistent/a.jpg: ENOENT\n');
  });
  it('a usage error in Chinese names the option and where to find help', () => {
    expect(runs.badOptionZh!.code).toBe(64);
    expect(runs.badOptionZh!.stderr).toBe("aigc：错误 [INVALID_ARGUMENT]：未知选项 --bogus；参见 'aigc inspect --help'\n");
    expect(runs.badLang!.code).toBe(64);
    expect(runs.badLang!.stderr).toContain('Expected zh | en for --lang but received "fr"');
  });
  it('aigc --help lists the commands and exit codes in Chinese; --lang en gives English', () => {
    const zh = runs.helpZh!.stdout;
    expect(zh).toContain('用法：aigc <命令> [选项]');
    expect(zh).toMatch(/^ {2}verify .*\n? +验证清单、签名、证书链和标识$/m);
    expect(zh).toMatch(/^ {2}77 {2}按策略拒绝/m);
    expect(runs.helpEn!.stdout).toContain('Usage: aigc <command> [options]');
    expect(runs.helpEn!.stdout).toContain('validate manifests, signatures, chains and labels');
    expect(runs.helpEn!.stdout).toContain('--lang zh|en');
  });
  it("a command's --help is headed by its Chinese summary, its usage in Chinese", () => {
    expect(runs.verifyHelpZh!.code).toBe(0);
    expect(runs.verifyHelpZh!.stdout.split('\n')[0]).toBe('aigc verify — 验证清单、签名、证书链和标识');
    expect(runs.verifyHelpZh!.stdout).toContain('用法：aigc verify');
    expect(runs.verifyHelpZh!.stdout).toContain('\n  --at DATE          以此时间而不是当前时间判断证书（可信时间戳优先）\n');
  });
});

describe('decide and stamp', () => {
  it('decide: the prompt in GB 45438 terms and the reasons in Chinese', () => {
    expect(runs.decideZh!.code).toBe(0);
    expect(runs.decideZh!.stdout).toContain('提示：人工智能生成（ai-generated）（Label "1"）');
    expect(runs.decideZh!.stdout).toContain('处理决定：接受（accept）');
    expect(runs.decideZh!.stdout).toContain('发现 GB 45438 隐式标识 Label="1"');
  });
  it('stamp: what was written, in Chinese', () => {
    expect(runs.stampZh!.stderr).toBe('');
    expect(runs.stampZh!.stdout).toMatch(
      /^已加标识 .*seed\.jpg -> .*out\.jpg（image\/jpeg）；清单 urn:c2pa:[0-9a-f-]+；内容制作编号（ProduceID）\S+；无显式标识\n$/,
    );
  });
});
