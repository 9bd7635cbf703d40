/**
 * The format-agnostic C2PA manifest core: JUMBF, CBOR, claims, hashed URIs, assertions,
 * COSE signatures and RFC 3161 time-stamps, store parsing and one-pass building.
 */
export { parseManifestStore, findManifest, findAssertion } from './store.ts';
export type { ManifestStore, Manifest, StoredAssertion, AssertionKind, ManifestProblem, ParseStoreOptions } from './store.ts';
export { prepareManifest } from './builder.ts';
export type { PrepareManifestOptions, ManifestDraft, BuilderAssertion, HardBindingValues, AssertionRef } from './builder.ts';
export { ingredientRefs } from './ingredient-refs.ts';
export type { IngredientRefs } from './ingredient-refs.ts';
export {
  checkHashedUri,
  resolveJumbfUri,
  parseJumbfUri,
  makeHashedUri,
  hashSuperbox,
  manifestUri,
  assertionUri,
  signatureUri,
  readHashedUri,
} from './hashed-uri.ts';
export type { HashedUri, HashedUriCheck, JumbfPath } from './hashed-uri.ts';
export { readClaim, encodeClaimV2, buildClaimV2 } from './claim.ts';
export type { Claim, ClaimV2Input, ClaimGeneratorInfo } from './claim.ts';
export { encodeCbor, decodeCbor, isCborMap, Tag } from './cbor.ts';
export type { CborItem, DecodeCborOptions } from './cbor.ts';
export { verifyCoseSign1, parseCoseSign1, readTimestamps } from './cose/verify.ts';
export type { CoseSign1, CoseVerification, CoseVerifyStatus, X5chainForm } from './cose/verify.ts';
export { signClaim, signatureReserve, sigStructure, encodeProtectedHeader, timestampDataV1, timestampDataV2 } from './cose/sign.ts';
export type { SignClaimOptions } from './cose/sign.ts';
export { verifyTimestampToken } from './cose/timestamp.ts';
export type { TimestampInfo, TimestampStatus } from './cose/timestamp.ts';
export { COSE_ALG_IDS, coseAlgorithmFromId } from './cose/algorithms.ts';
export { interpretAssertion, KNOWN_ASSERTION_LABELS } from './assertions/registry.ts';
export type { KnownAssertion, AssertionLike } from './assertions/registry.ts';
export * from './assertions/actions.ts';
export * from './assertions/data-hash.ts';
export * from './assertions/bmff-hash.ts';
export * from './assertions/bmff-merkle-map.ts';
export * from './assertions/box-hash.ts';
export * from './assertions/ingredient.ts';
export * from './assertions/embedded-file.ts';
export * from './assertions/gb45438.ts';
export * from './assertions/labels.ts';
