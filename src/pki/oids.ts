/** Object identifiers used by the PKI layer, with the names `aigc pki show` prints. */

/** Extended key usages. */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  documentSigning: '1.3.6.1.5.5.7.3.36',
  c2paClaimSigning: '1.3.6.1.4.1.62558.2.1',
  microsoftC2pa: '1.3.6.1.4.1.311.76.59.1.9',
  any: '2.5.29.37.0',
} as const;

/**
 * EKUs accepted for a C2PA claim signer by default: the c2pa-profile §3.4 built-in list
 * without timeStamping/OCSPSigning. c2pa-rs keeps those two in the list because it shares
 * the check with TSA and OCSP certificates; a claim signed with such a leaf is rejected by
 * the reference reader anyway (observed with c2pa-node 0.8.0), so we call it invalid.
 * Pass `allowedEkus` to change the list.
 */
export const DEFAULT_SIGNER_EKUS: readonly string[] = [EKU.emailProtection, EKU.documentSigning, EKU.c2paClaimSigning, EKU.microsoftC2pa];

/** Certificate extensions. */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

/**
 * Extensions this validator understands, so they may be critical. Name constraints and
 * policy extensions are recognised but not enforced (the C2PA profile does not use them).
 */
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  EXT.subjectKeyIdentifier,
  EXT.keyUsage,
  EXT.subjectAltName,
  EXT.issuerAltName,
  EXT.basicConstraints,
  EXT.certificatePolicies,
  EXT.authorityKeyIdentifier,
  EXT.extKeyUsage,
  EXT.crlDistributionPoints,
  EXT.authorityInfoAccess,
  EXT.nameConstraints,
  EXT.policyConstraints,
  EXT.policyMappings,
  EXT.inhibitAnyPolicy,
]);

/** Distinguished-name attribute types. */
export const ATTR = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  state: '2.5.4.8',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  organizationIdentifier: '2.5.4.97',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;

/** Short names for DN attributes (as openssl prints them). */
export const ATTR_NAMES: Readonly<Record<string, string>> = {
  [ATTR.commonName]: 'CN',
  [ATTR.serialNumber]: 'serialNumber',
  [ATTR.country]: 'C',
  [ATTR.locality]: 'L',
  [ATTR.state]: 'ST',
  [ATTR.organization]: 'O',
  [ATTR.organizationalUnit]: 'OU',
  [ATTR.organizationIdentifier]: 'organizationIdentifier',
  [ATTR.emailAddress]: 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '2.5.4.9': 'street',
  '2.5.4.17': 'postalCode',
  '2.5.4.12': 'title',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
};

/** Signature, key and hash algorithms. */
export const ALG = {
  ed25519: '1.3.101.112',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** Human names of EKUs and extensions (for `pki show`). */
export const OID_NAMES: Readonly<Record<string, string>> = {
  [EKU.serverAuth]: 'serverAuth',
  [EKU.clientAuth]: 'clientAuth',
  [EKU.codeSigning]: 'codeSigning',
  [EKU.emailProtection]: 'emailProtection',
  [EKU.timeStamping]: 'timeStamping',
  [EKU.ocspSigning]: 'OCSPSigning',
  [EKU.documentSigning]: 'documentSigning',
  [EKU.c2paClaimSigning]: 'c2pa-kp-claimSigning',
  [EKU.microsoftC2pa]: 'microsoft-c2pa',
  [EKU.any]: 'anyExtendedKeyUsage',
};
