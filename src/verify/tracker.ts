/**
 * Collects status entries into the c2pa-rs `{success, informational, failure}` buckets.
 */
import { kindOf, status, type StatusCode, type StatusEntry } from './status-codes.ts';

/** The three result lists of one manifest. */
export interface StatusBuckets {
  success: StatusEntry[];
  informational: StatusEntry[];
  failure: StatusEntry[];
}

/** A status collector (one per manifest validated). */
export class StatusTracker {
  readonly buckets: StatusBuckets = { success: [], informational: [], failure: [] };

  /** Record `code` (bucket chosen by its kind). */
  add(code: StatusCode, url?: string, explanation?: string): StatusEntry {
    const e = status(code, url, explanation);
    this.buckets[kindOf(code)].push(e);
    return e;
  }

  /** Whether any failure was recorded (optionally ignoring some codes). */
  hasFailure(ignore: readonly StatusCode[] = []): boolean {
    return this.buckets.failure.some((e) => !ignore.includes(e.code));
  }

  /** Whether `code` was recorded. */
  has(code: StatusCode): boolean {
    return [...this.buckets.success, ...this.buckets.informational, ...this.buckets.failure].some((e) => e.code === code);
  }
}
