/**
 * The trust lists shipped in `assets/trust/` (see its NOTICE): the official C2PA trust list
 * (claim signers) and C2PA TSA trust list, with their names and dates from `lists.json`.
 * Read once per process, on first use; data, not code — a newer download replaces them
 * through `TrustOptions.trustListPem` / `tsaTrustListPem` (`--trust-list`, `--tsa-trust`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IoError } from '../../errors.ts';

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
}

const DIR = new URL('../../../assets/trust/', import.meta.url);
let cached: { c2pa: BundledList; tsa: BundledList } | undefined;

/**
 * The bundled C2PA and TSA trust lists.
 * @throws {IoError} when the assets are missing from the installation.
 */
export function bundledTrustLists(): { c2pa: BundledList; tsa: BundledList } {
  if (cached) return cached;
  try {
    const meta = JSON.parse(readFileSync(new URL('lists.json', DIR), 'utf8')) as { c2pa: BundledListInfo; tsa: BundledListInfo };
    const load = (info: BundledListInfo): BundledList => ({ info, pem: readFileSync(new URL(info.file, DIR), 'utf8') });
    cached = { c2pa: load(meta.c2pa), tsa: load(meta.tsa) };
    return cached;
  } catch (err) {
    throw new IoError(`bundled trust lists cannot be read from ${fileURLToPath(DIR)}: ${(err as Error).message}`, fileURLToPath(DIR), { cause: err });
  }
}
