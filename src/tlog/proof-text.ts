/**
 * The C2SP `tlog-proof` text form: an offline-verifiable receipt that an entry is in the log.
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <N>
 *   <base64 hash>            (the inclusion proof, leaf side first, one per line)
 *   <empty line>
 *   <the signed checkpoint, verbatim>
 *
 * Stored beside a stamped file as `NAME.tlog-proof`, never inside the manifest it commits to.
 */
import { MalformedInputError, said } from '../errors.ts';
import { checkInclusion, openCheckpoint } from './audit.ts';
import { LogIntegrityError } from './errors.ts';
import type { Hash } from './merkle.ts';
import type { Checkpoint, NoteVerifier } from './note.ts';

const HEADER = 'c2sp.org/tlog-proof@v1';
const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** A parsed proof. */
export interface TlogProof {
  readonly index: number;
  readonly proof: readonly Hash[];
  readonly checkpoint: string;
  readonly extra?: Uint8Array;
}

/** Format a proof. */
export function formatTlogProof(p: TlogProof): string {
  const extra = p.extra ? `extra ${b64(p.extra)}\n` : '';
  return `${HEADER}\n${extra}index ${p.index}\n${p.proof.map((h) => `${b64(h)}\n`).join('')}\n${p.checkpoint}`;
}

/**
 * Parse a proof.
 * @throws {MalformedInputError} when a line is missing or malformed.
 */
export function parseTlogProof(text: string): TlogProof {
  const lines = text.split('\n');
  if (lines[0] !== HEADER)
    throw new MalformedInputError('tlog-proof', said('err.tlog.firstLineNot', 'first line is not {HEADER}', { HEADER }));
  let i = 1;
  let extra: Uint8Array | undefined;
  if (lines[i]?.startsWith('extra ')) extra = unb64(lines[i++]!.slice(6));
  const m = /^index (0|[1-9]\d{0,15})$/.exec(lines[i++] ?? '');
  if (!m) throw new MalformedInputError('tlog-proof', said('err.tlog.missingMalformedIndexLine', 'missing or malformed index line'));
  const proof: Hash[] = [];
  for (; i < lines.length && lines[i] !== ''; i++) {
    if (proof.length >= 64 || !/^[A-Za-z0-9+/]{43}=$/.test(lines[i]!))
      throw new MalformedInputError('tlog-proof', said('err.tlog.badProofHashLine', 'bad proof hash line {v1}', { v1: i + 1 }));
    proof.push(unb64(lines[i]!));
  }
  if (lines[i] !== '')
    throw new MalformedInputError('tlog-proof', said('err.tlog.noEmptyLineBefore', 'no empty line before the checkpoint'));
  return { index: Number(m[1]), proof, checkpoint: lines.slice(i + 1).join('\n'), ...(extra ? { extra } : {}) };
}

/**
 * Verify a proof for `entry` against the log's key: the checkpoint's signature, then the inclusion proof.
 * @throws {LogIntegrityError} `tlog.checkpoint.signature` or `tlog.inclusion.invalid`.
 * @throws {MalformedInputError} when the proof text is malformed.
 */
export async function verifyTlogProof(
  text: string,
  entry: Uint8Array,
  verifier: NoteVerifier,
): Promise<{ index: number; checkpoint: Checkpoint }> {
  const p = parseTlogProof(text);
  const cp = await openCheckpoint(p.checkpoint, verifier);
  if (!checkInclusion(entry, p.index, p.proof, cp))
    throw new LogIntegrityError(
      'tlog.inclusion.invalid',
      `entry ${p.index} is not in the tree of size ${cp.size} that the checkpoint commits to`,
    );
  return { index: p.index, checkpoint: cp };
}
