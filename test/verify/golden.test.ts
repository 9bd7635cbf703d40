/**
 * Golden reports: `verify` of fixed fixtures, normalised (`normalize.ts`), must equal the
 * committed `fixtures/expected/<file>.report.json`. Regenerate after an intended change
 * with `AIGC_UPDATE_GOLDEN=1 npx vitest run test/verify/golden.test.ts` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { gen, repo } from '../helpers.ts';
import { normalizeReport } from './normalize.ts';
import { roots, vfx } from './helpers.ts';

const CASES: [name: string, file: string, trusted: boolean][] = [
  ['sdk-es256.jpg', vfx('sdk-es256.jpg'), true],
  ['sdk-ed25519.jpg.untrusted', vfx('sdk-ed25519.jpg'), false],
  ['sdk-es256.mp4', vfx('sdk-es256.mp4'), true],
  ['tamper-data.jpg', vfx('tamper-data.jpg'), true],
  ['tamper-assertion.jpg', vfx('tamper-assertion.jpg'), true],
  ['tamper-claim.jpg', vfx('tamper-claim.jpg'), true],
  ['chain-3.jpg', vfx('chain-3.jpg'), true],
  ['tamper-ingredient.jpg', vfx('tamper-ingredient.jpg'), true],
  ['unknown-parent.jpg', vfx('unknown-parent.jpg'), true],
  ['doubao-like.jpg', gen('images', 'doubao-like.jpg'), true],
  ['seed.jpg', gen('images', 'seed.jpg'), true],
  ['deep-1000.jpg', gen('manifest', 'deep-1000.jpg'), true],
];

const EXPECTED = repo('fixtures', 'expected');

describe('golden reports', () => {
  it.each(CASES)('%s', async (name, file, trusted) => {
    const report = await verify(file, trusted ? { trust: { anchorsPem: roots() } } : {});
    const actual = normalizeReport(report);
    const golden = path.join(EXPECTED, `${name}.report.json`);
    if (process.env.AIGC_UPDATE_GOLDEN === '1') {
      mkdirSync(EXPECTED, { recursive: true });
      writeFileSync(golden, `${JSON.stringify(actual, null, 2)}\n`);
    }
    // A missing golden file is a failure, never silently written: regenerate on purpose.
    expect(existsSync(golden), `${path.relative(repo(), golden)} is missing; run with AIGC_UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(actual).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
  });

  it('normalisation keeps what matters and hides what changes', async () => {
    const a = normalizeReport(await verify(vfx('chain-3.jpg'), { trust: { anchorsPem: roots() } })) as {
      active_manifest: string;
      manifests: Record<string, { signature_info: { cert_serial_number: string } }>;
    };
    expect(a.active_manifest).toBe('urn:c2pa:#1');
    expect(Object.values(a.manifests).every((m) => m.signature_info.cert_serial_number === '<cert_serial_number>')).toBe(true);
    const t = JSON.stringify(a);
    expect(t).not.toMatch(/urn:c2pa:[0-9a-f]{8}-/);
    expect(t).toContain('ingredient.manifest.validated');
  });
});
