/**
 * Sidecar manifest stores (issue #12 §6): as c2patool does, a file without an embedded
 * manifest is checked against `NAME.c2pa` beside it (`image.png` → `image.c2pa`). The
 * report says so (`chain.sidecar` and a warning). A bare store given alone vouches for no
 * content: `chain.binding.unchecked` makes it Invalid, whatever its signatures say.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readBareStore } from './bare-store.ts';

/** The sidecar path of a media path: same folder and name, extension `.c2pa`. */
export function sidecarPathOf(mediaPath: string): string {
  const p = path.parse(mediaPath);
  return path.join(p.dir, `${p.name}.c2pa`);
}

/**
 * The bytes of the sidecar store beside `mediaPath`, if there is one (a regular file that
 * starts like a JUMBF superbox).
 * @throws {IoError} when it exists but cannot be read. @throws {LimitExceededError} above MAX_MANIFEST_BYTES.
 */
export async function readSidecar(mediaPath: string): Promise<{ path: string; bytes: Uint8Array } | undefined> {
  const p = sidecarPathOf(mediaPath);
  if (path.resolve(p) === path.resolve(mediaPath)) return undefined;
  try {
    if (!statSync(p).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const bytes = await readBareStore(p);
  return bytes ? { path: p, bytes } : undefined;
}
