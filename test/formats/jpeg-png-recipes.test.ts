/** The image fixtures behave as `recipes.json` says, and the committed copy is current. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { LimitExceededError, MalformedInputError, UnsupportedFormatError } from '../../src/errors.ts';
import { jpegHandler } from '../../src/formats/jpeg.ts';
import { pngHandler } from '../../src/formats/png.ts';
import { IPTC_CARRIER_PREFIX } from '../../src/labels/implicit/types.ts';
import { gen, repo } from '../helpers.ts';

interface Recipe {
  file: string;
  recipe: string;
  labels: { foundIn: string; raw: string }[];
  hostile?: keyof typeof ERRORS;
}

/** The error classes a hostile recipe may name. */
const ERRORS = { MalformedInputError, LimitExceededError, UnsupportedFormatError };

describe('image fixture recipes', async () => {
  const text = await readFile(gen('images', 'recipes.json'), 'utf8');
  const { fixtures } = JSON.parse(text) as { fixtures: Recipe[] };

  it('matches the committed copy in fixtures/recipes/images.json', async () => {
    expect(JSON.parse(await readFile(repo('fixtures', 'recipes', 'images.json'), 'utf8'))).toEqual(JSON.parse(text));
  });

  for (const r of fixtures) {
    it(`${r.file}: ${r.recipe}`, async () => {
      const bytes = await readFile(gen('images', r.file));
      const handler = r.file.endsWith('.png') ? pngHandler : jpegHandler;
      expect(handler.sniff(bytes.subarray(0, 64))).toBe(true);
      const src = new BufferSource(bytes);
      if (r.hostile) {
        const cls = ERRORS[r.hostile];
        await expect(handler.readLabels(src)).rejects.toBeInstanceOf(cls);
        return;
      }
      expect(await handler.readManifest(src)).toBeUndefined();
      const all = await handler.readLabels(src);
      // IPTC carriers are the only other kind, and say so in their description too.
      for (const f of all) expect(f.kind === 'iptc-source-type').toBe(f.foundIn.startsWith(IPTC_CARRIER_PREFIX));
      const found = all.filter((f) => f.kind === 'gb45438');
      expect(found).toEqual(r.labels.map((l) => ({ kind: 'gb45438', ...l })));
    });
  }
});
