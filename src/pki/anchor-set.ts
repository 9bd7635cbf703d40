/**
 * A set of trust anchors looked up the way path building needs them: by SHA-256 fingerprint
 * (is this chain certificate an anchor?) and by subject name (which anchors could have issued
 * this certificate?). A set may parse its certificates only when a lookup asks for them (the
 * bundled C2PA lists, see `verify/engine/anchor-index.ts`); the answers are those of a plain
 * list of the same anchors, in the same order.
 */
import type { Certificate } from './certificate.ts';
import { nameKey, type DistinguishedName } from './names.ts';

/** Trust anchors indexed for path building. */
export interface AnchorSet {
  /** The anchor whose DER has this SHA-256 (lowercase hex), if it is one. */
  byFingerprint(fingerprint256: string): Certificate | undefined;
  /** The anchors whose subject matches `name` (RFC 5280 comparison, as `namesEqual`), in set order. */
  bySubject(name: DistinguishedName): readonly Certificate[];
}

/** Whether `x` is an {@link AnchorSet} rather than a list of anchors. */
export function isAnchorSet(x: unknown): x is AnchorSet {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as AnchorSet).bySubject === 'function';
}

/** One anchor of a lazy set: its fingerprint and subject key known, the certificate parsed on demand. */
export interface AnchorSlot {
  readonly fingerprint256: string;
  /** {@link nameKey} of the subject. */
  readonly subjectKey: string;
  /** The parsed certificate, or undefined when it is not usable as an anchor (it is then skipped). */
  readonly load: () => Certificate | undefined;
}

/**
 * An anchor set over slots (duplicates by fingerprint: the first wins, as in a deduplicated list).
 * A slot's certificate is loaded at most once, when a lookup needs it.
 */
export function lazyAnchorSet(slots: Iterable<AnchorSlot>): AnchorSet {
  const byFp = new Map<string, AnchorSlot>();
  const bySubject = new Map<string, AnchorSlot[]>();
  for (const s of slots) {
    if (byFp.has(s.fingerprint256)) continue;
    byFp.set(s.fingerprint256, s);
    const list = bySubject.get(s.subjectKey);
    if (list) list.push(s);
    else bySubject.set(s.subjectKey, [s]);
  }
  const loaded = new Map<AnchorSlot, Certificate | undefined>();
  const load = (s: AnchorSlot): Certificate | undefined => {
    if (!loaded.has(s)) loaded.set(s, s.load());
    return loaded.get(s);
  };
  return {
    byFingerprint: (fp) => {
      const s = byFp.get(fp);
      return s ? load(s) : undefined;
    },
    bySubject: (name) => (bySubject.get(nameKey(name)) ?? []).map(load).filter((c): c is Certificate => c !== undefined),
  };
}

/** An anchor set over parsed certificates (already checked as anchors), in list order. */
export function anchorSetOf(certs: readonly Certificate[]): AnchorSet {
  return lazyAnchorSet(certs.map((c) => ({ fingerprint256: c.fingerprint256, subjectKey: nameKey(c.subject), load: () => c })));
}

/** The union of sets: `a`'s anchors first, then `b`'s not in `a` (as concatenating two lists and removing duplicates). */
export function unionAnchorSets(a: AnchorSet, b: AnchorSet): AnchorSet {
  return {
    byFingerprint: (fp) => a.byFingerprint(fp) ?? b.byFingerprint(fp),
    bySubject: (name) => {
      const first = a.bySubject(name);
      const seen = new Set(first.map((c) => c.fingerprint256));
      return [...first, ...b.bySubject(name).filter((c) => !seen.has(c.fingerprint256))];
    },
  };
}
