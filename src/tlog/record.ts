/**
 * The log record of a stamped or propagated file, read from the file itself: its active manifest's
 * label, the SHA-256 of its manifest store, its hard-binding hash (data, BMFF or box hash assertion)
 * and, when the manifest declares a soft binding (watermark), its algorithm and identifier.
 */
import { createHash } from 'node:crypto';
import { openInput, type MediaInput } from '../service/input.ts';
import { parseManifestStore, type StoredAssertion } from '../manifest/index.ts';
import { ManifestNotFoundError, MalformedInputError, said } from '../errors.ts';
import { decodeLogRecord, type LogRecord } from './entry.ts';
import { LogIntegrityError } from './errors.ts';
import type { Checkpoint, NoteVerifier } from './note.ts';
import { parseTlogProof, verifyTlogProof } from './proof-text.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const HARD_BINDINGS = ['c2pa.hash.data', 'c2pa.hash.bmff', 'c2pa.hash.boxes'];

function hardBindingHash(a: StoredAssertion): string {
  const data = a.data as { hash?: unknown } | undefined;
  if (data && data.hash instanceof Uint8Array) return hex(data.hash);
  return createHash('sha256')
    .update(a.raw ?? a.payload)
    .digest('hex');
}

function softBinding(assertions: readonly StoredAssertion[]): { watermarkAlg?: string; watermarkId?: string } {
  const sb = assertions.find((a) => a.label.startsWith('c2pa.soft-binding'));
  if (!sb) return {};
  const data = sb?.data as { alg?: unknown; blocks?: { value?: unknown }[] } | undefined;
  if (!data || typeof data.alg !== 'string') return {};
  const value = data.blocks?.[0]?.value;
  const id =
    value instanceof Uint8Array ? hex(value) : typeof value === 'string' && /^[0-9a-fA-F]+$/.test(value) ? value.toLowerCase() : undefined;
  return { watermarkAlg: data.alg, ...(id ? { watermarkId: id } : {}) };
}

/**
 * Build the log record of a file that carries a C2PA manifest.
 * @throws {ManifestNotFoundError} when the file has no manifest store or no active manifest.
 * @throws {IoError} / {UnsupportedFormatError} / {MalformedInputError} when the file cannot be read.
 */
export async function recordOfFile(input: MediaInput, now = new Date()): Promise<LogRecord> {
  return (await readRecord(input, now)).record;
}

/**
 * The log record of a file together with its manifest store bytes (`sidecarStore`: the store of a file whose
 * manifest is kept beside it, not in it).
 * @throws {ManifestNotFoundError} when the file has no manifest store or no active manifest.
 * @throws {IoError} / {UnsupportedFormatError} / {MalformedInputError} when the file cannot be read.
 */
export async function readRecord(
  input: MediaInput,
  now = new Date(),
  sidecarStore?: Uint8Array,
): Promise<{ record: LogRecord; store: Uint8Array }> {
  const opened = await openInput(input);
  try {
    const storeBytes = sidecarStore ?? (await opened.handler.readManifest(opened.src));
    if (!storeBytes)
      throw new ManifestNotFoundError(
        said('err.tlog.hasNoC2PAManifest', '{v1} has no C2PA manifest to record', { v1: typeof input === 'string' ? input : 'input' }),
      );
    const store = parseManifestStore(storeBytes);
    const active = store.active;
    if (!active) throw new ManifestNotFoundError(said('err.tlog.manifestStoreHasNo', 'the manifest store has no active manifest'));
    const hard = active.assertions.find((a) => HARD_BINDINGS.some((h) => a.label.startsWith(h)));
    const storeSha256 = createHash('sha256').update(storeBytes).digest('hex');
    // A platform's manifest declares no soft binding of its own; the producer's watermark is still in the
    // content, so the nearest earlier manifest that declares one (its ingredient) gives it.
    let soft = softBinding(active.assertions);
    for (let i = store.manifests.length - 2; i >= 0 && !soft.watermarkAlg; i--) soft = softBinding(store.manifests[i]!.assertions);
    const record: LogRecord = {
      ...soft,
      manifestId: active.label,
      storeSha256,
      assetHash: hard ? hardBindingHash(hard) : storeSha256,
      mediaType: opened.variant.mime,
      time: now.toISOString(),
    };
    return { record, store: storeBytes };
  } finally {
    await opened.close();
  }
}

/**
 * Check a `tlog-proof` receipt for a file: the receipt's entry (its `extra` data) must be this file's record
 * (same manifest, store hash, asset hash and watermark; only the recording time is taken from the entry), and the
 * entry must be included in the checkpoint the log's key signed.
 * @throws {LogIntegrityError} `tlog.inclusion.invalid` when the entry is not the file's or not in the tree;
 *   `tlog.checkpoint.signature` when the checkpoint is not the log's.
 * @throws {MalformedInputError} when the receipt has no entry or is malformed.
 */
export async function verifyReceipt(
  receipt: string,
  input: MediaInput,
  verifier: NoteVerifier,
): Promise<{ index: number; checkpoint: Checkpoint; record: LogRecord }> {
  const proof = parseTlogProof(receipt);
  if (!proof.extra)
    throw new MalformedInputError('tlog-proof', said('err.tlog.receiptCarriesNoEntry', 'the receipt carries no entry (extra line)'));
  const logged = decodeLogRecord(proof.extra);
  const mine = await recordOfFile(input);
  for (const k of ['manifestId', 'storeSha256', 'assetHash', 'watermarkAlg', 'watermarkId', 'mediaType'] as const) {
    if (logged[k] !== mine[k])
      throw new LogIntegrityError(
        'tlog.inclusion.invalid',
        `the receipt's entry records ${k} ${logged[k] ?? '(none)'}, the file has ${mine[k] ?? '(none)'}`,
      );
  }
  const r = await verifyTlogProof(receipt, proof.extra, verifier);
  return { ...r, record: logged };
}
