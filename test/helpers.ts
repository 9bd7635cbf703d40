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

/** The CLI's signing flags for the generated ES256 producer credential and the fictitious producer code. */
export const ES256_PRODUCER_FLAGS: readonly string[] = [
  '--cert',
  gen('pki', 'es256', 'chain.pem'),
  '--key',
  gen('pki', 'es256', 'key.pem'),
  '--producer',
  '001191000000EXAMPLE01P10000',
];

/** The CLI's signing flags for the generated platform A credential and its fictitious propagator code. */
export const PLATFORM_A_PROPAGATOR_FLAGS: readonly string[] = [
  '--cert',
  gen('pki', 'platform-a', 'chain.pem'),
  '--key',
  gen('pki', 'platform-a', 'key.pem'),
  '--propagator',
  '001191000000EXAMPLEA2520000',
];
