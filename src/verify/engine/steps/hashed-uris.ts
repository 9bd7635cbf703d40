/**
 * Step `hashedUris`: every hashed URI the claim lists (created, then gathered, as c2pa-rs
 * reports them) must resolve inside this manifest and hash to the stored value over the
 * target superbox's payload: `assertion.hashedURI.match` / `mismatch`, `assertion.missing`,
 * `assertion.outsideManifest`, `algorithm.unsupported`. Assertions in the assertion store
 * that the claim does not list are `assertion.undeclared`.
 */
import { checkHashedUri, type HashedUri } from '../../../manifest/index.ts';
import type { JumbfSuperbox } from '../../../manifest/jumbf/types.ts';
import type { ManifestContext, Step } from '../context.ts';
import { toAbsolute, urls } from '../uri.ts';

function end(b: JumbfSuperbox): number {
  return b.offset + b.headerLength + b.payload.length;
}

function inside(inner: JumbfSuperbox, outer: JumbfSuperbox): boolean {
  return inner.offset >= outer.offset && end(inner) <= end(outer);
}

/** Check the claim's hashed URIs. */
export const hashedUrisStep: Step = {
  name: 'hashedUris',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset } = ctx;
    const claim = m.claim;
    if (!claim) return;
    const t = asset.tracker;
    const referenced = new Set<JumbfSuperbox>();
    const listed: HashedUri[] = [...claim.createdAssertions, ...claim.gatheredAssertions];
    for (const uri of listed) {
      const url = toAbsolute(uri.url, m.label);
      const r = checkHashedUri(asset.store.root, m.box, uri, claim.alg);
      if (r.status === 'unsupported-alg') {
        t.add('algorithm.unsupported', url, `hash algorithm ${uri.alg ?? claim.alg} of ${uri.url} is not supported`);
        continue;
      }
      if (r.status === 'missing' || !r.target) {
        t.add('assertion.missing', url, `assertion missing: ${uri.url}`);
        continue;
      }
      referenced.add(r.target);
      if (!inside(r.target, m.box)) {
        t.add('assertion.outsideManifest', url, `${uri.url} points outside manifest ${m.label}`);
        continue;
      }
      if (r.status === 'match') t.add('assertion.hashedURI.match', url, `hashed uri matched: ${uri.url}`);
      else t.add('assertion.hashedURI.mismatch', url, `hash does not match assertion data: ${uri.url}`);
    }
    for (const a of m.assertions) {
      if (referenced.has(a.box)) continue;
      t.add('assertion.undeclared', urls.assertion(m, a.label), `assertion ${a.label} is not listed in the claim`);
    }
  },
};
