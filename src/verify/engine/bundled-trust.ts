/**
 * The trust lists shipped in `assets/trust/` (see its NOTICE): the official C2PA trust list
 * (claim signers) and C2PA TSA trust list, with their names and dates from `lists.json`.
 * Read once per process, on first use; data, not code — a newer download replaces them
 * through `TrustOptions.trustListPem` / `tsaTrustListPem` (`--trust-list`, `--tsa-trust`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IoError, said } from '../../errors.ts';

/** Metadata of one bundled list (`assets/trust/lists.json`). */
export interface BundledListInfo {
  readonly name: string;
  readonly file: string;
  readonly use: string;
  readonly issued: string;
  readonly next_update: string;
  readonly source: string;
  readonly snapshot: string;
  readonly licence: string;
}

/** A bundled list: its PEM text and metadata. */
export interface BundledList {
  readonly pem: string;
  readonly info: BundledListInfo;
  /**
   * Its entry of `anchor-index.json` (see `anchor-index.ts`), unchecked: used only when it
   * matches the PEM text. Absent when the file is missing or unreadable.
   */
  readonly index?: unknown;
}

const DIR = new URL('../../../assets/trust/', import.meta.url);
let cached: { c2pa: BundledList; tsa: BundledList } | undefined;

/** `anchor-index.json`, or undefined when missing or not JSON (the lists are then parsed whole). */
function readIndex(): Record<string, unknown> | undefined {
  try {
    const x: unknown = JSON.parse(readFileSync(new URL(ANCHOR_INDEX_FILE, DIR), 'utf8'));
    return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // an optional speed-up: verification is the same without it
  }
}

/** The index file beside the lists (written by `scripts/build.mjs`). */
export const ANCHOR_INDEX_FILE = 'anchor-index.json';

/**
 * The bundled C2PA and TSA trust lists.
 * @throws {IoError} when the assets are missing from the installation.
 */
export function bundledTrustLists(): { c2pa: BundledList; tsa: BundledList } {
  if (cached) return cached;
  try {
    const meta = JSON.parse(readFileSync(new URL('lists.json', DIR), 'utf8')) as { c2pa: BundledListInfo; tsa: BundledListInfo };
    const index = readIndex();
    const load = (info: BundledListInfo, id: 'c2pa' | 'tsa'): BundledList => ({
      info,
      pem: readFileSync(new URL(info.file, DIR), 'utf8'),
      ...(index?.[id] ? { index: index[id] } : {}),
    });
    cached = { c2pa: load(meta.c2pa, 'c2pa'), tsa: load(meta.tsa, 'tsa') };
    return cached;
  } catch (err) {
    throw new IoError(
      said('err.vfy.bundledTrustListsCannot', 'bundled trust lists cannot be read from {v1}: {v2}', {
        v1: fileURLToPath(DIR),
        v2: (err as Error).message,
      }),
      fileURLToPath(DIR),
      {
        cause: err,
      },
    );
  }
}
