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

/** The CLI's signing flags for a generated credential folder (`es256`, `platform-a`, …) and its role's code. */
export function signingFlags(credential: string, role: 'producer' | 'propagator', code: string): readonly string[] {
  return ['--cert', gen('pki', credential, 'chain.pem'), '--key', gen('pki', credential, 'key.pem'), `--${role}`, code];
}

/** The CLI's signing flags for the generated ES256 producer credential and the fictitious producer code. */
export const ES256_PRODUCER_FLAGS = signingFlags('es256', 'producer', '001191000000EXAMPLE01P10000');

/** The CLI's signing flags for the generated platform A credential and its fictitious propagator code. */
export const PLATFORM_A_PROPAGATOR_FLAGS = signingFlags('platform-a', 'propagator', '001191000000EXAMPLEA2520000');
