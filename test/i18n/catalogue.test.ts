/**
 * The one message catalogue (issue #16): every key in both languages with the same placeholders,
 * no key defined twice across its parts, every status code explained in Chinese, GB 45438's own
 * label terms, the English help equal to the CLI's tables, and every error detail key known.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EN, ZH } from '../../src/i18n/catalogue.ts';
import { EN as EN_REPORT } from '../../src/report/messages.ts';
import { EN_CODES } from '../../src/i18n/messages-codes.ts';
import { EN_CLI } from '../../src/i18n/messages-cli.ts';
import { EN_OPS } from '../../src/i18n/messages-ops.ts';
import { EN_ERRORS } from '../../src/i18n/messages-errors.ts';
import { EN_HELP } from '../../src/i18n/messages-help.ts';
import { EN_TOOLS } from '../../src/i18n/messages-tools.ts';
import { EN_ERRORS_LIB } from '../../src/i18n/messages-errors-lib.ts';
import { EN_ERRORS_LIB_B } from '../../src/i18n/messages-errors-lib-b.ts';
import { EN_ERRORS_CLI } from '../../src/i18n/messages-errors-cli.ts';
import { EN_ERRORS_FORMATS_A } from '../../src/i18n/messages-errors-formats-a.ts';
import { EN_ERRORS_FORMATS_B } from '../../src/i18n/messages-errors-formats-b.ts';
import { EN_ERRORS_MORE_A } from '../../src/i18n/messages-errors-more-a.ts';
import { EN_ERRORS_MORE_B } from '../../src/i18n/messages-errors-more-b.ts';
import { EN_ERRORS_C2PA_A } from '../../src/i18n/messages-errors-c2pa-a.ts';
import { EN_ERRORS_C2PA_B } from '../../src/i18n/messages-errors-c2pa-b.ts';
import { EN_TOOLS_PKI } from '../../src/i18n/messages-tools-pki.ts';
import { EN_USAGE_A } from '../../src/i18n/messages-usage-a.ts';
import { EN_USAGE_B } from '../../src/i18n/messages-usage-b.ts';
import { EN_USAGE_C } from '../../src/i18n/messages-usage-c.ts';
import { isMessageKey, t } from '../../src/i18n/lang.ts';
import { STATUS } from '../../src/verify/report/status-codes.ts';
import { COMMANDS, usageBlocks } from '../../cli/main.ts';
import { EXIT_TABLE } from '../../cli/exit-codes.ts';
import { repo } from '../helpers.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the message catalogue', () => {
  it('zh and en have the same keys, all non-empty, with the same placeholders', () => {
    expect(Object.keys(ZH).sort()).toEqual(Object.keys(EN).sort());
    for (const k of Object.keys(EN) as (keyof typeof EN)[]) {
      expect(EN[k].length, k).toBeGreaterThan(0);
      expect(ZH[k].length, k).toBeGreaterThan(0);
      expect(placeholders(ZH[k]), k).toEqual(placeholders(EN[k]));
    }
  });

  it('no key is defined by two parts (a later part would silently win)', () => {
    const parts = [
      EN_REPORT,
      EN_CODES,
      EN_CLI,
      EN_OPS,
      EN_ERRORS,
      EN_HELP,
      EN_TOOLS,
      EN_ERRORS_LIB,
      EN_ERRORS_LIB_B,
      EN_ERRORS_CLI,
      EN_ERRORS_FORMATS_A,
      EN_ERRORS_FORMATS_B,
      EN_ERRORS_MORE_A,
      EN_ERRORS_MORE_B,
      EN_ERRORS_C2PA_A,
      EN_ERRORS_C2PA_B,
      EN_TOOLS_PKI,
      EN_USAGE_A,
      EN_USAGE_B,
      EN_USAGE_C,
    ].map((p) => Object.keys(p));
    const all = parts.flat();
    expect(all.length).toBe(new Set(all).size);
  });

  it("every validation code has its explanation in both languages; English is the verifier's own text", () => {
    for (const [code, [, text]] of Object.entries(STATUS)) {
      expect(isMessageKey(`code.${code}`), code).toBe(true);
      expect(t('en', `code.${code}` as keyof typeof EN)).toBe(text);
      expect(t('zh', `code.${code}` as keyof typeof EN)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('uses GB 45438 wording for the label values and the prompts', () => {
    expect(t('zh', 'meaning.1')).toBe('人工智能生成');
    expect(t('zh', 'meaning.2')).toBe('可能为人工智能生成');
    expect(t('zh', 'meaning.3')).toBe('疑似人工智能生成');
    expect(t('zh', 'prompt.suspected-ai-generated')).toContain('疑似人工智能生成');
    expect(t('en', 'meaning.3')).toBe('suspected AI-generated');
  });

  it("the English help is the CLI's own command table and exit-code table", () => {
    for (const c of COMMANDS) expect(t('en', `cmd.${c.name}` as keyof typeof EN), c.name).toBe(c.summary);
    for (const e of EXIT_TABLE) expect(t('en', `exit.${e.code}` as keyof typeof EN), String(e.code)).toBe(e.meaning);
    expect(Object.keys(EN_HELP).filter((k) => k.startsWith('cmd.')).length).toBe(COMMANDS.length);
  });

  it('every error detail key thrown in src/ and cli/ is in the catalogue', () => {
    const used = new Set<string>();
    for (const f of [...sources(repo('src')), ...sources(repo('cli'))]) {
      for (const m of readFileSync(f, 'utf8').matchAll(/detail: \{ key: '([^']+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(8);
    for (const k of used) expect(isMessageKey(k), k).toBe(true);
  });

  it("each command's --help: the English is the command's own usage text, the Chinese has every option line", async () => {
    for (const c of COMMANDS) {
      const { usage } = await c.load();
      const key = `usage.${c.name}` as keyof typeof EN;
      expect(t('en', key, usageBlocks('en')), c.name).toBe(usage);
      const zh = t('zh', key, usageBlocks('zh'));
      // Every option the English names is named in Chinese too, and the text is Chinese.
      const options = (s: string) => [...new Set(s.match(/--[a-z][\w-]*/g))].sort();
      expect(options(zh), c.name).toEqual(options(usage));
      expect(zh, c.name).toMatch(/^用法：/);
      const english = zh.split('\n').filter((l) => !/[\u4e00-\u9fff]/.test(l) && /[a-z]{2,} [a-z]{2,} [a-z]{2,} [a-z]{2,}/.test(l));
      expect(english, c.name).toEqual([]);
    }
  });

  it("every said(key, template) in src/ and cli/ gives the catalogue's English text as its template", () => {
    let n = 0;
    for (const f of [...sources(repo('src')), ...sources(repo('cli'))]) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bsaid\(\s*'([^']+)',\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g)) {
        n++;
        const template = m[2]!.slice(1, -1).replace(/\\(.)/g, '$1');
        expect(isMessageKey(m[1]!), `${f}: ${m[1]}`).toBe(true);
        expect(template, `${f}: ${m[1]}`).toBe(EN[m[1] as keyof typeof EN]);
      }
    }
    expect(n).toBeGreaterThan(140);
  });
});
