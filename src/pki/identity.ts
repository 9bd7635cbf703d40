/**
 * How a service certificate names its GB 45438 identity.
 *
 * - `O`  = the organisation,
 * - `OU` = the role, exactly `producer` (generation/synthesis service, GB 45438
 *   ContentProducer) or `propagator` (platform, ContentPropagator),
 * - `CN` = the service name,
 * - `organizationIdentifier` (2.5.4.97, X.520) = the 27-character provider code of
 *   GB 45438 §5 / TC260-PG-20252A. It identifies the organisation (via its USCC, positions
 *   5–22) plus the service, which is what X.520 defines this attribute for. PrintableString.
 *
 * The verifier compares the code in a label's ContentProducer/ContentPropagator field with
 * {@link providerCodeOf} of the signer.
 */
import { InvalidArgumentError, said } from '../errors.ts';
import { parseProviderCode, tryParseProviderCode, type ProviderCode } from '../labels/provider-code.ts';
import { ATTR } from './oids.ts';
import { nameValue, type NameInput } from './names.ts';
import type { Certificate } from './certificate.ts';

/** A service's role in GB 45438 terms. */
export type ServiceRole = 'producer' | 'propagator';

/** All roles. */
export const SERVICE_ROLES: readonly ServiceRole[] = ['producer', 'propagator'];

/** The identity written into a service certificate's subject. */
export interface ServiceIdentity {
  readonly org: string;
  readonly service: string;
  readonly code: string;
  readonly role: ServiceRole;
}

/**
 * Validate an identity: a well-formed provider code whose service type (position 23) does
 * not contradict the role (`1` generation is a producer's, `2` propagation a propagator's;
 * `0` fits both).
 * @throws {InvalidArgumentError} naming what is wrong.
 */
export function validateServiceIdentity(id: ServiceIdentity): ProviderCode {
  if (!SERVICE_ROLES.includes(id.role)) throw InvalidArgumentError.expected('producer or propagator', 'role', id.role);
  for (const [name, v] of [
    ['org', id.org],
    ['service', id.service],
  ] as const) {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > 64) throw InvalidArgumentError.expected('1-64 characters', name, v);
  }
  const parsed = parseProviderCode(id.code);
  if (id.role === 'producer' && parsed.serviceType === '2') {
    throw new InvalidArgumentError(
      said(
        'err.pki.providerCodeContentPropagation',
        'Provider code {code} is a content-propagation code (position 23 = 2) but the role is producer',
        { code: id.code },
      ),
    );
  }
  if (id.role === 'propagator' && parsed.serviceType === '1') {
    throw new InvalidArgumentError(
      said(
        'err.pki.providerCodeGenerationSynthesis',
        'Provider code {code} is a generation/synthesis code (position 23 = 1) but the role is propagator',
        { code: id.code },
      ),
    );
  }
  return parsed;
}

/**
 * Subject attributes for a service certificate (O, OU, CN, organizationIdentifier).
 * @throws {InvalidArgumentError} when the identity is invalid.
 */
export function serviceSubject(id: ServiceIdentity): NameInput[] {
  validateServiceIdentity(id);
  return [
    { oid: ATTR.organization, value: id.org },
    { oid: ATTR.organizationalUnit, value: id.role },
    { oid: ATTR.commonName, value: id.service },
    { oid: ATTR.organizationIdentifier, value: id.code, type: 'printable' },
  ];
}

/** The GB 45438 provider code in a certificate's subject, if it holds a valid one. */
export function providerCodeOf(cert: Certificate): string | undefined {
  const v = nameValue(cert.subject, ATTR.organizationIdentifier);
  return v !== undefined && tryParseProviderCode(v) ? v : undefined;
}

/** The service role recorded in a certificate's subject (OU), if any. */
export function roleOf(cert: Certificate): ServiceRole | undefined {
  for (const a of cert.subject.attributes) {
    if (a.oid === ATTR.organizationalUnit && (SERVICE_ROLES as readonly string[]).includes(a.value)) return a.value as ServiceRole;
  }
  return undefined;
}

/** The service identity of a certificate, when it carries a provider code. */
export function serviceIdentityOf(cert: Certificate): Partial<ServiceIdentity> & { code?: string } {
  const code = providerCodeOf(cert);
  const role = roleOf(cert);
  const org = nameValue(cert.subject, ATTR.organization);
  const service = nameValue(cert.subject, ATTR.commonName);
  return { ...(org ? { org } : {}), ...(service ? { service } : {}), ...(code ? { code } : {}), ...(role ? { role } : {}) };
}
