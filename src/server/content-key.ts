/**
 * The content key of an upload kept in memory by the in-process service (`limits.memoryUploadBytes`):
 * what its job id derives from in place of the SHA-256 of a spooled upload. It is a GMAC: AES-256-GCM's
 * GHASH over the bytes as additional data, under a key and nonce drawn once per process and never
 * shown. A client cannot make two different uploads share a key (GHASH under a secret key is a
 * universal hash: a collision is found with probability about length/2^128 per try, and the key
 * never leaves the process: the key enters the job id only through SHA-256, see `jobIdOf`), which is
 * all a job id needs; and it costs a quarter of SHA-256 (0.05 against 0.20 ms of CPU for a 350 kB
 * upload here, on the HTTP thread of every request). Such keys mean nothing to another process, so
 * uploads that go to a queue or to the spool keep SHA-256.
 */
import { createCipheriv, randomBytes, type CipherGCM } from 'node:crypto';

const KEY = randomBytes(32);
const NONCE = randomBytes(12);

/** Prefix of a content key (never equal to a hex SHA-256, so the two kinds of id never meet). */
export const CONTENT_KEY_PREFIX = 'gmac:';

/** An incremental content key: {@link update} with every chunk, then {@link digest} once. */
export class ContentKey {
  readonly #gcm: CipherGCM = createCipheriv('aes-256-gcm', KEY, NONCE);

  /** Add `chunk` (before {@link digest}). */
  update(chunk: Uint8Array): void {
    this.#gcm.setAAD(chunk);
  }

  /** The key of the bytes so far: {@link CONTENT_KEY_PREFIX} and 32 hex digits. */
  digest(): string {
    this.#gcm.final();
    return CONTENT_KEY_PREFIX + this.#gcm.getAuthTag().toString('hex');
  }
}
