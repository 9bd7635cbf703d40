/**
 * Corpus files (fixtures/external/c2pa-rs/signed) whose remaining differences from the SDK
 * lie in work owned by other branches of issue #11: time-stamps and OCSP ('timestamp',
 * 'ocsp'), BMFF hash v1/v2/Merkle ('bmff'), `c2pa.hash.boxes` ('boxes'), update manifests
 * ('update'), CAWG identity ('cawg'). For each file: its owners and every code by which our
 * report still differs (success or failure, either way). corpus-parity.test.ts marks the
 * equality test of these files as an expected failure, and checks that nothing else differs.
 * Remove an entry when its owner's work lands (the expected failure then fails).
 */

/** Who owns a remaining difference. */
export type PendingOwner = 'timestamp' | 'bmff' | 'boxes' | 'update' | 'cawg' | 'ocsp';

/** One pending file. */
export interface PendingEntry {
  readonly owners: readonly PendingOwner[];
  /** The codes by which our report still differs from the SDK's. */
  readonly codes: readonly string[];
}

/**
 * The one difference left after the time-stamp, BMFF, box-hash, update and CAWG work landed: these two files'
 * 2025 DigiCert TSA chains to a public root in Node's store, which we trust for TSAs as c2pa-node does for its
 * other DigiCert tokens (C.jpg, CA.jpg), but c2pa-node 0.8.0 reports this one `timeStamp.untrusted`. Unexplained;
 * see README, "Time-stamps and OCSP".
 */
const DIGICERT_2025 = ['timeStamp.trusted', 'timeStamp.untrusted'];

/** Pending files by name. */
export const CORPUS_PENDING: Readonly<Record<string, PendingEntry>> = {
  'CACA.jpg': { owners: ['timestamp'], codes: DIGICERT_2025 },
  'C_with_CAWG_data.jpg': { owners: ['timestamp'], codes: DIGICERT_2025 },
};
