/**
 * An append-only transparency log stored as static files in the C2SP `tlog-tiles` layout, with
 * checkpoints signed by the log's own Ed25519 key (C2SP signed note). Any web server or CDN can
 * serve the folder as it is.
 *
 * Appends are batched: an entry is acknowledged (its promise resolves with its index) only once
 * the batch that holds it has been written — entry bundles and tiles first, the signed checkpoint
 * last, each file by temp + rename. A process killed mid-batch therefore leaves the previous
 * checkpoint, which still matches its tiles, and loses only unacknowledged entries. On open the log
 * recomputes its root from the tiles and refuses to continue from a checkpoint they do not match, so
 * it never signs a checkpoint inconsistent with one it signed before. One writer per folder (a lock
 * file holds the writer's pid).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeBytesAtomic } from '../binary/atomic-write.ts';
import { InvalidArgumentError, IoError, said } from '../errors.ts';
import { LogIntegrityError } from './errors.ts';
import { EMPTY_ROOT, consistencyProof, inclusionProof, leafHash, nodeHash, rootOfHashes, type Hash } from './merkle.ts';
import {
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  makeNoteSigner,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  signNote,
  type Checkpoint,
  type NoteSigner,
} from './note.ts';
import { TileReader } from './tile-store.ts';
import { encodeBundle, MAX_ENTRY_BYTES, partialWidth, TILE_WIDTH, tilePath, topLevel, fullTiles, HASH_BYTES } from './tiles.ts';

/** File names inside a log folder. */
export const LOG_FILES = { checkpoint: 'checkpoint', key: 'log.key', vkey: 'log.pub', lock: 'log.lock' } as const;

/** Batching and durability options. */
export interface LogOptions {
  /** Commit when this many entries are waiting (default 256). */
  readonly batchSize?: number;
  /** Commit at most this long after the first waiting entry, in ms (default 1000). */
  readonly batchMs?: number;
  /** fsync each file before its rename (default: `$AIGC_DURABLE_WRITES=1`). */
  readonly durable?: boolean;
}

interface Pending {
  entry: Uint8Array;
  resolve: (i: number) => void;
  reject: (e: unknown) => void;
}

/** A tiled transparency log opened for writing. */
export class TransparencyLog {
  readonly dir: string;
  readonly origin: string;
  readonly #signer: NoteSigner;
  readonly #opts: Required<LogOptions>;
  #size = 0;
  #checkpoint = '';
  #frontier: { hash: Hash; height: number }[] = [];
  #levels: Hash[][] = [];
  #entries: Uint8Array[] = [];
  #pending: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #committing: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(dir: string, origin: string, signer: NoteSigner, opts: LogOptions) {
    this.dir = dir;
    this.origin = origin;
    this.#signer = signer;
    this.#opts = {
      batchSize: opts.batchSize ?? 256,
      batchMs: opts.batchMs ?? 1000,
      durable: opts.durable ?? process.env.AIGC_DURABLE_WRITES === '1',
    };
  }

  /**
   * Create a new, empty log in `dir` with a fresh key; writes `log.key` (0600), `log.pub` and the size-0 checkpoint.
   * @throws {InvalidArgumentError} when `dir` already holds a log, or the origin is not a valid key name.
   * @throws {IoError} when files cannot be written.
   */
  static async create(dir: string, origin: string, opts: LogOptions = {}): Promise<TransparencyLog> {
    if (existsSync(path.join(dir, LOG_FILES.key)))
      throw new InvalidArgumentError(
        said('err.tlog.alreadyHoldsTransparencyLog', '{dir} already holds a transparency log (log.key exists)', { dir }),
      );
    const signer = await makeNoteSigner(origin);
    mkdirSync(dir, { recursive: true });
    writeBytesAtomic(path.join(dir, LOG_FILES.key), new TextEncoder().encode(`${formatSignerKey(signer)}\n`));
    chmodSync(path.join(dir, LOG_FILES.key), 0o600);
    writeBytesAtomic(path.join(dir, LOG_FILES.vkey), new TextEncoder().encode(`${formatVerifierKey(signer)}\n`));
    const log = new TransparencyLog(dir, origin, signer, opts);
    log.#lock();
    await log.#writeCheckpoint();
    return log;
  }

  /**
   * Open an existing log for appending. Its checkpoint must verify with its key and match its tiles.
   * @throws {IoError} when files cannot be read, or another live process holds the lock.
   * @throws {LogIntegrityError} when the checkpoint is not validly signed or the tiles do not hash to it.
   */
  static async open(dir: string, opts: LogOptions = {}): Promise<TransparencyLog> {
    const signer = await parseSignerKey(readText(path.join(dir, LOG_FILES.key)));
    const note = await openNote(readText(path.join(dir, LOG_FILES.checkpoint)), signer);
    if (!note.verified) throw new LogIntegrityError('tlog.checkpoint.signature', `${dir}/checkpoint is not signed by the log's key`);
    const cp = parseCheckpoint(note.text);
    const log = new TransparencyLog(dir, cp.origin, signer, opts);
    log.#lock();
    try {
      log.#restore(cp, readText(path.join(dir, LOG_FILES.checkpoint)));
    } catch (err) {
      log.#unlock();
      throw err;
    }
    return log;
  }

  /** Committed tree size. */
  get size(): number {
    return this.#size;
  }
  /** The latest signed checkpoint (note text). */
  get checkpoint(): string {
    return this.#checkpoint;
  }
  /** The log's verifier key, for publication. */
  get verifierKey(): string {
    return formatVerifierKey(this.#signer);
  }

  /**
   * Append an entry; resolves with its index once its batch is committed.
   * @throws {LimitExceededError} (rejects) when the entry is longer than 65,535 bytes.
   */
  append(entry: Uint8Array): Promise<number> {
    if (this.#closed)
      return Promise.reject(new InvalidArgumentError(said('err.tlog.transparencyLogClosed', 'the transparency log is closed')));
    if (entry.length > MAX_ENTRY_BYTES)
      return Promise.reject(
        new InvalidArgumentError(
          said('err.tlog.expectedLogEntryMost', 'Expected a log entry of at most {MAX_ENTRY_BYTES} bytes but received {v2}', {
            MAX_ENTRY_BYTES,
            v2: entry.length,
          }),
        ),
      );
    return new Promise<number>((resolve, reject) => {
      this.#pending.push({ entry, resolve, reject });
      if (this.#pending.length >= this.#opts.batchSize) void this.flush();
      else this.#timer ??= setTimeout(() => void this.flush(), this.#opts.batchMs);
    });
  }

  /** Commit everything waiting now; resolves when it is written. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending.splice(0);
    this.#committing = this.#committing.then(() => (batch.length ? this.#commit(batch) : undefined));
    return this.#committing;
  }

  /** A read view of the committed tree (or of an earlier size). */
  reader(size = this.#size): TileReader {
    if (size > this.#size) throw InvalidArgumentError.expected(`a size up to ${this.#size}`, 'size', size);
    return new TileReader((p) => readOptional(path.join(this.dir, p)), size);
  }

  /** Inclusion proof for entry `index` in the tree of `size` (default: current). */
  proveInclusion(index: number, size = this.#size): Hash[] {
    return inclusionProof(this.reader(size), index, size);
  }

  /** Consistency proof from the tree of `oldSize` to that of `newSize` (default: current). */
  proveConsistency(oldSize: number, newSize = this.#size): Hash[] {
    return consistencyProof(this.reader(newSize), oldSize, newSize);
  }

  /** Flush, then release the lock. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#unlock();
  }

  async #commit(batch: Pending[]): Promise<void> {
    try {
      for (const p of batch) {
        this.#entries.push(p.entry);
        const h = leafHash(p.entry);
        this.#pushHash(0, h);
        this.#pushFrontier(h);
        if (this.#entries.length === TILE_WIDTH) {
          this.#write(tilePath('entries', Math.floor(this.#size / TILE_WIDTH)), encodeBundle(this.#entries));
          this.#entries = [];
        }
        this.#size++;
      }
      this.#writePartials();
      await this.#writeCheckpoint();
      const first = this.#size - batch.length;
      for (const [i, p] of batch.entries()) p.resolve(first + i);
    } catch (err) {
      for (const p of batch) p.reject(err);
      throw err;
    }
  }

  #pushHash(level: number, hash: Hash): void {
    const buf = (this.#levels[level] ??= []);
    buf.push(hash);
    if (buf.length === TILE_WIDTH) {
      const n = fullTiles(level, this.#size + 1) - 1;
      this.#write(tilePath(level, n), concat(buf));
      this.#levels[level] = [];
      this.#pushHash(level + 1, rootOfHashes(buf));
    }
  }

  #pushFrontier(hash: Hash): void {
    this.#frontier.push({ hash, height: 0 });
    while (this.#frontier.length > 1 && this.#frontier.at(-1)!.height === this.#frontier.at(-2)!.height) {
      const right = this.#frontier.pop()!;
      const left = this.#frontier.pop()!;
      this.#frontier.push({ hash: nodeHash(left.hash, right.hash), height: left.height + 1 });
    }
  }

  #root(): Hash {
    if (this.#frontier.length === 0) return EMPTY_ROOT;
    let r = this.#frontier.at(-1)!.hash;
    for (let i = this.#frontier.length - 2; i >= 0; i--) r = nodeHash(this.#frontier[i]!.hash, r);
    return r;
  }

  #writePartials(): void {
    for (let l = 0; l <= topLevel(this.#size); l++) {
      const w = partialWidth(l, this.#size);
      if (w > 0) this.#write(tilePath(l, fullTiles(l, this.#size), w), concat(this.#levels[l]!));
    }
    const w = partialWidth(0, this.#size);
    if (w > 0) this.#write(tilePath('entries', fullTiles(0, this.#size), w), encodeBundle(this.#entries));
  }

  async #writeCheckpoint(): Promise<void> {
    const cp: Checkpoint = { origin: this.origin, size: this.#size, root: this.#root(), extensions: [] };
    const note = await signNote(formatCheckpoint(cp), this.#signer);
    this.#write(LOG_FILES.checkpoint, new TextEncoder().encode(note));
    this.#checkpoint = note;
  }

  #restore(cp: Checkpoint, note: string): void {
    const reader = new TileReader((p) => readOptional(path.join(this.dir, p)), cp.size);
    let offset = 0;
    for (let k = 52; k >= 0; k--) {
      const span = 2 ** k;
      if (offset + span <= cp.size) {
        this.#frontier.push({ hash: reader.hashAt(k, offset / span), height: k });
        offset += span;
      }
    }
    if (!equal(this.#root(), cp.root))
      throw new LogIntegrityError(
        'tlog.checkpoint.mismatch',
        `the tiles in ${this.dir} do not hash to its checkpoint's root (size ${cp.size})`,
      );
    for (let l = 0; l <= topLevel(cp.size); l++) {
      const w = partialWidth(l, cp.size);
      this.#levels[l] = w ? reader.levelHashes(l, fullTiles(l, cp.size) * TILE_WIDTH, fullTiles(l, cp.size) * TILE_WIDTH + w) : [];
    }
    const w = partialWidth(0, cp.size);
    const base = fullTiles(0, cp.size) * TILE_WIDTH;
    this.#entries = Array.from({ length: w }, (_, i) => reader.entry(base + i));
    if (this.#entries.some((e, i) => !equal(leafHash(e), this.#levels[0]![i]!))) {
      throw new LogIntegrityError('tlog.tile.mismatch', 'the partial entry bundle does not match the partial level-0 tile');
    }
    this.#size = cp.size;
    this.#checkpoint = note;
  }

  #write(rel: string, bytes: Uint8Array): void {
    const file = path.join(this.dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeBytesAtomic(file, bytes, this.#opts.durable);
  }

  #lock(): void {
    const file = path.join(this.dir, LOG_FILES.lock);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new IoError(said('err.tlog.cannotLock', 'cannot lock {file}: {v2}', { file, v2: (err as Error).message }), file, {
            cause: err,
          });
        const pid = Number(readOptional(file) ? new TextDecoder().decode(readOptional(file)) : NaN);
        if (Number.isInteger(pid) && pid > 0 && alive(pid))
          throw new IoError(
            said('err.tlog.beingWrittenProcess', '{dir} is being written by process {pid} ({file})', { dir: this.dir, pid, file }),
            file,
          );
        rmSync(file, { force: true });
      }
    }
  }

  #unlock(): void {
    rmSync(path.join(this.dir, LOG_FILES.lock), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOptional(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new IoError(
      said('err.tlog.cannotRead', 'cannot read {file}: {v2}', { file, v2: (err as NodeJS.ErrnoException).code ?? String(err) }),
      file,
      { cause: err },
    );
  }
}

function concat(hashes: readonly Hash[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_BYTES);
  for (const [i, h] of hashes.entries()) out.set(h, i * HASH_BYTES);
  return out;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
