/**
 * PKI public API: certificates and CRLs (parse), the service CA (issue, revoke, publish
 * CRLs), the C2PA signer profile, trust stores and chain validation.
 */
export {
  parseCertificate,
  parseCertificates,
  parseCertificateChain,
  asCertificate,
  isCertificate,
  describeKey,
  type Certificate,
  type PublicKeyInfo,
} from './certificate.ts';
export { parseCrl, parseCrls, buildCrl, checkCrlIssuer, type Crl } from './crl.ts';
export {
  initCa,
  loadCa,
  issueServiceCertificate,
  issueForPublicKey,
  createServiceCertificate,
  certifyServiceKey,
  CA_DEFAULTS,
  CA_FILES,
  type InitCaOptions,
  type IssueOptions,
  type CaMaterial,
} from './ca.ts';
export { revokeCertificate, writeCrl, readRevocationDb, REVOCATION_DB, type RevocationDb, type RevocationRecord } from './revocation.ts';
export {
  providerCodeOf,
  roleOf,
  serviceIdentityOf,
  serviceSubject,
  validateServiceIdentity,
  SERVICE_ROLES,
  type ServiceRole,
  type ServiceIdentity,
} from './identity.ts';
export {
  checkSignerProfile,
  checkIntermediateProfile,
  checkAnchorProfile,
  type ProfileResult,
  type SignerProfileOptions,
} from './profile.ts';
export { loadTrustStore, readTrustStore, parseAllowedList, certificateHash, type TrustStore } from './trust.ts';
export { verifyCertificateChain, type ChainCode, type ChainOptions, type ChainResult } from './chain.ts';
export { buildCertificate, caExtensions, leafExtensions, LEAF_EKUS, type CertificateSpec } from './cert-builder.ts';
export { toPem, decodePemBundle, isPem, type PemBlock } from './pem.ts';
export { DEFAULT_SIGNER_EKUS, EKU, OID_NAMES } from './oids.ts';
export { summarizeCertificate, formatCertificateSummary, type CertificateSummary } from './summary.ts';
export { codeRole, roleFrom, certificateRole, requireSignerRole, type RoleFinding } from './service-role.ts';
