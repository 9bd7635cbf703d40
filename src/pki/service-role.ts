/**
 * Roles enforced everywhere (issue #12 §3). A service certificate's GB 45438 role comes from
 * two places: its OU (`producer` / `propagator`) and the service type of the provider code
 * in its organizationIdentifier (position 23: `1` generation/synthesis = producer, `2`
 * content propagation = propagator, `0` unused = neither). A producer certificate may stamp
 * and may not propagate; a propagator certificate the reverse. A certificate whose OU and
 * code disagree fits neither. A certificate with neither (e.g. a plain C2PA signing
 * certificate of another vendor) has no GB 45438 role: it is not refused, the label checks
 * then report the producer or propagator as unverified.
 */
import { CertificateError, said } from '../errors.ts';
import { tryParseProviderCode } from '../labels/provider-code.ts';
import { parseCertificate, type Certificate } from './certificate.ts';
import { providerCodeOf, roleOf, type ServiceRole } from './identity.ts';

/** The role a provider code's service type implies (`0` or invalid: none). */
export function codeRole(code: string | undefined): ServiceRole | undefined {
  const t = code ? tryParseProviderCode(code)?.serviceType : undefined;
  return t === '1' ? 'producer' : t === '2' ? 'propagator' : undefined;
}

/** A certificate's role as far as its OU and code say, and a conflict between them. */
export interface RoleFinding {
  /** The role, when OU and code agree (or only one says). */
  readonly role?: ServiceRole;
  /** Set when OU and code name different roles. */
  readonly conflict?: string;
  readonly code?: string;
}

/** The role of a signer from its OU and provider code (as found in a report's signature_info). */
export function roleFrom(ou: string | undefined, code: string | undefined): RoleFinding {
  const byOu = ou === 'producer' || ou === 'propagator' ? ou : undefined;
  const byCode = codeRole(code);
  if (byOu && byCode && byOu !== byCode) {
    return {
      conflict: `OU says ${byOu} but provider code ${code} is a ${byCode === 'producer' ? 'generation/synthesis (service type 1)' : 'content-propagation (service type 2)'} code`,
      ...(code ? { code } : {}),
    };
  }
  const role = byOu ?? byCode;
  return { ...(role ? { role } : {}), ...(code ? { code } : {}) };
}

/** The role of a certificate. */
export function certificateRole(cert: Certificate): RoleFinding {
  return roleFrom(roleOf(cert), providerCodeOf(cert));
}

/** Role per certificate object (parsed once; a service signs many files). */
const ROLES = new WeakMap<Uint8Array, RoleFinding>();

/**
 * Refuse a signing certificate whose GB 45438 role is not `wanted`.
 * @throws {CertificateError} for a certificate of the other role, or whose OU and code disagree.
 */
export function requireSignerRole(leafDer: Uint8Array | undefined, wanted: ServiceRole): void {
  if (!leafDer) return;
  let found = ROLES.get(leafDer);
  if (!found) {
    found = certificateRole(parseCertificate(leafDer));
    ROLES.set(leafDer, found);
  }
  const verb = wanted === 'producer' ? 'stamp' : 'propagate';
  if (found.conflict)
    throw new CertificateError(said('err.role.conflict', 'the signing certificate cannot {verb}: {why}', { verb, why: found.conflict }));
  if (found.role && found.role !== wanted) {
    const params = { role: found.role, wanted, type: wanted === 'producer' ? '1' : '2' };
    throw new CertificateError(
      wanted === 'producer'
        ? found.code
          ? said(
              'err.role.notProducerCode',
              "the signing certificate is a {role} certificate ({code}): only a {wanted} certificate may stamp (generation/synthesis services); issue one with 'aigc pki issue --role {wanted}' and a service-type-{type} provider code",
              { ...params, code: found.code },
            )
          : said(
              'err.role.notProducer',
              "the signing certificate is a {role} certificate: only a {wanted} certificate may stamp (generation/synthesis services); issue one with 'aigc pki issue --role {wanted}' and a service-type-{type} provider code",
              params,
            )
        : found.code
          ? said(
              'err.role.notPropagatorCode',
              "the signing certificate is a {role} certificate ({code}): only a {wanted} certificate may propagate (distribution platforms); issue one with 'aigc pki issue --role {wanted}' and a service-type-{type} provider code",
              { ...params, code: found.code },
            )
          : said(
              'err.role.notPropagator',
              "the signing certificate is a {role} certificate: only a {wanted} certificate may propagate (distribution platforms); issue one with 'aigc pki issue --role {wanted}' and a service-type-{type} provider code",
              params,
            ),
    );
  }
}
