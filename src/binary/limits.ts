/**
 * Named safety limits. Every parser checks these before it allocates or recurses;
 * crossing one throws {@link LimitExceededError}. Tests exercise each at the limit and one past it.
 */

/** Maximum nesting of JUMBF superboxes (c2pa-rs uses 32 too). */
export const MAX_BOX_DEPTH = 32;
/** Maximum nesting of ISO-BMFF boxes walked while searching (moov/trak/mdia/...). */
export const MAX_BMFF_DEPTH = 32;
/** Maximum nesting of RIFF LIST chunks. */
export const MAX_RIFF_DEPTH = 32;
/** Maximum size of a C2PA manifest store we will read into memory (bytes). */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** Maximum size of an XMP packet or metadata text we will read (bytes). */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;
/** Maximum number of JPEG segments / PNG chunks / RIFF chunks / boxes visited at one level. */
export const MAX_SEGMENTS = 1_000_000;
/** Maximum nesting of CBOR arrays/maps in a claim or assertion. */
export const MAX_CBOR_DEPTH = 64;
/** Maximum length of any single CBOR item (bytes or elements). */
export const MAX_CBOR_ITEM = 64 * 1024 * 1024;
/** Maximum certificates in a chain. */
export const MAX_CHAIN_LENGTH = 10;
/** Maximum ingredient recursion when walking a provenance chain. */
export const MAX_INGREDIENT_DEPTH = 16;
/** Maximum manifests in one store. */
export const MAX_MANIFESTS = 1024;
/** Maximum assertions in one manifest. */
export const MAX_ASSERTIONS = 4096;
