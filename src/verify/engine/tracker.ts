/**
 * Collects status entries in the order validation logs them, as c2pa-rs's status tracker
 * does: each entry remembers the ingredient assertion being validated when it was logged
 * (its *scope*), so the report can split the log into the active manifest's results and
 * one `ingredientDeltas` entry per ingredient assertion.
 */
import { kindOf, status, type StatusCode, type StatusEntry, type StatusKind } from '../report/status-codes.ts';

/** The three result lists of one manifest (c2pa-rs `StatusCodes`). */
export interface StatusBuckets {
  success: StatusEntry[];
  informational: StatusEntry[];
  failure: StatusEntry[];
}

/** One logged entry with its kind and scope. */
export interface LoggedStatus {
  readonly entry: StatusEntry;
  readonly kind: StatusKind;
  /** URI of the ingredient assertion being validated, or undefined for the active manifest. */
  readonly scope?: string;
}

/** Empty buckets. */
export function emptyBuckets(): StatusBuckets {
  return { success: [], informational: [], failure: [] };
}

/** Put entries into buckets by kind, keeping their order. */
export function toBuckets(items: readonly LoggedStatus[]): StatusBuckets {
  const b = emptyBuckets();
  for (const i of items) b[i.kind].push(i.entry);
  return b;
}

/** A status collector for one verification (the active manifest and its ingredients). */
export class StatusTracker {
  private readonly items: LoggedStatus[] = [];
  private readonly scopes: string[] = [];

  /** Record `code` (bucket chosen by its kind) in the current scope. */
  add(code: StatusCode, url?: string, explanation?: string): StatusEntry {
    const entry = status(code, url, explanation);
    const scope = this.scopes[this.scopes.length - 1];
    this.items.push(scope === undefined ? { entry, kind: kindOf(code) } : { entry, kind: kindOf(code), scope });
    return entry;
  }

  /** Enter the scope of an ingredient assertion (entries logged until {@link popScope} belong to it). */
  pushScope(ingredientAssertionUri: string): void {
    this.scopes.push(ingredientAssertionUri);
  }

  /** Leave the current ingredient scope. */
  popScope(): void {
    this.scopes.pop();
  }

  /** Current nesting of ingredient scopes. */
  get depth(): number {
    return this.scopes.length;
  }

  /** Everything logged, in order. */
  get logged(): readonly LoggedStatus[] {
    return this.items;
  }

  /** Entries logged so far, in buckets (all scopes). */
  get buckets(): StatusBuckets {
    return toBuckets(this.items);
  }

  /** Whether any failure was recorded (optionally ignoring some codes). */
  hasFailure(ignore: readonly StatusCode[] = []): boolean {
    return this.items.some((i) => i.kind === 'failure' && !ignore.includes(i.entry.code));
  }

  /** Whether `code` was recorded (optionally only with this url). */
  has(code: StatusCode, url?: string): boolean {
    return this.items.some((i) => i.entry.code === code && (url === undefined || i.entry.url === url));
  }
}
