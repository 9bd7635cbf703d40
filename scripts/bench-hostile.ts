/**
 * Hostile-input figures for `npm run bench`: how long `verify` takes to give up on each
 * hostile fixture of the GIF/AVI family (a GIF with 100 000 extensions, an AVI chunk with a
 * huge size), best of five, with the reference SDK's `Reader` on the same file (it errors or
 * reports nothing; its time is measured the same way).
 */
import path from 'node:path';
import { Reader } from '@contentauth/c2pa-node';
import { verify } from '../src/service/verify.ts';
import { GENERATED_DIR } from './make-fixtures.ts';

/** One figure per hostile file: milliseconds until a typed error (ours) or the SDK's answer. */
export async function benchHostile(line: (bench: string, unit: string, ours: number | null, sdk: number | null) => void): Promise<void> {
  const files: [string, string][] = [
    ['hostile_gif_100k_extensions', 'many-extensions.gif'],
    ['hostile_avi_huge_chunk', 'huge-chunk.avi'],
  ];
  for (const [bench, name] of files) {
    const file = path.join(GENERATED_DIR, 'gif-avi', name);
    const best = async (fn: () => Promise<unknown>): Promise<number> => {
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await fn().catch(() => undefined);
        min = Math.min(min, performance.now() - t);
      }
      return min;
    };
    const ours = await best(async () => {
      const r = await verify(file);
      if (!r.error) throw new Error(`${name}: expected a typed error`);
    });
    const sdk = await best(() => Reader.fromAsset({ path: file }));
    line(bench, 'ms', ours, sdk);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchHostile((bench, unit, ours, sdk) => process.stdout.write(`${JSON.stringify({ bench, unit, ours, sdk, ceiling: null })}\n`));
}
