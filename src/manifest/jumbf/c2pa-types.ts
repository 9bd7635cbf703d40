/**
 * C2PA JUMBF content-type UUIDs (C2PA 2.2 §11.1; profile §1.2). All but the embedded-file
 * type share the suffix `-0011-0010-8000-00AA00389B71` after a four-character code.
 */

const SUFFIX = [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Build the 16-byte UUID for a four-character C2PA/JUMBF type code. */
export function typeUuid(fourcc: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) out[i] = fourcc.charCodeAt(i) & 0xff;
  out.set(SUFFIX, 4);
  return out;
}

/** The four-character code of a UUID built by {@link typeUuid}, or undefined for other UUIDs. */
export function uuidFourcc(uuid: Uint8Array): string | undefined {
  if (uuid.length !== 16) return undefined;
  for (let i = 0; i < 12; i++) if (uuid[4 + i] !== SUFFIX[i]) return undefined;
  return String.fromCharCode(uuid[0], uuid[1], uuid[2], uuid[3]);
}

/** Manifest store (`c2pa`). */
export const UUID_STORE = typeUuid('c2pa');
/** Standard manifest (`c2ma`). */
export const UUID_MANIFEST = typeUuid('c2ma');
/** Update manifest (`c2um`). */
export const UUID_UPDATE_MANIFEST = typeUuid('c2um');
/** Compressed manifest (`c2cm`, content in a `brob` box). */
export const UUID_COMPRESSED_MANIFEST = typeUuid('c2cm');
/** Legacy manifest type read by old files (`c2md`). */
export const UUID_LEGACY_MANIFEST = typeUuid('c2md');
/** Assertion store (`c2as`). */
export const UUID_ASSERTION_STORE = typeUuid('c2as');
/** Claim (`c2cl`). */
export const UUID_CLAIM = typeUuid('c2cl');
/** Claim signature (`c2cs`). */
export const UUID_SIGNATURE = typeUuid('c2cs');
/** CBOR content (`cbor`). */
export const UUID_CBOR = typeUuid('cbor');
/** JSON content (`json`). */
export const UUID_JSON = typeUuid('json');
/** Embedded file (thumbnails): 40CB0C32-BB8A-489D-A70B-2AD6F47F4369. */
export const UUID_EMBEDDED_FILE = Uint8Array.from([
  0x40, 0xcb, 0x0c, 0x32, 0xbb, 0x8a, 0x48, 0x9d, 0xa7, 0x0b, 0x2a, 0xd6, 0xf4, 0x7f, 0x43, 0x69,
]);

/** Whether two UUIDs are byte-equal. */
export function uuidEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Label of the manifest store superbox. */
export const STORE_LABEL = 'c2pa';
/** Label of the assertion store superbox. */
export const ASSERTION_STORE_LABEL = 'c2pa.assertions';
/** Label of the claim signature superbox. */
export const SIGNATURE_LABEL = 'c2pa.signature';
/** Label of a v2 claim superbox (written). */
export const CLAIM_V2_LABEL = 'c2pa.claim.v2';
/** Label of a v1 claim superbox (read only). */
export const CLAIM_V1_LABEL = 'c2pa.claim';
/** Toggles written on C2PA description boxes without a salt: requestable + label. */
export const TOGGLES_PLAIN = 0x03;
/** Toggles written with a private salt box `c2sh`: requestable + label + private. */
export const TOGGLES_SALTED = 0x13;
