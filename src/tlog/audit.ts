/**
 * Checking a tiled log from the outside, as a monitor or an investigator would: a full audit of
 * a log's files against its checkpoint, inclusion proofs against checkpoints, and two checkpoints
 * against each other (a fork is two validly signed checkpoints that no consistency proof connects).
 * Results are data: `ok` plus `tlog.*` codes with explanations.
 */
import { LogIntegrityError, type LogIntegrityCode } from './errors.ts';
import { consistencyProof, leafHash, rangeHash, rootOfHashes, verifyConsistency, verifyInclusion, type Hash } from './merkle.ts';
import { openNote, parseCheckpoint, type Checkpoint, type NoteVerifier } from './note.ts';
import { TileReader, type TileFetch } from './tile-store.ts';
import { decodeBundle, fullTiles, HASH_BYTES, TILE_WIDTH, topLevel } from './tiles.ts';

/** One finding of an audit. */
export interface LogFinding {
  readonly code: LogIntegrityCode;
  readonly explanation: string;
}

/** The outcome of {@link auditLog}. */
export interface LogAudit {
  readonly ok: boolean;
  readonly checkpoint?: Checkpoint;
  readonly findings: readonly LogFinding[];
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Open a checkpoint note and check its signature by the log's key.
 * @throws {LogIntegrityError} `tlog.checkpoint.signature` when it is malformed or not signed by the key.
 */
export async function openCheckpoint(note: string, verifier: NoteVerifier): Promise<Checkpoint> {
  let opened: Awaited<ReturnType<typeof openNote>>;
  try {
    opened = await openNote(note, verifier);
  } catch (err) {
    throw new LogIntegrityError('tlog.checkpoint.signature', `not a well-formed signed checkpoint: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!opened.verified)
    throw new LogIntegrityError('tlog.checkpoint.signature', `the checkpoint carries no valid signature by ${verifier.name}`);
  const cp = parseCheckpoint(opened.text);
  if (cp.origin !== verifier.name)
    throw new LogIntegrityError('tlog.checkpoint.signature', `checkpoint origin ${cp.origin} is not the key's name ${verifier.name}`);
  return cp;
}

/**
 * Recompute every hash of a log from its entries and check that it reaches the checkpoint's root.
 * Catches a changed entry or tile (`tlog.tile.mismatch`), a missing or cut tile (`tlog.truncated`),
 * a root that the tiles do not give (`tlog.checkpoint.mismatch`) and a bad signature.
 */
export async function auditLog(fetch: TileFetch, checkpointNote: string, verifier: NoteVerifier): Promise<LogAudit> {
  const findings: LogFinding[] = [];
  let cp: Checkpoint;
  try {
    cp = await openCheckpoint(checkpointNote, verifier);
  } catch (err) {
    return { ok: false, findings: [asFinding(err)] };
  }
  const reader = new TileReader(fetch, cp.size);
  try {
    const bundles = Math.ceil(cp.size / TILE_WIDTH);
    for (let n = 0; n < bundles; n++) {
      const entries = decodeBundle(reader.tile('entries', n));
      const want = reader.widthOf('entries', n);
      if (entries.length !== want)
        throw new LogIntegrityError('tlog.truncated', `entry bundle ${n} holds ${entries.length} of ${want} entries`);
      const tile = reader.levelHashes(0, n * TILE_WIDTH, n * TILE_WIDTH + want);
      entries.forEach((e, i) => {
        if (!equal(leafHash(e), tile[i]!))
          findings.push({ code: 'tlog.tile.mismatch', explanation: `entry ${n * TILE_WIDTH + i} does not hash to its level-0 tile hash` });
      });
    }
    for (let l = 0; l < topLevel(cp.size); l++) {
      const count = fullTiles(l, cp.size);
      const above = reader.levelHashes(l + 1, 0, count);
      for (let n = 0; n < count; n++) {
        const hashes = reader.levelHashes(l, n * TILE_WIDTH, (n + 1) * TILE_WIDTH);
        if (!equal(rootOfHashes(hashes), above[n]!))
          findings.push({ code: 'tlog.tile.mismatch', explanation: `full tile ${l}/${n} does not hash to its entry in level ${l + 1}` });
      }
    }
    if (!equal(rangeHash(reader, 0, cp.size), cp.root))
      findings.push({ code: 'tlog.checkpoint.mismatch', explanation: `the tiles do not hash to the checkpoint root (size ${cp.size})` });
  } catch (err) {
    findings.push(asFinding(err));
  }
  return { ok: findings.length === 0, checkpoint: cp, findings };
}

/** Check an inclusion proof of `entry` at `index` against a checkpoint. */
export function checkInclusion(entry: Uint8Array, index: number, proof: readonly Hash[], cp: Checkpoint): boolean {
  return verifyInclusion(leafHash(entry), index, cp.size, proof, cp.root);
}

/**
 * Compare two checkpoints of the same log. With a newer log's tiles (`fetch`), a consistency proof is
 * computed and checked; otherwise only equal sizes can be compared. Equal sizes with different roots, or
 * a failed proof, is a fork: the log signed two histories.
 */
export async function compareCheckpoints(
  oldNote: string,
  newNote: string,
  verifier: NoteVerifier,
  fetch?: TileFetch,
): Promise<LogAudit & { proof?: Hash[] }> {
  let a: Checkpoint;
  let b: Checkpoint;
  try {
    a = await openCheckpoint(oldNote, verifier);
    b = await openCheckpoint(newNote, verifier);
  } catch (err) {
    return { ok: false, findings: [asFinding(err)] };
  }
  if (a.size > b.size) [a, b] = [b, a];
  if (a.size === b.size) {
    const same = equal(a.root, b.root);
    return {
      ok: same,
      checkpoint: b,
      findings: same ? [] : [{ code: 'tlog.checkpoint.fork', explanation: `two checkpoints of size ${a.size} with different roots` }],
    };
  }
  if (a.size === 0) return { ok: true, checkpoint: b, findings: [] };
  if (!fetch)
    return {
      ok: false,
      checkpoint: b,
      findings: [{ code: 'tlog.truncated', explanation: 'no tiles to compute a consistency proof from' }],
    };
  try {
    const proof = consistencyProof(new TileReader(fetch, b.size), a.size, b.size);
    const newRootOk = equal(rangeHash(new TileReader(fetch, b.size), 0, b.size), b.root);
    if (!newRootOk)
      return {
        ok: false,
        checkpoint: b,
        findings: [{ code: 'tlog.checkpoint.mismatch', explanation: `the tiles do not hash to the newer checkpoint (size ${b.size})` }],
      };
    if (!verifyConsistency(a.size, b.size, proof, a.root, b.root)) {
      return {
        ok: false,
        checkpoint: b,
        proof,
        findings: [
          { code: 'tlog.checkpoint.fork', explanation: `the checkpoint of size ${a.size} is not a prefix of the one of size ${b.size}` },
        ],
      };
    }
    return { ok: true, checkpoint: b, proof, findings: [] };
  } catch (err) {
    return { ok: false, checkpoint: b, findings: [asFinding(err)] };
  }
}

function asFinding(err: unknown): LogFinding {
  if (err instanceof LogIntegrityError) return { code: err.check, explanation: err.message };
  return { code: 'tlog.truncated', explanation: (err as Error).message };
}

/** Hash size used by tiles, re-exported for readers. */
export { HASH_BYTES };
