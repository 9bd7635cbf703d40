/** Shared test helpers. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of a generated fixture: `gen('pki', 'root.pem')`. */
export function gen(...parts: string[]): string {
  return path.join(fileURLToPath(new URL('../fixtures/generated/', import.meta.url)), ...parts);
}

/** Absolute path inside the repo. */
export function repo(...parts: string[]): string {
  return path.join(fileURLToPath(new URL('../', import.meta.url)), ...parts);
}
