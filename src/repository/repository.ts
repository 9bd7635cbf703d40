/**
 * The manifest repository: where a stripped file finds its manifest again. For each recorded output
 * it keeps the manifest store (content-addressed files), an SQLite index (better-sqlite3) of the
 * manifest id, store and asset hashes, the watermark (soft-binding) algorithm and identifier and a
 * 64-bit perceptual hash, and an entry in the repository's transparency log, whose inclusion proof
 * says the record existed and has not been rewritten since.
 *
 *   DIR/index.sqlite            the index
 *   DIR/manifests/<sha256>.c2pa the manifest stores
 *   DIR/log/                    the transparency log (C2SP tlog-tiles)
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeBytesAtomic } from '../binary/atomic-write.ts';
import { ExternalToolError, InvalidArgumentError, IoError, said } from '../errors.ts';
import { encodeLogRecord, type LogRecord } from '../tlog/entry.ts';
import { TransparencyLog } from '../tlog/log.ts';
import { hammingDistance, phashBands16, toSigned64 } from './phash.ts';

/** One indexed record. */
export interface RepositoryRecord extends LogRecord {
  readonly logIndex: number;
  /** The perceptual hash, when the content is an image. */
  readonly phash?: bigint;
}

/** A perceptual-hash match. */
export interface PhashMatch {
  readonly record: RepositoryRecord;
  readonly distance: number;
}

interface Row {
  manifest_id: string;
  store_sha256: string;
  asset_hash: string;
  media_type: string;
  wm_alg: string | null;
  wm_id: string | null;
  phash: bigint | null;
  log_index: number;
  time: string;
}

interface Db {
  prepare(sql: string): { run(...a: unknown[]): unknown; get(...a: unknown[]): unknown; all(...a: unknown[]): unknown[] };
  exec(sql: string): void;
  pragma(s: string): unknown;
  close(): void;
  transaction<T extends (...a: never[]) => unknown>(fn: T): T;
  defaultSafeIntegers(on: boolean): unknown;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY, manifest_id TEXT NOT NULL, store_sha256 TEXT NOT NULL, asset_hash TEXT NOT NULL, media_type TEXT NOT NULL,
  wm_alg TEXT, wm_id TEXT, phash INTEGER, b0 INTEGER, b1 INTEGER, b2 INTEGER, b3 INTEGER, log_index INTEGER NOT NULL, time TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_wm ON records (wm_alg, wm_id);
CREATE INDEX IF NOT EXISTS records_manifest ON records (manifest_id);
DROP INDEX IF EXISTS records_b0;
DROP INDEX IF EXISTS records_b1;
DROP INDEX IF EXISTS records_b2;
DROP INDEX IF EXISTS records_b3;
CREATE INDEX IF NOT EXISTS records_b0p ON records (b0, phash);
CREATE INDEX IF NOT EXISTS records_b1p ON records (b1, phash);
CREATE INDEX IF NOT EXISTS records_b2p ON records (b2, phash);
CREATE INDEX IF NOT EXISTS records_b3p ON records (b3, phash);`;

/** The index's insert statement; {@link indexRow} gives its values. */
export const INSERT_SQL =
  'INSERT INTO records (manifest_id, store_sha256, asset_hash, media_type, wm_alg, wm_id, phash, b0, b1, b2, b3, log_index, time) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)';

/** The values of {@link INSERT_SQL} for a record (the perceptual hash stored signed, with its four 16-bit bands). */
export function indexRow(r: LogRecord, phash: bigint | undefined, logIndex: number): unknown[] {
  return [
    r.manifestId,
    r.storeSha256,
    r.assetHash,
    r.mediaType,
    r.watermarkAlg ?? null,
    r.watermarkId ?? null,
    phash === undefined ? null : toSigned64(phash),
    ...(phash === undefined ? [null, null, null, null] : phashBands16(phash)),
    logIndex,
    r.time,
  ];
}

/** Load better-sqlite3. @throws {ExternalToolError} when it is not built. */
export function loadSqlite(): new (file: string) => Db {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as new (
      file: string,
    ) => Db;
  } catch (err) {
    throw new ExternalToolError(
      said('err.repo.betterSqlite3NotBuilt', 'better-sqlite3 is not built; run scripts/setup.sh: {v1}', { v1: (err as Error).message }),
      { cause: err },
    );
  }
}

const fromRow = (r: Row): RepositoryRecord => ({
  manifestId: r.manifest_id,
  storeSha256: r.store_sha256,
  assetHash: r.asset_hash,
  mediaType: r.media_type,
  time: r.time,
  logIndex: Number(r.log_index),
  ...(r.wm_alg ? { watermarkAlg: r.wm_alg } : {}),
  ...(r.wm_id ? { watermarkId: r.wm_id } : {}),
  ...(r.phash !== null ? { phash: BigInt.asUintN(64, BigInt(r.phash)) } : {}),
});

/** An open repository (one writer process; readers may share the folder). */
export class ManifestRepository {
  readonly dir: string;
  readonly log: TransparencyLog;
  readonly #db: Db;

  private constructor(dir: string, db: Db, log: TransparencyLog) {
    this.dir = dir;
    this.#db = db;
    this.log = log;
  }

  /**
   * Open the repository in `dir`, creating it (and its log, under `origin`) when absent.
   * @throws {ExternalToolError} when better-sqlite3 is not built.
   * @throws {IoError} / {LogIntegrityError} when the folder or its log cannot be opened.
   */
  static async open(dir: string, opts: { origin?: string; batchMs?: number } = {}): Promise<ManifestRepository> {
    const Database = loadSqlite();
    mkdirSync(path.join(dir, 'manifests'), { recursive: true });
    const logDir = path.join(dir, 'log');
    const batch = { batchMs: opts.batchMs ?? 20 };
    const log = existsSync(path.join(logDir, 'log.key'))
      ? await TransparencyLog.open(logDir, batch)
      : await TransparencyLog.create(logDir, opts.origin ?? 'aigc-provenance.local/repository', batch);
    const db = new Database(path.join(dir, 'index.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('cache_size = -65536'); // 64 MiB of pages: the band indexes of a large repository stay in memory
    db.defaultSafeIntegers(true);
    db.exec(SCHEMA);
    return new ManifestRepository(dir, db, log);
  }

  /**
   * Store a manifest and index its record; resolves once its log entry is committed.
   * @throws {InvalidArgumentError} when the record is incomplete.
   */
  async add(record: LogRecord, store: Uint8Array, phash?: bigint): Promise<RepositoryRecord> {
    const file = path.join(this.dir, 'manifests', `${record.storeSha256}.c2pa`);
    if (!existsSync(file)) writeBytesAtomic(file, store);
    const logIndex = await this.log.append(encodeLogRecord(record));
    this.#db.prepare(INSERT_SQL).run(...indexRow(record, phash, logIndex));
    return { ...record, logIndex, ...(phash !== undefined ? { phash } : {}) };
  }

  /** Add many rows in one transaction (bulk import and benchmarks; the log entries are appended in order). */
  async addMany(items: readonly { record: LogRecord; phash?: bigint }[]): Promise<void> {
    const indices = await Promise.all(items.map((i) => this.log.append(encodeLogRecord(i.record))));
    const ins = this.#db.prepare(INSERT_SQL);
    this.#db.transaction(() => {
      for (const [k, { record, phash }] of items.entries()) ins.run(...indexRow(record, phash, indices[k]!));
    })();
  }

  /** Records whose soft binding is `alg` with identifier `value` (hex). */
  byBinding(alg: string, value: string): RepositoryRecord[] {
    return (
      this.#db.prepare('SELECT * FROM records WHERE wm_alg = ? AND wm_id = ? ORDER BY id').all(alg, value.toLowerCase()) as Row[]
    ).map(fromRow);
  }

  /** Records of a manifest id. */
  byManifest(manifestId: string): RepositoryRecord[] {
    return (this.#db.prepare('SELECT * FROM records WHERE manifest_id = ? ORDER BY id').all(manifestId) as Row[]).map(fromRow);
  }

  /**
   * Records whose perceptual hash is within `maxDistance` (≤ 7) of `phash`, nearest first. Each 16-bit band is
   * probed with itself and its 16 one-bit neighbours, which finds every hash within distance 7 (four bands).
   * @throws {InvalidArgumentError} when maxDistance is above 7.
   */
  byPhash(phash: bigint, maxDistance = 6): PhashMatch[] {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 7)
      throw InvalidArgumentError.expected('a distance from 0 to 7', 'maxDistance', maxDistance);
    const bands = phashBands16(phash);
    // Candidates come from the covering (band, phash) indexes alone; only matches read their rows.
    const near = new Map<bigint, number>();
    bands.forEach((b, i) => {
      const probes = [b, ...Array.from({ length: 16 }, (_, bit) => b ^ (1 << bit))];
      const rows = this.#db.prepare(`SELECT id, phash FROM records WHERE b${i} IN (${probes.map(() => '?').join(',')})`).all(...probes) as {
        id: bigint;
        phash: bigint;
      }[];
      for (const r of rows) {
        const d = hammingDistance(r.phash, phash);
        if (d <= maxDistance) near.set(r.id, d);
      }
    });
    const byId = this.#db.prepare('SELECT * FROM records WHERE id = ?');
    const seen = new Map<string, PhashMatch>();
    for (const [id, distance] of near) {
      const rec = fromRow(byId.get(id) as Row);
      seen.set(`${rec.logIndex}`, { record: rec, distance });
    }
    return [...seen.values()].sort((a, b) => a.distance - b.distance || a.record.logIndex - b.record.logIndex);
  }

  /**
   * The stored manifest store of a record.
   * @throws {IoError} when it is missing.
   */
  manifestStore(storeSha256: string): Uint8Array {
    if (!/^[0-9a-f]{64}$/.test(storeSha256)) throw InvalidArgumentError.expected('a SHA-256 in hex', 'storeSha256', storeSha256);
    const file = path.join(this.dir, 'manifests', `${storeSha256}.c2pa`);
    try {
      return readFileSync(file);
    } catch (err) {
      throw new IoError(
        said('err.repo.repositoryHasNoManifest', 'the repository has no manifest store {storeSha256}', { storeSha256 }),
        file,
        { cause: err },
      );
    }
  }

  /** Number of records. */
  count(): number {
    return Number((this.#db.prepare('SELECT count(*) AS n FROM records').get() as { n: bigint }).n);
  }

  /** Flush the log and close the index. */
  async close(): Promise<void> {
    await this.log.close();
    this.#db.close();
  }
}
