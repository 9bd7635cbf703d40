/**
 * Low-level writers for the C2PA JUMBF boxes of a manifest store (profile §1.2): salted
 * assertion superboxes, the assertion store, claim, signature, manifest and store boxes.
 */
import { encodeBox } from './jumbf/box.ts';
import { encodeSuperbox } from './jumbf/superbox.ts';
import {
  ASSERTION_STORE_LABEL,
  CLAIM_V2_LABEL,
  SIGNATURE_LABEL,
  STORE_LABEL,
  UUID_ASSERTION_STORE,
  UUID_CBOR,
  UUID_CLAIM,
  UUID_JSON,
  UUID_MANIFEST,
  UUID_SIGNATURE,
  UUID_STORE,
} from './jumbf/c2pa-types.ts';

/** Length of the salt c2pa-rs puts in each assertion's `c2sh` box. */
export const SALT_LENGTH = 16;

/**
 * Encode one assertion superbox: description (type `cbor`/`json`, label, optional `c2sh`
 * salt → toggles 0x13) and the content box.
 * @throws {InvalidArgumentError} for a bad label.
 */
export function encodeAssertionBox(label: string, kind: 'cbor' | 'json', content: Uint8Array, salt?: Uint8Array): Uint8Array {
  return encodeSuperbox(
    { type: kind === 'cbor' ? UUID_CBOR : UUID_JSON, label, privateBox: salt ? { type: 'c2sh', payload: salt } : undefined },
    [encodeBox(kind, content)],
  );
}

/** Encode the assertion store superbox around encoded assertion boxes. */
export function encodeAssertionStore(assertionBoxes: readonly Uint8Array[]): Uint8Array {
  return encodeSuperbox({ type: UUID_ASSERTION_STORE, label: ASSERTION_STORE_LABEL }, assertionBoxes);
}

/** Encode the `c2pa.claim.v2` superbox around claim CBOR. */
export function encodeClaimBox(claimCbor: Uint8Array): Uint8Array {
  return encodeSuperbox({ type: UUID_CLAIM, label: CLAIM_V2_LABEL }, [encodeBox('cbor', claimCbor)]);
}

/** Encode the `c2pa.signature` superbox around COSE bytes. */
export function encodeSignatureBox(cose: Uint8Array): Uint8Array {
  return encodeSuperbox({ type: UUID_SIGNATURE, label: SIGNATURE_LABEL }, [encodeBox('cbor', cose)]);
}

/** Encode a standard manifest superbox (`c2ma`). */
export function encodeManifestBox(label: string, assertionStore: Uint8Array, claimBox: Uint8Array, signatureBox: Uint8Array): Uint8Array {
  return encodeSuperbox({ type: UUID_MANIFEST, label }, [assertionStore, claimBox, signatureBox]);
}

/** Encode the manifest store superbox (`c2pa`) around encoded manifest boxes (active last). */
export function encodeStoreBox(manifestBoxes: readonly Uint8Array[]): Uint8Array {
  return encodeSuperbox({ type: UUID_STORE, label: STORE_LABEL }, manifestBoxes);
}

/** The payload (bytes after the 8-byte header) of a box this module encoded. */
export function boxPayload(box: Uint8Array): Uint8Array {
  return box.subarray(new DataView(box.buffer, box.byteOffset, 4).getUint32(0) === 1 ? 16 : 8);
}
