/**
 * What a trust configuration is cached by. `resolveTrust` keeps the configurations of the last
 * few distinct option sets by a text key of every input ({@link trustKey}); building that key
 * means serialising every PEM bundle given, about 0.1 ms per call with the C2PA trust lists.
 * A caller passing the same options object again (a service or a batch, one configuration for
 * every file) is served by identity instead: {@link trustInputs} lists the values the key is
 * made of, and the cached configuration is reused only while each of them is still the same.
 */
import type { TrustOptions } from './trust-options.ts';

/** Marks where a list's elements start in {@link trustInputs}' output. */
const LIST = Symbol('list');

function pushValue(out: unknown[], v: unknown): void {
  if (Array.isArray(v)) out.push(LIST, v.length, ...v);
  else out.push(v);
}

/**
 * The values the configuration of `opts` depends on, flattened (lists element by element, the
 * source names field by field), in a fixed order: two calls give equal arrays (by `===`, element
 * by element) exactly when they would give the same {@link trustKey}.
 */
export function trustInputs(opts: TrustOptions): unknown[] {
  const out: unknown[] = [];
  pushValue(out, opts.anchorsPem);
  out.push(opts.defaultTrust, opts.trustListPem, opts.tsaTrustListPem, opts.allowedListPem);
  pushValue(out, opts.ekus);
  out.push(opts.crlsPem, opts.sourceNames?.anchors, opts.sourceNames?.trustList, opts.sourceNames?.tsaTrustList);
  out.push(opts.cawgAnchorsPem);
  pushValue(out, opts.tsaAnchorsPem);
  out.push(opts.publicTsaRoots, opts.ocspFetch);
  return out;
}

/** Whether two {@link trustInputs} arrays are equal element by element. */
export function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One PEM text of a bundle or a list of bundles (joined by newlines); '' for none. */
export function pemText(v: string | readonly string[] | undefined): string {
  return Array.isArray(v) ? v.join('\n') : ((v as string | undefined) ?? '');
}

/** The text key of a trust configuration: every input, defaults filled in. */
export function trustKey(opts: TrustOptions): string {
  return JSON.stringify([
    pemText(opts.anchorsPem),
    opts.defaultTrust !== false,
    opts.trustListPem ?? '',
    opts.tsaTrustListPem ?? '',
    opts.allowedListPem ?? '',
    opts.ekus ?? '',
    opts.crlsPem ?? '',
    opts.sourceNames ?? {},
    opts.cawgAnchorsPem ?? '',
    pemText(opts.tsaAnchorsPem),
    opts.publicTsaRoots ?? false,
    opts.ocspFetch ?? false,
  ]);
}
