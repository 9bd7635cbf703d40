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

const TS = ['timeStamp.validated', 'timeStamp.trusted'];

/** Pending files by name. */
export const CORPUS_PENDING: Readonly<Record<string, PendingEntry>> = {
  'C.jpg': { owners: ['timestamp'], codes: TS },
  'CA.jpg': { owners: ['timestamp'], codes: TS },
  'CACAE-uri-CA.jpg': { owners: ['timestamp'], codes: TS },
  'CIE-sig-CA.jpg': { owners: ['timestamp'], codes: TS },
  'XCA.jpg': { owners: ['timestamp'], codes: TS },
  'boxhash.jpg': { owners: ['timestamp'], codes: TS },
  'legacy_ingredient_hash.jpg': { owners: ['timestamp'], codes: TS },
  // An expired Adobe signer made valid by its trusted time-stamp.
  'ocsp.jpg': { owners: ['timestamp'], codes: [...TS, 'signingCredential.expired'] },
  'C_with_CAWG_data.jpg': { owners: ['cawg'], codes: ['cawg.identity.well-formed', 'signingCredential.untrusted'] },
  'dashinit.mp4': { owners: ['bmff'], codes: ['assertion.bmffHash.mismatch', 'algorithm.unsupported'] },
  'legacy.mp4': { owners: ['bmff', 'timestamp'], codes: [...TS, 'assertion.bmffHash.match', 'algorithm.unsupported', 'signingCredential.expired'] },
  'video1.mp4': { owners: ['bmff', 'timestamp'], codes: [...TS, 'assertion.bmffHash.match', 'algorithm.unsupported'] },
  'update_manifest.jpg': { owners: ['update'], codes: ['assertion.dataHash.mismatch'] },
};
