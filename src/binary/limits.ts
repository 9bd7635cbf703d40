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
/** Maximum size of one DER certificate we parse (bytes); real certificates are a few KB. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;
/** Maximum nesting of DER constructed values walked by the strict DER checker. */
export const MAX_DER_DEPTH = 32;
/** Maximum size of a PEM bundle (certificates, CRLs, keys) we read (bytes). */
export const MAX_PEM_BYTES = 4 * 1024 * 1024;
/** Maximum size of one DER CRL we parse (bytes). */
export const MAX_CRL_BYTES = 16 * 1024 * 1024;
/** Maximum PEM blocks in one bundle (trust stores hold a few hundred anchors at most). */
export const MAX_PEM_BLOCKS = 1000;
/**
 * Maximum size of an ISO-BMFF `moov` box loaded into memory to patch chunk offsets or
 * write the `udta` label (bytes). A two-hour 1080p movie's `moov` is a few MB; the
 * media data (`mdat`) is never loaded.
 */
export const MAX_BMFF_MOOV_BYTES = 64 * 1024 * 1024;
/**
 * Maximum size of the top-level `meta` box of an item-based ISO-BMFF file (HEIF, HEIC,
 * AVIF) loaded into memory to patch `iloc` and add the XMP item (bytes).
 */
export const MAX_HEIF_META_BYTES = 16 * 1024 * 1024;
/** Maximum number of boxes (superboxes and content boxes) in one JUMBF manifest store. */
export const MAX_JUMBF_BOXES = 65_536;
/** Maximum number of data items (every scalar, string, array, map and tag) in one CBOR document. */
export const MAX_CBOR_ITEMS = 1_000_000;
/** Maximum RFC 3161 time-stamp tokens read from one COSE signature. */
export const MAX_TIMESTAMP_TOKENS = 8;
/** Maximum element nesting in an XMP/XML packet scanned for labels. */
export const MAX_XML_DEPTH = 256;
/**
 * Largest RIFF size field a plain `RIFF` header can hold (bytes after the 8-byte header);
 * a larger output would need RF64, so writers refuse it.
 */
export const MAX_RIFF_SIZE = 0xffff_ffff;
/**
 * Largest ID3v2 tag body whose whole-tag unsynchronisation (ID3v2.2/2.3) is undone in
 * memory; a larger one is decoded lazily through a checkpoint index in bounded memory
 * (`formats/common/id3-unsync.ts`). Tags without it are walked frame by frame in place.
 */
export const MAX_ID3_UNSYNC_BYTES = 4 * 1024 * 1024;
/** Maximum consecutive ID3v2 tags read in front of MP3 audio or a FLAC stream. */
export const MAX_ID3_TAGS = 8;
/** Largest ID3v2 tag body a sync-safe 28-bit size can describe; writers refuse larger tags. */
export const MAX_ID3_TAG_SIZE = 0x0fff_ffff;
/**
 * Maximum pixels (width × height) of an image decoded to draw an explicit label; sharp's own
 * default `limitInputPixels` (0x3FFF²), checked from the header before any decoding.
 */
export const MAX_IMAGE_PIXELS = 0x3fff * 0x3fff;
/** Largest stream / Blob input collected into memory (pass a path for larger media). */
export const MAX_STREAM_INPUT_BYTES = 1024 * 1024 * 1024;
/** Most Merkle maps in one `c2pa.hash.bmff` assertion, and most hashes in one map or proof. */
export const MAX_MERKLE_MAPS = 4096;
export const MAX_MERKLE_HASHES = 1_000_000;
/** Most fragments checked in one verification (`--fragment`, repeatable). */
export const MAX_FRAGMENTS = 100_000;
/** Largest decompressed `brob` payload (a compressed manifest or assertion). */
export const MAX_BROB_BYTES = 64 * 1024 * 1024;
/** Maximum nesting of AMF0 values (objects, arrays) in an FLV script tag. */
export const MAX_AMF_DEPTH = 32;
/** Maximum FLV tags walked from the start looking for the `onMetaData` script tag. */
export const MAX_FLV_HEAD_TAGS = 64;
/** Maximum nesting of EBML master elements walked in a Matroska/WebM file. */
export const MAX_EBML_DEPTH = 32;
/**
 * Maximum GIF metadata extension blocks (application and comment extensions) in one file. Per-frame
 * blocks (graphic control, plain text, images) count against {@link MAX_SEGMENTS} instead.
 */
export const MAX_GIF_METADATA_BLOCKS = 4096;
