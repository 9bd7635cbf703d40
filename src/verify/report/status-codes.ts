/**
 * Validation status codes: the C2PA 2.2 spec codes c2pa-rs reports, plus the
 * toolkit's own (prefixed `gb45438.` or `chain.`) for label and chain cross-checks.
 * Each code has a kind (success / informational / failure) and a default explanation.
 */

/** How a status code counts toward the verdict. */
export type StatusKind = 'success' | 'informational' | 'failure';

/** Every code the verifier emits, with its kind and default explanation. */
export const STATUS = {
  // claim signature
  'claimSignature.validated': ['success', 'claim signature valid'],
  'claimSignature.insideValidity': ['success', 'claim signature valid'],
  'claimSignature.mismatch': ['failure', 'claim signature does not match the claim'],
  'claimSignature.missing': ['failure', 'claim signature box is missing'],
  'claimSignature.outsideValidity': ['failure', 'signing certificate was not valid at signing time'],
  // signing credential
  'signingCredential.trusted': ['success', 'signing certificate trusted'],
  'signingCredential.untrusted': ['failure', 'signing certificate untrusted'],
  'signingCredential.invalid': ['failure', 'signing certificate invalid'],
  'signingCredential.expired': ['failure', 'signing certificate expired'],
  'signingCredential.revoked': ['failure', 'signing certificate revoked'],
  'signingCredential.ocsp.revoked': ['failure', 'signing certificate revoked (OCSP)'],
  'signingCredential.ocsp.skipped': ['informational', 'OCSP check skipped'],
  'signingCredential.ocsp.notRevoked': ['informational', 'signing certificate not revoked (stapled OCSP)'],
  'signingCredential.ocsp.unknown': ['informational', 'OCSP responder does not know the signing certificate'],
  'signingCredential.ocsp.inaccessible': ['informational', 'OCSP responder could not be reached'],
  // time-stamps
  'timeStamp.validated': ['success', 'time-stamp message imprint and signature valid'],
  'timeStamp.trusted': ['success', 'time-stamp authority trusted'],
  'timeStamp.untrusted': ['informational', 'time-stamp authority untrusted'],
  'timeStamp.mismatch': ['informational', 'time-stamp does not match the signature'],
  'timeStamp.malformed': ['informational', 'time-stamp malformed'],
  'timeStamp.outsideValidity': ['informational', 'time-stamp outside its certificate validity'],
  // claim and assertions
  'claim.malformed': ['failure', 'claim is malformed'],
  'claim.cbor.invalid': ['failure', 'claim CBOR is invalid'],
  'claim.multiple': ['failure', 'more than one claim in a manifest'],
  'claim.missing': ['failure', 'claim box is missing'],
  'claim.hardBindings.missing': ['failure', 'no hard binding assertion'],
  'assertion.multipleHardBindings': ['failure', 'more than one hard binding assertion'],
  'assertion.hashedURI.match': ['success', 'hashed uri matched'],
  'assertion.hashedURI.mismatch': ['failure', 'hashed uri does not match the assertion'],
  'assertion.missing': ['failure', 'assertion referenced by the claim is missing'],
  'assertion.undeclared': ['failure', 'assertion present but not referenced by the claim'],
  'assertion.dataHash.match': ['success', 'data hash valid'],
  'assertion.dataHash.mismatch': ['failure', 'asset hash does not match the data hash'],
  'assertion.dataHash.malformed': ['failure', 'data hash assertion malformed'],
  'assertion.dataHash.additionalExclusionsPresent': ['informational', 'data hash has more exclusions than the manifest'],
  'assertion.bmffHash.match': ['success', 'BMFF hash valid'],
  'assertion.bmffHash.mismatch': ['failure', 'asset hash does not match the BMFF hash'],
  'assertion.bmffHash.malformed': ['failure', 'BMFF hash assertion malformed'],
  'assertion.boxesHash.match': ['success', 'box hash valid'],
  'assertion.boxesHash.mismatch': ['failure', 'asset hash does not match the box hash'],
  'manifest.update.invalid': ['failure', 'update manifest contains a hard binding'],
  'manifest.update.wrongParents': ['failure', 'update manifest must have exactly one parentOf ingredient'],
  // CAWG identity assertions (c2pa-rs 0.90 codes)
  'cawg.identity.well-formed': ['success', 'CAWG X.509 identity signature valid'],
  'cawg.identity.pad.invalid': ['failure', 'invalid value in the identity assertion pad fields'],
  'cawg.identity.assertion.mismatch': ['failure', 'referenced assertion not in the claim'],
  'cawg.identity.assertion.duplicate': ['failure', 'multiple references to the same assertion'],
  'cawg.identity.hard_binding_missing': ['failure', 'the identity assertion does not reference the hard binding'],
  'cawg.identity.sig_type.unknown': ['failure', 'unknown identity signature type'],
  'cawg.identity.cbor.invalid': ['failure', 'identity assertion is not valid CBOR of its shape'],
  'assertion.action.malformed': ['failure', 'actions assertion malformed'],
  'assertion.action.ingredientMismatch': ['failure', 'action does not point to a matching ingredient'],
  'assertion.cbor.invalid': ['failure', 'assertion CBOR invalid'],
  'assertion.json.invalid': ['failure', 'assertion JSON invalid'],
  'assertion.outsideManifest': ['failure', 'claim references an assertion of another manifest'],
  'assertion.ingredient.malformed': ['failure', 'ingredient assertion malformed'],
  'algorithm.unsupported': ['failure', 'algorithm not supported'],
  'general.error': ['failure', 'the manifest could not be validated'],
  // ingredients
  'ingredient.manifest.validated': ['success', 'ingredient manifest validated'],
  // c2pa-rs logs this one as informational (only on the redaction path)
  'ingredient.claimSignature.validated': ['informational', 'ingredient claim signature validated'],
  'ingredient.manifest.missing': ['failure', 'ingredient manifest missing'],
  'ingredient.manifest.mismatch': ['failure', 'ingredient manifest hash mismatch'],
  'ingredient.claimSignature.missing': ['failure', 'ingredient claim signature missing'],
  'ingredient.claimSignature.mismatch': ['failure', 'ingredient claim signature hash mismatch'],
  'ingredient.unknownProvenance': ['informational', 'ingredient has no provenance'],
  'manifest.inaccessible': ['failure', 'manifest store could not be read'],
  'manifest.multipleParents': ['failure', 'more than one parentOf ingredient'],
  'manifest.unreferenced': ['informational', 'manifest not referenced by any ingredient'],
  // GB 45438 label checks (ours)
  'gb45438.label.present': ['success', 'GB 45438 implicit label found'],
  'gb45438.label.missing': ['informational', 'no GB 45438 implicit label in the file metadata'],
  'gb45438.label.manifestMatch': ['success', 'file label equals the signed GB 45438 assertion'],
  'gb45438.label.malformed': ['failure', 'GB 45438 label value is malformed'],
  'gb45438.label.conflict': ['failure', 'two metadata carriers hold different GB 45438 labels'],
  'gb45438.label.manifestMismatch': ['failure', 'file label differs from the signed GB 45438 assertion'],
  'gb45438.label.charset': ['informational', 'label value has characters outside GB 45438 Annex E j)'],
  'gb45438.producer.match': ['success', 'ContentProducer matches the creation signer certificate'],
  'gb45438.producer.mismatch': ['failure', "ContentProducer is not the creation signer's provider code"],
  'gb45438.producer.unverified': ['informational', "the creation signer's certificate carries no provider code"],
  'gb45438.propagator.match': ['success', 'ContentPropagator matches its signer certificate'],
  'gb45438.propagator.mismatch': ['failure', "ContentPropagator is not its signer's provider code"],
  'gb45438.propagator.unverified': ['informational', "the propagation signer's certificate carries no provider code"],
  'gb45438.label.sourceTypeMatch': ['success', 'Label value agrees with digitalSourceType'],
  'gb45438.label.sourceTypeMismatch': ['failure', 'Label value disagrees with digitalSourceType'],
  'gb45438.produceId.changed': ['failure', 'ProduceID changed along the chain'],
  'gb45438.securityData.validated': ['success', 'label security data signature valid'],
  'gb45438.securityData.mismatch': ['failure', 'label security data signature invalid (fields altered)'],
  'gb45438.securityData.malformed': ['failure', 'label security data is a SecurityData structure that cannot be read'],
  'gb45438.securityData.keyMatch': ['success', "label security data key is the named signer's certificate key"],
  'gb45438.securityData.keyMismatch': [
    'failure',
    'label security data key is not tied to the certificate of the signer with that provider code',
  ],
  'gb45438.securityData.keyUnverified': ['informational', 'no signer certificate to tie the label security data key to'],
  'gb45438.securityData.absent': ['informational', 'no label security data'],
  'gb45438.securityData.unsupported': ['informational', 'label security data algorithm not supported (e.g. SM2)'],
  'gb45438.securityData.opaque': ['informational', 'ReservedCode holds a vendor string, not TC260 SecurityData'],
  'gb45438.label.copied': ['failure', "the label belongs to another content item (its ProduceID is signed nowhere in this file's chain)"],
  'gb45438.label.unsigned': ['informational', 'label is not covered by a C2PA manifest'],
  'gb45438.c2pa.notDefined': [
    'informational',
    'C2PA defines no manifest embedding for this container: the label carries only its TC260 security data',
  ],
  'gb45438.label.orphaned': ['failure', 'label claims a producer but no creation manifest is present'],
  // chain (ours)
  'gb45438.produceId.unchanged': ['success', 'ProduceID is the same along the chain'],
  'chain.created.notFirst': ['failure', 'c2pa.created claimed after the first step'],
  'chain.step.invalid': [
    'failure',
    'a manifest of the provenance chain fails validation (its own checks, or failures a later step recorded for it)',
  ],
  'chain.ingredient.invalid': ['failure', "an ingredient's recorded validation results show a failure"],
  'chain.ingredient.missing': ['failure', 'an ingredient names a manifest the store does not hold'],
  'chain.validated': ['success', 'every step of the provenance chain validated'],
  'chain.binding.unchecked': [
    'failure',
    'the content binding was not checked: a bare manifest store without its asset vouches for no content',
  ],
  'chain.sidecar': ['informational', 'the manifest store was read from a sidecar .c2pa file beside the asset'],
  'gb45438.role.mismatch': [
    'failure',
    "a signer's GB 45438 role (producer / propagator) does not fit its place in the chain, or a label names a code of the other role",
  ],
} as const satisfies Record<string, readonly [StatusKind, string]>;

/** A known status code. */
export type StatusCode = keyof typeof STATUS;

/** One entry of a validation result list (c2pa-rs shape). */
export interface StatusEntry {
  code: StatusCode;
  url?: string;
  explanation: string;
}

/** The kind of a code. */
export function kindOf(code: StatusCode): StatusKind {
  return STATUS[code][0];
}

/** Make an entry; the explanation defaults to the code's standard text. */
export function status(code: StatusCode, url?: string, explanation?: string): StatusEntry {
  const e: StatusEntry = { code, explanation: explanation ?? STATUS[code][1] };
  if (url !== undefined) e.url = url;
  return e;
}

/** Whether `code` is one of the codes this verifier knows. */
export function isStatusCode(code: unknown): code is StatusCode {
  return typeof code === 'string' && Object.hasOwn(STATUS, code);
}
