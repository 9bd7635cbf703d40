/**
 * Step `cawgIdentity`: CAWG identity assertions (`cawg.identity`) of the active manifest,
 * checked as c2pa-rs 0.90 checks them, with its status codes at the assertion's URL:
 * zero padding (`cawg.identity.pad.invalid`); every referenced assertion is one the claim
 * lists, with the same hash (`cawg.identity.assertion.mismatch`), none twice
 * (`.assertion.duplicate`), the hard binding among them (`.hard_binding_missing`); the
 * signature type is `cawg.x509.cose` (`.sig_type.unknown`); its COSE_Sign1 verifies over the
 * CBOR of `signer_payload` (`claimSignature.mismatch`), its X.509 chain is judged against the
 * CAWG anchors (`signingCredential.trusted`/`untrusted`/`expired`/`invalid`), apart from the
 * claim signers' anchors as in c2pa-rs; then `cawg.identity.well-formed`. Unlike c2pa-rs,
 * `well-formed` is not logged after a structural failure.
 */
import { verifyCoseSign1 } from '../../../manifest/cose/verify.ts';
import { MalformedInputError, ToolkitError, said } from '../../../errors.ts';
import { bytesEqual } from '../../../binary/bytes.ts';
import { isHardBindingLabel, withoutInstance } from '../../../manifest/index.ts';
import {
  CAWG_IDENTITY_LABEL,
  CAWG_X509_SIG_TYPE,
  readCawgIdentity,
  signerPayloadBytes,
  type CawgIdentityAssertion,
} from '../../../manifest/assertions/cawg-identity.ts';
import { cachedChain } from '../cert-cache.ts';
import { NO_TRUST, type ManifestContext, type Step } from '../context.ts';
import { lastSegment, toAbsolute, urls } from '../uri.ts';

function checkReferences(ctx: ManifestContext, ia: CawgIdentityAssertion, url: string): boolean {
  const { manifest: m, asset } = ctx;
  const t = asset.tracker;
  const claimed = [...(m.claim?.createdAssertions ?? []), ...(m.claim?.gatheredAssertions ?? [])];
  const seen = new Set<string>();
  let ok = true;
  let hardBinding = false;
  for (const ref of ia.signerPayload.referencedAssertions) {
    const abs = toAbsolute(ref.url, m.label);
    if (seen.has(abs)) {
      t.add('cawg.identity.assertion.duplicate', url, `multiple references to same assertion: ${ref.url}`);
      ok = false;
    }
    seen.add(abs);
    if (!claimed.some((c) => toAbsolute(c.url, m.label) === abs && bytesEqual(c.hash, ref.hash))) {
      t.add('cawg.identity.assertion.mismatch', url, `referenced assertion not in claim: ${ref.url}`);
      ok = false;
    }
    if (isHardBindingLabel(lastSegment(abs) ?? '')) hardBinding = true;
  }
  if (!hardBinding) {
    t.add('cawg.identity.hard_binding_missing', url, 'no hard binding assertion referenced');
    ok = false;
  }
  return ok;
}

async function checkX509(ctx: ManifestContext, ia: CawgIdentityAssertion, url: string): Promise<boolean> {
  const { asset, result } = ctx;
  const t = asset.tracker;
  const v = await verifyCoseSign1(ia.signature, signerPayloadBytes(ia.signerPayload));
  if (v.status === 'malformed') {
    t.add('cawg.identity.cbor.invalid', url, `identity signature: ${v.message}`);
    return false;
  }
  if (!v.ok) {
    t.add(
      v.status === 'bad-certificate'
        ? 'signingCredential.invalid'
        : v.status === 'unsupported-algorithm'
          ? 'algorithm.unsupported'
          : 'claimSignature.mismatch',
      url,
      `CAWG X.509 identity signature: ${v.message}`,
    );
    return false;
  }
  const chain = cachedChain(v.chainDer, {
    trust: { ...NO_TRUST, anchors: asset.trust.cawgAnchors ?? [], crls: asset.trust.crls },
    at: result.validationTime,
  });
  switch (chain.code) {
    case 'signingCredential.trusted':
      t.add('signingCredential.trusted', url, `signing certificate trusted: ${chain.explanation}`);
      return true;
    case 'signingCredential.untrusted':
      t.add('signingCredential.untrusted', url, 'signing certificate untrusted');
      return true;
    default:
      t.add(chain.code, url, chain.explanation);
      return false;
  }
}

/** Validate every identity assertion of the active manifest. */
export const cawgIdentityStep: Step = {
  name: 'cawgIdentity',
  onError: 'general.error',
  ingredients: false,
  async run(ctx: ManifestContext): Promise<void> {
    const { manifest: m, asset } = ctx;
    const t = asset.tracker;
    for (const a of m.assertions) {
      if (withoutInstance(a.label) !== CAWG_IDENTITY_LABEL) continue;
      const url = urls.assertion(m, a.label);
      let ia: CawgIdentityAssertion;
      try {
        if (a.data === undefined)
          throw (
            a.error ??
            new MalformedInputError(
              CAWG_IDENTITY_LABEL,
              said('err.vfy.identityAssertionCouldNot', 'identity assertion could not be decoded'),
            )
          );
        ia = readCawgIdentity(a.data);
      } catch (err) {
        if (!(err instanceof ToolkitError)) throw err;
        t.add('cawg.identity.cbor.invalid', url, err.message);
        continue;
      }
      let ok = true;
      if (!ia.pad1.every((b) => b === 0) || (ia.pad2 && !ia.pad2.every((b) => b === 0))) {
        t.add('cawg.identity.pad.invalid', url, 'invalid value in pad fields');
        ok = false;
      }
      ok = checkReferences(ctx, ia, url) && ok;
      if (ia.signerPayload.sigType !== CAWG_X509_SIG_TYPE) {
        t.add('cawg.identity.sig_type.unknown', url, `identity signature type ${ia.signerPayload.sigType} is not supported`);
        continue;
      }
      if ((await checkX509(ctx, ia, url)) && ok) t.add('cawg.identity.well-formed', url, 'CAWG X.509 identity signature valid');
    }
  },
};
