/**
 * Temporary output names (`src/binary/temp-files.ts`): `.NAME.aigc-PID-HEX.tmp[.EXT]` beside the
 * target, twelve random hex digits each (drawn from a pool of random bytes, refilled as used up),
 * never the same twice.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMP_NAME, tempPath } from '../../src/binary/temp-files.ts';

describe('temp names', () => {
  it('are beside the target, recognisable, tied to this process and all different', () => {
    const target = path.join('/nonexistent-aigc-dir', 'out.jpg');
    const names = Array.from({ length: 1000 }, (_, i) => tempPath(target, i % 2 === 0));
    for (const [i, n] of names.entries()) {
      expect(path.dirname(n)).toBe('/nonexistent-aigc-dir');
      const m = TEMP_NAME.exec(path.basename(n));
      expect(m?.[1]).toBe(String(process.pid));
      expect(n.endsWith(i % 2 === 0 ? '.tmp.jpg' : '.tmp')).toBe(true);
      expect(path.basename(n).startsWith(i % 2 === 0 ? '.out.aigc-' : '.out.jpg.aigc-')).toBe(true);
    }
    expect(new Set(names).size).toBe(names.length);
    // The random part varies across the whole pool, not only in one position.
    const hex = names.map((n) => /-([0-9a-f]{12})\.tmp/.exec(n)![1]!);
    for (let d = 0; d < 12; d++) expect(new Set(hex.map((h) => h[d])).size).toBeGreaterThan(8);
  });
});
