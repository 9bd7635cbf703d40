/**
 * Reading a tiled log from a folder (or anything that returns a tile's bytes by path): hashes of
 * perfect subtrees for proofs, entries by index, and the size-checked tile bytes. A tile that is
 * missing or of the wrong length is a {@link LogIntegrityError}, never a wrong proof.
 */
import { LogIntegrityError } from './errors.ts';
import { rootOfHashes, type Hash, type HashSource } from './merkle.ts';
import { decodeBundle, fullTiles, HASH_BYTES, partialWidth, TILE_HEIGHT, TILE_WIDTH, tilePath } from './tiles.ts';

/** Returns the bytes at a tile path, or undefined when there is no such file. */
export type TileFetch = (path: string) => Uint8Array | undefined;

/** Full tiles kept in memory per reader (8 KiB each). */
const CACHE_TILES = 512;

/** A read view of the log at one tree size. */
export class TileReader implements HashSource {
  readonly #fetch: TileFetch;
  readonly #cache = new Map<string, Uint8Array>();
  /** The tree size this view reads (tiles beyond it are never consulted). */
  readonly size: number;

  constructor(fetch: TileFetch, size: number) {
    this.#fetch = fetch;
    this.size = size;
  }

  /** Width of tile `n` at `level` in this tree (256 for full tiles, 0 when it does not exist). */
  widthOf(level: number | 'entries', n: number): number {
    const l = level === 'entries' ? 0 : level;
    const full = fullTiles(l, this.size);
    if (n < full) return TILE_WIDTH;
    return n === full ? partialWidth(l, this.size) : 0;
  }

  /**
   * The bytes of tile `n` at `level`, checked for length.
   * @throws {LogIntegrityError} `tlog.truncated` when the tile is missing or short.
   */
  tile(level: number | 'entries', n: number): Uint8Array {
    const width = this.widthOf(level, n);
    if (width === 0) throw new LogIntegrityError('tlog.truncated', `tile ${level}/${n} is beyond the tree size ${this.size}`);
    const p = tilePath(level, n, width);
    const hit = this.#cache.get(p);
    if (hit) return hit;
    const bytes = this.#fetch(p);
    if (!bytes) throw new LogIntegrityError('tlog.truncated', `${p} is missing for a tree of ${this.size} entries`);
    if (level !== 'entries' && bytes.length !== width * HASH_BYTES) {
      throw new LogIntegrityError('tlog.truncated', `${p} holds ${bytes.length} bytes, expected ${width * HASH_BYTES}`);
    }
    if (width === TILE_WIDTH) {
      if (this.#cache.size >= CACHE_TILES) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(p, bytes);
    }
    return bytes;
  }

  /** Hashes `[from, to)` of tile level `t` (each the root of a 256^t-leaf subtree). */
  levelHashes(t: number, from: number, to: number): Hash[] {
    const out: Hash[] = [];
    for (let i = from; i < to; ) {
      const n = Math.floor(i / TILE_WIDTH);
      const bytes = this.tile(t, n);
      const end = Math.min(to, (n + 1) * TILE_WIDTH);
      for (; i < end; i++) {
        const at = (i % TILE_WIDTH) * HASH_BYTES;
        if (at + HASH_BYTES > bytes.length) throw new LogIntegrityError('tlog.truncated', `hash ${i} of level ${t} is missing`);
        out.push(bytes.subarray(at, at + HASH_BYTES));
      }
    }
    return out;
  }

  /** {@link HashSource}: the root of the `2^level`-leaf subtree number `index`. */
  hashAt(level: number, index: number): Hash {
    const t = Math.floor(level / TILE_HEIGHT);
    const span = 2 ** (level % TILE_HEIGHT);
    return rootOfHashes(this.levelHashes(t, index * span, (index + 1) * span));
  }

  /**
   * Entry `index` from its bundle.
   * @throws {LogIntegrityError} `tlog.truncated` when the bundle is missing or too short.
   */
  entry(index: number): Uint8Array {
    const n = Math.floor(index / TILE_WIDTH);
    const entries = decodeBundle(this.tile('entries', n));
    const e = entries[index % TILE_WIDTH];
    if (!e || entries.length !== this.widthOf('entries', n))
      throw new LogIntegrityError('tlog.truncated', `entry bundle ${n} holds ${entries.length} entries`);
    return e;
  }
}
