/**
 * Certificate-chain validation for C2PA signers. The result is data, never an exception:
 * a C2PA status code (`signingCredential.*`), an explanation and the path built.
 *
 * Steps: parse → signer profile (c2pa-profile §3.4) → allowed list → build the path leaf →
 * intermediates → anchor (AKI/SKI first, then names), checking each signature → CA rules
 * (profile, pathLen) → validity at `at` → revocation against the CRLs → anchor reached?
 * Verdict precedence: invalid > expired > revoked > untrusted > trusted.
 */
import { MAX_CHAIN_LENGTH } from '../binary/limits.ts';
import { asCertificate, type Certificate } from './certificate.ts';
import { checkCrlIssuer, parseCrl, type Crl } from './crl.ts';
import { namesEqual } from './names.ts';
import { verifySignature } from './algorithms.ts';
import { checkAnchorProfile, checkIntermediateProfile, checkSignerProfile } from './profile.ts';
import { certificateHash } from './trust.ts';
import { anchorSetOf, isAnchorSet, type AnchorSet } from './anchor-set.ts';

/** The verdicts. */
export type ChainCode =
  | 'signingCredential.trusted'
  | 'signingCredential.untrusted'
  | 'signingCredential.invalid'
  | 'signingCredential.expired'
  | 'signingCredential.revoked';

/** Result of {@link verifyCertificateChain}. */
export interface ChainResult {
  readonly code: ChainCode;
  readonly explanation: string;
  /** Leaf first; ends with the anchor when one was reached. */
  readonly path: readonly Certificate[];
  /** How trust was established, when it was. */
  readonly trustedBy?: 'anchor' | 'allowedList';
  /** Non-fatal notes (ignored CRLs or anchors, stale CRLs). */
  readonly warnings: readonly string[];
}

/** Options of {@link verifyCertificateChain}. */
export interface ChainOptions {
  /**
   * Trust anchors (CA certificates). None means nothing can be trusted (except the allowed list).
   * An {@link AnchorSet} is taken as already checked (anchor profile) and looked up, not scanned.
   */
  readonly anchors?: readonly (Certificate | Uint8Array)[] | AnchorSet;
  readonly crls?: readonly (Crl | Uint8Array)[];
  /** Validation time (default now). */
  readonly at?: Date;
  /** EKUs accepted for the leaf (default c2pa-profile §3.4 list). */
  readonly allowedEkus?: readonly string[];
  /** End-entity certificates trusted directly: certificates, DER, or base64/hex SHA-256 of the DER. */
  readonly allowedList?: readonly (Certificate | Uint8Array | string)[];
}

const label = (c: Certificate): string => `"${c.subject.text || `serial ${c.serialNumber}`}"`;

function done(
  code: ChainCode,
  explanation: string,
  path: readonly Certificate[],
  warnings: string[],
  trustedBy?: ChainResult['trustedBy'],
): ChainResult {
  return { code, explanation, path, warnings, ...(trustedBy ? { trustedBy } : {}) };
}

/** Verify a signer's certificate chain (leaf first). Never throws. */
export function verifyCertificateChain(chain: readonly (Certificate | Uint8Array)[], opts: ChainOptions = {}): ChainResult {
  const warnings: string[] = [];
  try {
    return run(chain, opts, warnings);
  } catch (err) {
    return done('signingCredential.invalid', `chain could not be validated: ${(err as Error).message}`, [], warnings);
  }
}

function run(input: readonly (Certificate | Uint8Array)[], opts: ChainOptions, warnings: string[]): ChainResult {
  const at = opts.at ?? new Date();
  if (input.length === 0) return done('signingCredential.invalid', 'the certificate chain is empty', [], warnings);
  if (input.length > MAX_CHAIN_LENGTH) {
    return done(
      'signingCredential.invalid',
      `the chain has ${input.length} certificates, more than MAX_CHAIN_LENGTH (${MAX_CHAIN_LENGTH})`,
      [],
      warnings,
    );
  }
  const chain: Certificate[] = [];
  for (let i = 0; i < input.length; i++) {
    try {
      chain.push(asCertificate(input[i]!, `chain certificate ${i + 1}`));
    } catch (err) {
      return done(
        'signingCredential.invalid',
        `certificate ${i + 1} of the chain is malformed: ${(err as Error).message}`,
        chain,
        warnings,
      );
    }
  }
  const anchors = isAnchorSet(opts.anchors)
    ? opts.anchors
    : anchorSetOf(loadList(opts.anchors ?? [], 'trust anchor', warnings, (a) => checkAnchorProfile(a)));
  const crls = loadCrls(opts.crls ?? [], warnings);
  const leaf = chain[0]!;

  const profile = checkSignerProfile(leaf, opts.allowedEkus ? { allowedEkus: opts.allowedEkus } : {});
  if (!profile.ok)
    return done(
      'signingCredential.invalid',
      `signing certificate ${label(leaf)} violates the C2PA profile: ${profile.problems.join('; ')}`,
      [leaf],
      warnings,
    );

  if (allowedHashes(opts.allowedList ?? [], warnings).has(certificateHash(leaf.der))) {
    const v = validityProblem(leaf, at);
    if (v) return done('signingCredential.expired', v, [leaf], warnings);
    return done('signingCredential.trusted', `signing certificate ${label(leaf)} is on the allowed list`, [leaf], warnings, 'allowedList');
  }

  const built = buildPath(chain, anchors);
  if (built.failure) return done('signingCredential.invalid', built.failure, built.path, warnings);
  const path = built.path;
  const top = built.anchor ? path.length - 1 : path.length;

  for (let i = 1; i < top; i++) {
    const problems = checkIntermediateProfile(path[i]!);
    if (problems.length > 0)
      return done('signingCredential.invalid', `CA certificate ${label(path[i]!)} is not usable: ${problems.join('; ')}`, path, warnings);
  }
  const pathLenIssue = pathLenProblem(path);
  if (pathLenIssue) return done('signingCredential.invalid', pathLenIssue, path, warnings);

  for (const cert of path) {
    const v = validityProblem(cert, at);
    if (v) return done('signingCredential.expired', v, path, warnings);
  }

  for (let i = 0; i + 1 < path.length; i++) {
    const r = revocation(path[i]!, path[i + 1]!, crls, at, warnings);
    if (r) return done('signingCredential.revoked', r, path, warnings);
  }

  if (built.anchor)
    return done(
      'signingCredential.trusted',
      `chain of ${label(leaf)} leads to trust anchor ${label(built.anchor)}`,
      path,
      warnings,
      'anchor',
    );
  return done(
    'signingCredential.untrusted',
    built.untrustedReason ?? `chain of ${label(leaf)} does not lead to a trust anchor`,
    path,
    warnings,
  );
}

function loadList(
  items: readonly (Certificate | Uint8Array)[],
  what: string,
  warnings: string[],
  check: (c: Certificate) => string[],
): Certificate[] {
  const out: Certificate[] = [];
  items.forEach((item, i) => {
    try {
      const c = asCertificate(item, `${what} ${i + 1}`);
      const problems = check(c);
      if (problems.length > 0) warnings.push(`${what} ${label(c)} ignored: ${problems.join('; ')}`);
      else out.push(c);
    } catch (err) {
      warnings.push(`${what} ${i + 1} ignored: ${(err as Error).message}`);
    }
  });
  return out;
}

function loadCrls(items: readonly (Crl | Uint8Array)[], warnings: string[]): Crl[] {
  const out: Crl[] = [];
  items.forEach((item, i) => {
    try {
      out.push(item instanceof Uint8Array ? parseCrl(item, `CRL ${i + 1}`) : item);
    } catch (err) {
      warnings.push(`CRL ${i + 1} ignored: ${(err as Error).message}`);
    }
  });
  return out;
}

function allowedHashes(items: readonly (Certificate | Uint8Array | string)[], warnings: string[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) {
    if (typeof item === 'string') {
      out.add(/^[0-9a-f]{64}$/i.test(item) ? Buffer.from(item, 'hex').toString('base64') : item);
      continue;
    }
    try {
      out.add(certificateHash(asCertificate(item, 'allowed-list certificate').der));
    } catch (err) {
      warnings.push(`allowed-list entry ignored: ${(err as Error).message}`);
    }
  }
  return out;
}

/** Whether `issuer` could have issued `cert` (AKI/SKI match, else name match). 2 = key id match, 1 = name only, 0 = no. */
function issuerMatch(cert: Certificate, issuer: Certificate): number {
  if (!namesEqual(cert.issuer, issuer.subject)) return 0;
  const aki = cert.extensions.authorityKeyId;
  const ski = issuer.extensions.subjectKeyId;
  if (aki && ski) return aki === ski ? 2 : 0;
  return 1;
}

const sameCert = (a: Certificate, b: Certificate): boolean => a.fingerprint256 === b.fingerprint256;

interface Built {
  path: Certificate[];
  anchor?: Certificate;
  failure?: string;
  untrustedReason?: string;
}

function buildPath(chain: Certificate[], anchors: AnchorSet): Built {
  const path: Certificate[] = [chain[0]!];
  const pool = chain.slice(1);
  let cur = chain[0]!;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    if (depth > 0) {
      const anchor = anchors.byFingerprint(cur.fingerprint256);
      if (anchor) return { path, anchor };
    }
    // Only anchors whose subject matches cur's issuer can score above 0 (issuerMatch).
    const candidates = [
      ...anchors.bySubject(cur.issuer).map((c) => ({ c, anchor: true, score: issuerMatch(cur, c) })),
      ...pool.filter((c) => !path.some((p) => sameCert(p, c))).map((c) => ({ c, anchor: false, score: issuerMatch(cur, c) })),
    ]
      .filter((x) => x.score > 0 && !sameCert(x.c, cur))
      .sort((a, b) => b.score - a.score || Number(b.anchor) - Number(a.anchor));
    let reason: string | undefined;
    const chosen = candidates.find((cand) => {
      const v = verifySignature(cur.signatureAlgorithm, cur.tbs, cur.signature, cand.c.publicKey);
      if (!v.ok) reason ??= `the signature of ${label(cur)} does not verify with the key of its issuer ${label(cand.c)} (${v.reason})`;
      return v.ok;
    });
    if (chosen) {
      path.push(chosen.c);
      if (chosen.anchor) return { path, anchor: chosen.c };
      cur = chosen.c;
      continue;
    }
    if (reason) return { path, failure: reason };
    if (cur.selfIssued && verifySignature(cur.signatureAlgorithm, cur.tbs, cur.signature, cur.publicKey).ok) {
      const what = path.length === 1 ? 'self-signed signing certificate' : 'root';
      return { path, untrustedReason: `${what} ${label(cur)} is not a trust anchor` };
    }
    return {
      path,
      untrustedReason: `issuer ${JSON.stringify(cur.issuer.text)} of ${label(cur)} is neither in the chain nor a trust anchor`,
    };
  }
  return { path, failure: `no path to an anchor within MAX_CHAIN_LENGTH (${MAX_CHAIN_LENGTH}) certificates` };
}

function pathLenProblem(path: readonly Certificate[]): string | undefined {
  for (let i = 1; i < path.length; i++) {
    const limit = path[i]!.extensions.basicConstraints?.pathLen;
    if (limit === undefined) continue;
    const below = path.slice(1, i).filter((c) => !c.selfIssued).length;
    if (below > limit) return `CA ${label(path[i]!)} allows ${limit} intermediate CA(s) below it (pathLen) but the path has ${below}`;
  }
  return undefined;
}

function validityProblem(cert: Certificate, at: Date): string | undefined {
  if (at < cert.notBefore)
    return `certificate ${label(cert)} is not yet valid at ${at.toISOString()} (valid from ${cert.notBefore.toISOString()})`;
  if (at > cert.notAfter) return `certificate ${label(cert)} expired on ${cert.notAfter.toISOString()} (checked at ${at.toISOString()})`;
  return undefined;
}

function revocation(cert: Certificate, issuer: Certificate, crls: readonly Crl[], at: Date, warnings: string[]): string | undefined {
  for (const crl of crls) {
    if (!namesEqual(crl.issuer, issuer.subject)) continue;
    if (crl.authorityKeyId && issuer.extensions.subjectKeyId && crl.authorityKeyId !== issuer.extensions.subjectKeyId) continue;
    const ok = checkCrlIssuer(crl, issuer);
    if (!ok.ok) {
      warnings.push(`CRL of ${label(issuer)} ignored: ${ok.reason}`);
      continue;
    }
    if (crl.nextUpdate && crl.nextUpdate < at)
      warnings.push(`CRL of ${label(issuer)} is stale (nextUpdate ${crl.nextUpdate.toISOString()})`);
    const when = crl.revoked.get(cert.serialNumber);
    if (when && when <= at)
      return `certificate ${label(cert)} (serial ${cert.serialNumber}) was revoked on ${when.toISOString()} by ${label(issuer)}`;
  }
  return undefined;
}
