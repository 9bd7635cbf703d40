/**
 * Error messages and each command's `--help` in two languages (issue #16 item 2): the library's
 * refusals (a file that is not a regular file, an unsupported format, an encrypted key, a wrong
 * passphrase, a bad PEM, a configuration that is not JSON) and the CLI's own usage errors are
 * whole Chinese sentences under a zh locale and today's English, byte for byte, with `--lang en`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ES256_PRODUCER_FLAGS, gen } from '../helpers.ts';
import { aigc, type Run } from './helpers.ts';

const ZH = { LANG: 'zh_CN.UTF-8' };
const HAN = /[\u4e00-\u9fff]/;
let tmp: string;
const f = (name: string) => path.join(tmp, name);
const SIGNER = [...ES256_PRODUCER_FLAGS, '--no-explicit'];

const CASES: Record<string, [() => string[], NodeJS.ProcessEnv]> = {
  deviceZh: [() => ['verify', '/dev/null'], ZH],
  deviceEn: [() => ['verify', '/dev/null', '--lang', 'en'], ZH],
  formatZh: [() => ['watermark', 'embed', f('note.txt'), '-o', f('out-zh.txt')], ZH],
  formatEn: [() => ['watermark', 'embed', f('note.txt'), '-o', f('out-en.txt'), '--lang', 'en'], ZH],
  encryptedZh: [() => ['tsa', 'serve', '--cert', gen('pki', 'es256', 'chain.pem'), '--key', f('enc.pem')], ZH],
  encryptedEn: [() => ['tsa', 'serve', '--cert', gen('pki', 'es256', 'chain.pem'), '--key', f('enc.pem'), '--lang', 'en'], ZH],
  passphraseZh: [
    () => ['tsa', 'serve', '--cert', gen('pki', 'es256', 'chain.pem'), '--key', f('enc.pem'), '--passphrase-env', 'PASS'],
    { ...ZH, PASS: 'wrong' },
  ],
  pemZh: [() => ['pki', 'show', f('garbage.pem')], ZH],
  pemEn: [() => ['pki', 'show', f('garbage.pem'), '--lang', 'en'], ZH],
  configZh: [() => ['serve', '--config', f('bad.json')], ZH],
  configEn: [() => ['serve', '--config', f('bad.json'), '--lang', 'en'], ZH],
  truncatedZh: [() => ['stamp', f('trunc.jpg'), '-o', f('out-zh.jpg'), ...SIGNER], ZH],
  truncatedEn: [() => ['stamp', f('trunc.jpg'), '-o', f('out-en.jpg'), ...SIGNER, '--lang', 'en'], ZH],
  subZh: [() => ['pki', 'bogus'], ZH],
  subEn: [() => ['pki', 'bogus', '--lang', 'en'], ZH],
  stampHelpZh: [() => ['stamp', '--help'], ZH],
  stampHelpEn: [() => ['stamp', '--help', '--lang', 'en'], ZH],
  pkiHelpZh: [() => ['pki', '--help'], ZH],
};

const runs: Record<string, Run> = {};
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aigc-lang-errors-'));
  writeFileSync(f('note.txt'), 'not an image\n');
  writeFileSync(f('trunc.jpg'), readFileSync(gen('images', 'seed.jpg')).subarray(0, 300));
  writeFileSync(f('garbage.pem'), 'garbage\n');
  writeFileSync(f('bad.json'), '{bad');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(f('enc.pem'), privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }));
  const names = Object.keys(CASES);
  const results = await Promise.all(names.map((n) => aigc(CASES[n]![0](), { env: CASES[n]![1] })));
  names.forEach((n, i) => {
    runs[n] = results[i]!;
  });
}, 120_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The one error line of a run, after checking its exit code. */
function line(name: string, code: number): string {
  const r = runs[name]!;
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  return r.stderr;
}

describe('library errors a CLI user meets', () => {
  it('a file that is not a regular file', () => {
    expect(line('deviceZh', 66)).toBe('aigc：错误 [IO_ERROR]：无法读取 /dev/null：不是普通文件（设备）\n');
    expect(line('deviceEn', 66)).toBe('aigc: error [IO_ERROR]: cannot read /dev/null: not a regular file (a device)\n');
  });

  it('a format the watermark does not handle', () => {
    expect(line('formatZh', 65)).toMatch(/^aigc：错误 \[UNSUPPORTED_FORMAT\]：无法读取图像：不是 JPEG、PNG 或 WebP 图像（原因：/);
    expect(line('formatEn', 65)).toMatch(/^aigc: error \[UNSUPPORTED_FORMAT\]: cannot read image: not a JPEG, PNG or WebP image \(cause: /);
  });

  it('a truncated container: the format, the reason and the byte offset', () => {
    expect(line('truncatedZh', 65)).toMatch(
      /^aigc：错误 \[MALFORMED_INPUT\]：jpeg 数据格式错误：\d+ 字节的段 0xFF[0-9A-F]{2} 超出文件结尾（位于第 \d+ 字节）\n$/,
    );
    expect(line('truncatedEn', 65)).toMatch(
      /^aigc: error \[MALFORMED_INPUT\]: jpeg: segment 0xFF[0-9A-F]{2} of \d+ bytes runs past the end of the file \(at byte \d+\)\n$/,
    );
  });

  it('an encrypted key without its passphrase, and a wrong passphrase', () => {
    const key = f('enc.pem');
    expect(line('encryptedZh', 65)).toBe(`aigc：错误 [KEY_ERROR]：${key} 已加密：请提供其口令（--passphrase-env VAR）\n`);
    expect(line('encryptedEn', 65)).toBe(`aigc: error [KEY_ERROR]: ${key} is encrypted: give its passphrase (--passphrase-env VAR)\n`);
    expect(line('passphraseZh', 65)).toMatch(
      new RegExp(`^aigc：错误 \\[KEY_ERROR\\]：${key.replace(/[.]/g, '\\.')}：口令错误（或加密的密钥已损坏）`),
    );
  });

  it('a certificate file that is neither PEM nor DER', () => {
    const file = f('garbage.pem');
    expect(line('pemZh', 65)).toBe(
      `aigc：错误 [CERTIFICATE_ERROR]：${file} 既不是 PEM（没有 -----BEGIN CERTIFICATE----- 行），也不是 DER\n`,
    );
    expect(line('pemEn', 65)).toBe(
      `aigc: error [CERTIFICATE_ERROR]: ${file} is neither PEM (no -----BEGIN CERTIFICATE----- line) nor DER\n`,
    );
  });

  it("the server's configuration that is not JSON (the parser's own reason stays as it is)", () => {
    const file = f('bad.json');
    expect(line('configZh', 64)).toMatch(
      new RegExp(
        `^aigc：错误 \\[INVALID_ARGUMENT\\]：配置文件 ${file.replace(/[.]/g, '\\.')} 不是有效的 JSON：.+；参见 'aigc serve --help'\\n$`,
      ),
    );
    expect(line('configEn', 64)).toMatch(
      new RegExp(
        `^aigc: error \\[INVALID_ARGUMENT\\]: configuration ${file.replace(/[.]/g, '\\.')} is not valid JSON: .+; see 'aigc serve --help'\\n$`,
      ),
    );
  });

  it("the CLI's own usage errors", () => {
    expect(line('subZh', 64)).toBe("aigc：错误 [INVALID_ARGUMENT]：未知的 pki 子命令 'bogus'；参见 'aigc pki --help'\n");
    expect(line('subEn', 64)).toBe("aigc: error [INVALID_ARGUMENT]: unknown pki sub-command 'bogus'; see 'aigc pki --help'\n");
  });
});

describe("each command's --help", () => {
  it('Chinese under a zh locale: the summary, then the option descriptions, option names as they are', () => {
    const zh = runs.stampHelpZh!;
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/^aigc stamp — 添加显式标识、隐式标识和经签名的 C2PA 清单\n\n用法：aigc stamp IN -o OUT /);
    expect(zh.stdout).toContain('\n      --producer CODE       27 位 GB 45438 服务提供者编码（ContentProducer，内容制作者）\n');
    expect(zh.stdout).toContain('\n  --trust FILE|DIR   添加 PEM 信任锚');
    expect(zh.stdout).toContain('\n      --tsa URL             在此 RFC 3161 时间戳机构为签名加盖时间戳（sigTst2）');
    expect(runs.pkiHelpZh!.stdout).toContain('验证签名证书链；可信时退出码 0，不可信时 3，无效/过期/吊销时 1。');
  });

  it('English with --lang en, as before (no Chinese, the usage first)', () => {
    const en = runs.stampHelpEn!;
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^Usage: aigc stamp IN -o OUT /);
    expect(en.stdout).toContain('\n      --producer CODE       27-character GB 45438 provider code (ContentProducer)\n');
    expect(en.stdout.replace('"AI生成"', '').replace('生成/合成', '')).not.toMatch(HAN);
  });
});
