/** Both message catalogues have every key, with the same placeholders; language selection (issue #16). */
import { describe, expect, it } from 'vitest';
import { EN, ZH } from '../../src/report/messages.ts';
import { langFromEnv, parseLang, t } from '../../src/report/i18n.ts';
import { InvalidArgumentError } from '../../src/errors.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('zh and en have the same keys, all non-empty, with the same placeholders', () => {
    expect(Object.keys(ZH).sort()).toEqual(Object.keys(EN).sort());
    for (const k of Object.keys(EN) as (keyof typeof EN)[]) {
      expect(EN[k].length, k).toBeGreaterThan(0);
      expect(ZH[k].length, k).toBeGreaterThan(0);
      expect(placeholders(ZH[k]), k).toEqual(placeholders(EN[k]));
    }
  });
  it('uses GB 45438 wording for the label values', () => {
    expect(t('zh', 'label.value.1')).toBe('人工智能生成');
    expect(t('zh', 'label.value.3')).toBe('疑似人工智能生成');
    expect(t('en', 'reason.InvalidChain', { step: 2, role: 'Propagation', explanation: 'x' })).toBe('Step 2 (Propagation) failed: x');
  });
  it('picks the language from --lang or the locale', () => {
    expect(parseLang('zh_CN.UTF-8')).toBe('zh');
    expect(parseLang('EN')).toBe('en');
    expect(() => parseLang('fr')).toThrow(InvalidArgumentError);
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(langFromEnv({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });
});
