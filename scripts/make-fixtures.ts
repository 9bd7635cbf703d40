/**
 * Build every generated fixture into `fixtures/generated/` (git-ignored), in order.
 * Each module in `scripts/fixtures/` exports `name`, `order` and `make(dir)`; this runner
 * imports them all, so adding a fixture family means adding one file.
 *
 *   npx tsx scripts/make-fixtures.ts [--force]
 */
import { readdir, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

/** Where generated fixtures go. */
export const GENERATED_DIR = fileURLToPath(new URL('../fixtures/generated/', import.meta.url));

/** One fixture family. */
export interface FixtureModule {
  name: string;
  /** Lower runs first (PKI = 0, media = 10+). */
  order: number;
  make(dir: string): Promise<void>;
}

/** Make all fixtures (skipped when a family's `.done` stamp exists, unless `force`). */
export async function makeFixtures(force = false): Promise<void> {
  const here = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const files = (await readdir(here)).filter((f) => f.endsWith('.ts')).sort();
  const mods: FixtureModule[] = [];
  for (const f of files) mods.push((await import(pathToFileURL(path.join(here, f)).href)) as FixtureModule);
  mods.sort((a, b) => a.order - b.order);
  if (force) await rm(GENERATED_DIR, { recursive: true, force: true });
  await mkdir(GENERATED_DIR, { recursive: true });
  for (const m of mods) {
    const dir = path.join(GENERATED_DIR, m.name);
    const stamp = path.join(dir, '.done');
    try {
      await readdir(dir);
      const { access } = await import('node:fs/promises');
      await access(stamp);
      continue;
    } catch {
      /* needs building */
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await m.make(dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(stamp, new Date().toISOString());
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await makeFixtures(process.argv.includes('--force'));
  console.log(`fixtures ready in ${GENERATED_DIR}`);
}
