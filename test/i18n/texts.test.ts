/**
 * The human texts in both languages, in process (issue #16): the verify summary and the inspect
 * tree of real reports, the error line translated at the edge from codes and parameters (the
 * library's messages stay English), and the decision's reasons (English = its JSON `reasons`).
 */
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/service/inspect.ts';
import { verify } from '../../src/service/verify.ts';
import { formatInspectTree } from '../../src/verify/render/format-tree.ts';
import { formatVerifySummary } from '../../src/verify/render/format-summary.ts';
import { formatErrorLine } from '../../src/i18n/error-line.ts';
import { t } from '../../src/i18n/lang.ts';
import { CertificateError, InvalidArgumentError, IoError, MalformedInputError, RefusedError } from '../../src/errors.ts';
import { decide } from '../../src/service/decide.ts';
import { decisionReasons } from '../../src/service/decision-reasons.ts';
import { formatDecision } from '../../src/service/human-text.ts';
import { guardOutput } from '../../src/service/output-guard.ts';
import { readPkiFile } from '../../src/crypto/keys.ts';
import { renderHtmlReport } from '../../src/report/html.ts';
import { gen } from '../helpers.ts';
import { roots, vfx } from '../verify/helpers.ts';

const trust = () => ({ trust: { anchorsPem: roots() } });
const CJK = /[\u4e00-\u9fff]/;

describe('verify summary and inspect tree', () => {
  it('a two-platform chain: Chinese words around unchanged codes, English as before', async () => {
    const r = await inspect(gen('chain', 'platform-a.jpg'), trust());
    const zh = formatVerifySummary(r, 'platform-a.jpg', 'zh');
    const en = formatVerifySummary(r, 'platform-a.jpg', 'en');
    expect(zh.split('\n')[0]).toBe('platform-a.jpg：可信（Trusted）');
    expect(zh).toContain('传播链：生成(');
    expect(zh).toContain('隐式标识：Label=1（人工智能生成）内容制作者=001191000000EXAMPLE01P10000');
    expect(en.split('\n')[0]).toBe('platform-a.jpg: Trusted');
    expect(en).toContain('label: Label=1 (AI-generated) producer=001191000000EXAMPLE01P10000');
    expect(en).not.toMatch(CJK);
    expect(formatVerifySummary(r, 'platform-a.jpg')).toBe(en); // English is the default

    const tree = formatInspectTree(r, 'platform-a.jpg', 'zh');
    expect(tree).toContain('结论：可信（Trusted）');
    expect(tree).toContain('传播链（从生成开始）');
    expect(tree).toMatch(/\[0\] 生成：urn:c2pa:\S+ — 可信（Trusted）/);
    expect(tree).toContain('角色：传播方（propagator）');
    expect(tree).toContain('服务类型：内容传播服务');
    expect(tree).toContain('✓ gb45438.label.present：发现 GB 45438 隐式标识');
    const enTree = formatInspectTree(r, 'platform-a.jpg', 'en');
    expect(enTree).toContain('provenance chain (creation first)');
    expect(enTree).toContain('✓ gb45438.label.present: GB 45438 label found in XMP (APP1)');
    expect(enTree).not.toMatch(CJK);
    // The same lines, the same codes: only the words differ.
    expect(tree.split('\n').length).toBe(enTree.split('\n').length);
    const codes = (s: string) => [...s.matchAll(/[✓✗i] ([a-zA-Z0-9_.-]+)[:：]/g)].map((m) => m[1]);
    expect(codes(tree)).toEqual(codes(enTree));
  });

  it("a tampered file: the failure in Chinese, with the verifier's own detail kept", async () => {
    const r = await verify(vfx('tamper-data.jpg'), trust());
    const zh = formatVerifySummary(r, 'tamper-data.jpg', 'zh');
    expect(zh.split('\n')[0]).toBe('tamper-data.jpg：无效（Invalid）');
    expect(zh).toMatch(/✗ assertion\.dataHash\.mismatch：文件哈希与数据哈希不符（内容已被改动）（.*hashes do not match.*）/);
    // The HTML report explains the codes in the same words.
    const html = renderHtmlReport(r, { lang: 'zh' });
    expect(html).toContain('文件哈希与数据哈希不符（内容已被改动）');
    expect(renderHtmlReport(r, { lang: 'en' })).not.toContain('文件哈希与数据哈希不符');
  });

  it('an unsigned label only, and a file with nothing', async () => {
    const label = await verify(gen('label-only', 'seed-tags.mkv'), trust());
    expect(formatVerifySummary(label, 'x', 'zh').split('\n')[0]).toBe('x：无清单（仅有未签名的标识）');
    const none = await verify(gen('images', 'seed.jpg'), trust());
    expect(formatVerifySummary(none, 'seed.jpg', 'zh')).toContain('隐式标识：无');
    expect(formatInspectTree(none, 'seed.jpg', 'zh')).toContain('GB 45438 隐式标识：未发现');
  });
});

describe('the error line', () => {
  it('translates from the detail key and parameters; English is the message itself', () => {
    const e = InvalidArgumentError.expected('zh | en', '--lang', 'fr');
    expect(formatErrorLine(e, 'en', 'verify')).toBe(
      `aigc: error [INVALID_ARGUMENT]: Expected zh | en for --lang but received "fr"; see 'aigc verify --help'`,
    );
    expect(formatErrorLine(e, 'zh', 'verify')).toBe(
      `aigc：错误 [INVALID_ARGUMENT]：--lang 应为 zh | en，实际收到 "fr"；参见 'aigc verify --help'`,
    );
    // The English catalogue text is the library's message, so the two cannot drift apart.
    expect(t('en', 'err.expected', e.detail!.params)).toBe(e.message);
  });

  it('an unreadable file: the path and the system error in words', () => {
    const e = new IoError('cannot open /nope/a.jpg: ENOENT', '/nope/a.jpg');
    expect(formatErrorLine(e, 'zh')).toBe('aigc：错误 [IO_ERROR]：无法读取 /nope/a.jpg：文件或目录不存在（ENOENT）');
    expect(formatErrorLine(e, 'en')).toBe('aigc: error [IO_ERROR]: cannot open /nope/a.jpg: ENOENT');
    const dir = new IoError('cannot create /x/y.jpg: folder /x does not exist', '/x/y.jpg');
    expect(formatErrorLine(dir, 'zh')).toBe('aigc：错误 [IO_ERROR]：无法创建 /x/y.jpg：文件夹 /x 不存在');
  });

  it('a missing PKI file: its kind and the system error in words; the --trust flag kept', async () => {
    const err = await readPkiFile('/nonexistent/c.pem', 'certificate').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(formatErrorLine(err, 'zh')).toBe('aigc：错误 [IO_ERROR]：无法读取 证书 /nonexistent/c.pem：文件或目录不存在（ENOENT）');
    expect(formatErrorLine(err, 'en')).toBe('aigc: error [IO_ERROR]: cannot read certificate /nonexistent/c.pem: no such file');
    const flag = await readPkiFile('/nonexistent/r.pem', '--trust file').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(formatErrorLine(flag, 'zh')).toBe('aigc：错误 [IO_ERROR]：无法读取 --trust 文件 /nonexistent/r.pem：文件或目录不存在（ENOENT）');
  });

  it("an error without a detail: the code's title before the English message; causes kept", () => {
    const e = new MalformedInputError('jpeg', 'segment runs past the end', 12, { cause: new Error('boom') });
    expect(formatErrorLine(e, 'zh')).toBe(
      'aigc：错误 [MALFORMED_INPUT]：输入数据格式错误：jpeg: segment runs past the end (at byte 12)（原因：boom）',
    );
    expect(formatErrorLine(e, 'en')).toBe('aigc: error [MALFORMED_INPUT]: jpeg: segment runs past the end (at byte 12) (cause: boom)');
    expect(formatErrorLine(new CertificateError('not a certificate'), 'zh')).toBe(
      'aigc：错误 [CERTIFICATE_ERROR]：证书错误：not a certificate',
    );
    expect(formatErrorLine(new TypeError('x is undefined'), 'zh')).toBe('aigc：错误 [INTERNAL]：内部错误：x is undefined');
  });

  it('a refusal to overwrite names the path and --force in both languages', async () => {
    const out = gen('images', 'seed.jpg');
    const err = await guardOutput(out, false, undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RefusedError);
    expect(formatErrorLine(err, 'zh')).toBe(`aigc：错误 [REFUSED]：拒绝覆盖已有的输出文件 ${out}；如需替换，请使用 --force（force: true）`);
    expect(formatErrorLine(err, 'en')).toBe(`aigc: error [REFUSED]: ${(err as Error).message}`);
    expect(t('en', 'err.refused.overwrite', (err as RefusedError).detail!.params)).toBe((err as Error).message);
  });
});

describe('the platform decision', () => {
  it('its reasons in English are exactly the JSON reasons; in Chinese they use GB 45438 terms', async () => {
    for (const [file, declaredAi] of [
      [gen('chain', 'stamped.jpg'), false],
      [gen('images', 'seed.jpg'), true],
      [gen('images', 'seed.jpg'), false],
      [vfx('tamper-data.jpg'), false],
    ] as const) {
      const { decision } = await decide(file, { declaredAi, acceptInvalid: false, trust: { anchorsPem: roots() } });
      expect(decisionReasons(decision, 'en'), file).toEqual(decision.reasons);
      expect(
        decisionReasons(decision, 'zh').every((r) => CJK.test(r)),
        file,
      ).toBe(true);
    }
    const { decision } = await decide(gen('chain', 'stamped.jpg'), {
      declaredAi: false,
      acceptInvalid: false,
      trust: { anchorsPem: roots() },
    });
    const zh = formatDecision(decision, 'zh');
    expect(zh).toContain('提示：人工智能生成（ai-generated）（Label "1"）');
    expect(zh).toContain('处理决定：接受（accept）');
    expect(formatDecision(decision, 'en')).toMatch(
      /^prompt: ai-generated \(Label "1"\)\npolicy: accept\n {2}- GB 45438 implicit label Label="1" found in /,
    );
  });
});
