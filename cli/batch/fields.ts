/** `--fields`: pick parts of a report by dotted path for JSON Lines output. */
import { InvalidArgumentError } from '../../src/errors.ts';

/**
 * Parse `--fields a,b.c`.
 * @throws {InvalidArgumentError} for an empty list or a malformed name.
 */
export function parseFields(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const fields = value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (!fields.length || fields.some((f) => !/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$:.-]+)*$/.test(f))) {
    throw InvalidArgumentError.expected(
      'a comma-separated list of report fields (e.g. validation_state,labels.gb45438)',
      '--fields',
      value,
    );
  }
  return fields;
}

/** The value at a dotted path (`labels.gb45438.fields.Label`), or null when absent. */
export function pick(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const key of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === undefined ? null : cur;
}

/** One JSON Lines record: path and verdict first, then the chosen fields (or the whole report as `report`). */
export function jsonlRecord(
  path: string,
  verdict: string,
  report: unknown,
  fields: readonly string[] | undefined,
  extra: Record<string, unknown> = {},
): string {
  const rec: Record<string, unknown> = { path, verdict, ...extra };
  if (fields) for (const f of fields) rec[f] = pick(report, f);
  else rec.report = report;
  return `${JSON.stringify(rec)}\n`;
}
