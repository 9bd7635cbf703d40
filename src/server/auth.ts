/**
 * Bearer tokens (from a file and/or the environment) and a per-token rate limit (a token
 * bucket; clients without a token are limited per address). Tokens are compared in
 * constant time through their SHA-256.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IoError, said } from '../errors.ts';
import type { AuthConfig } from './config.ts';

/** Longest token line accepted. */
export const MAX_TOKEN_CHARS = 512;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Known tokens and their names (for logs; the token itself is never logged). */
export class TokenSet {
  readonly #tokens: { name: string; digest: Buffer }[] = [];

  /**
   * Read the configured tokens.
   * @throws {IoError} when the tokens file cannot be read.
   */
  constructor(config: AuthConfig) {
    const lines = [...config.tokens];
    if (config.tokensFile) {
      try {
        lines.push(...readFileSync(config.tokensFile, 'utf8').split(/\r?\n/));
      } catch (err) {
        throw new IoError(
          said('err.io.readWhat', 'cannot read {what} {path}: {why}', {
            what: 'tokens file',
            path: config.tokensFile,
            why: (err as NodeJS.ErrnoException).code ?? String(err),
          }),
          config.tokensFile,
          { cause: err },
        );
      }
    }
    let n = 0;
    for (const raw of lines) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.length > MAX_TOKEN_CHARS) continue;
      const colon = line.indexOf(':');
      const [name, token] = colon > 0 ? [line.slice(0, colon), line.slice(colon + 1)] : [`token-${++n}`, line];
      if (token) this.#tokens.push({ name, digest: digest(token) });
    }
  }

  /** How many tokens are configured. */
  get size(): number {
    return this.#tokens.length;
  }

  /** The name of `token`, or undefined when it is not a configured token. */
  check(token: string): string | undefined {
    if (token.length > MAX_TOKEN_CHARS) return undefined;
    const d = digest(token);
    let found: string | undefined;
    for (const t of this.#tokens) if (timingSafeEqual(t.digest, d)) found ??= t.name;
    return found;
  }
}

/** The bearer token of an Authorization header: undefined when absent, null when malformed. */
export function bearerOf(header: string | undefined): string | undefined | null {
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** Most buckets kept at once; the oldest are dropped beyond it. */
export const MAX_RATE_BUCKETS = 100_000;

/** A token bucket per key. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
  ) {}

  /** Take one token for `key`: 0 when allowed, else the seconds until one is available. */
  take(key: string, now = Date.now()): number {
    if (this.ratePerSecond <= 0) return 0;
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= MAX_RATE_BUCKETS) this.#buckets.delete(this.#buckets.keys().next().value!);
      b = { tokens: this.burst, at: now };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.ratePerSecond);
  }
}
