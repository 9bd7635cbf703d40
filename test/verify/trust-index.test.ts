/**
 * The bundled trust lists parsed lazily through their anchor index (assets/trust/anchor-index.json,
 * written by `npm run build`): the index is current, a stale one is ignored, lookups parse only
 * the anchors they return, and verification gives the same reports (verdicts, codes, anchor and
 * list names) as with the same lists parsed whole.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/service/verify.ts';
import { resolveTrust } from '../../src/verify/engine/trust-options.ts';
import { bundledTrustLists } from '../../src/verify/engine/bundled-trust.ts';
import { computeAnchorIndex, indexMatches } from '../../src/verify/engine/anchor-index.ts';
import { lazyAnchorSet, anchorSetOf, type AnchorSlot } from '../../src/pki/anchor-set.ts';
import { namesEqual, nameKey } from '../../src/pki/names.ts';
import { repo } from '../helpers.ts';

const lists = bundledTrustLists();
const committed = JSON.parse(readFileSync(repo('assets', 'trust', 'anchor-index.json'), 'utf8')) as Record<string, unknown>;
/** The bundled lists given as replacements under their bundled names: parsed whole, no index. */
const eagerOptions = {
  trustListPem: lists.c2pa.pem,
  tsaTrustListPem: lists.tsa.pem,
  sourceNames: { trustList: 'C2PA Trust List 2026-08-05 (bundled)', tsaTrustList: 'C2PA TSA Trust List 2026-08-05 (bundled)' },
};

describe('anchor index', () => {
  it('is current for both bundled lists (rerun `npm run build` after replacing a list)', () => {
    for (const id of ['c2pa', 'tsa'] as const) {
      expect(committed[id], id).toEqual(computeAnchorIndex(lists[id].pem, lists[id].info.name));
      expect(lists[id].index).toEqual(committed[id]);
    }
  });

  it('is ignored when it does not match its list (another text, count or a malformed row)', () => {
    const idx = computeAnchorIndex(lists.c2pa.pem, 'c2pa');
    expect(indexMatches(idx, lists.c2pa.pem, idx.certs.length)).toBe(true);
    expect(indexMatches(idx, `${lists.c2pa.pem}\n`, idx.certs.length)).toBe(false);
    expect(indexMatches(idx, lists.c2pa.pem, idx.certs.length - 1)).toBe(false);
    expect(indexMatches({ ...idx, certs: [{ sha256: 'zz', subject: 'x' }, ...idx.certs.slice(1)] }, lists.c2pa.pem, idx.certs.length)).toBe(
      false,
    );
    expect(indexMatches(null, lists.c2pa.pem, 0)).toBe(false);
  });
});

describe('lazy anchor sets', () => {
  it('parse only the anchors a lookup returns, once', () => {
    const eager = resolveTrust(eagerOptions);
    const loads = new Map<string, number>();
    const slots: AnchorSlot[] = eager.anchors.map((c) => ({
      fingerprint256: c.fingerprint256,
      subjectKey: nameKey(c.subject),
      load: () => {
        loads.set(c.fingerprint256, (loads.get(c.fingerprint256) ?? 0) + 1);
        return c;
      },
    }));
    const set = lazyAnchorSet(slots);
    expect(loads.size).toBe(0);
    const target = eager.anchors[3]!;
    expect(set.byFingerprint(target.fingerprint256)).toBe(target);
    expect(set.byFingerprint('00'.repeat(32))).toBeUndefined();
    set.bySubject(target.subject);
    set.bySubject(target.subject);
    const sameName = eager.anchors.filter((a) => namesEqual(a.subject, target.subject)).map((a) => a.fingerprint256);
    expect([...loads.keys()].sort()).toEqual([...sameName].sort());
    expect([...loads.values()].every((n) => n === 1)).toBe(true);
  });

  it('answer as a scan of the parsed lists: every subject and fingerprint, in list order', () => {
    const lazy = resolveTrust();
    const eager = resolveTrust(eagerOptions);
    expect(lazy.anchorSet).toBeDefined();
    const plain = anchorSetOf(eager.anchors);
    const probes = [...eager.anchors, ...eager.tsaAnchors];
    for (const c of probes) {
      const fps = (l: readonly { fingerprint256: string }[]) => l.map((a) => a.fingerprint256);
      expect(fps(lazy.anchorSet!.bySubject(c.subject))).toEqual(fps(eager.anchors.filter((a) => namesEqual(a.subject, c.subject))));
      expect(fps(plain.bySubject(c.subject))).toEqual(fps(lazy.anchorSet!.bySubject(c.subject)));
      expect(fps(lazy.tsaAnchorSet!.bySubject(c.subject))).toEqual(fps(eager.tsaAnchors.filter((a) => namesEqual(a.subject, c.subject))));
      expect(lazy.anchorSet!.byFingerprint(c.fingerprint256)?.fingerprint256).toBe(
        eager.anchors.find((a) => a.fingerprint256 === c.fingerprint256)?.fingerprint256,
      );
      expect(lazy.anchorSources.get(c.fingerprint256)).toEqual(eager.anchorSources.get(c.fingerprint256));
    }
    expect(lazy.anchors.map((a) => a.fingerprint256)).toEqual(eager.anchors.map((a) => a.fingerprint256));
    expect(lazy.tsaAnchors.map((a) => a.fingerprint256)).toEqual(eager.tsaAnchors.map((a) => a.fingerprint256));
    expect(lazy.lists.map((l) => [l.name, l.count, l.skipped])).toEqual(eager.lists.map((l) => [l.name, l.count, l.skipped]));
  });
});

describe('verification through the index', () => {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => {
      const p = path.join(d, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  const files = walk(repo('fixtures', 'external', 'c2pa-rs')).filter((f) => /\.jpe?g$/i.test(f));

  it('gives the same report for every corpus file as the lists parsed whole (trusted time-stamps included)', async () => {
    expect(files.length).toBeGreaterThan(10);
    let tsTrusted = 0;
    for (const f of files) {
      const lazy = JSON.stringify(await verify(f));
      const eager = JSON.stringify(await verify(f, { trust: eagerOptions }));
      expect(lazy, path.relative(repo(), f)).toBe(eager);
      if (lazy.includes('"timeStamp.trusted"')) tsTrusted++;
    }
    expect(tsTrusted).toBeGreaterThan(3);
  }, 120_000);
});
