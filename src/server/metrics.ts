/**
 * Prometheus metrics in the text exposition format (version 0.0.4): request counts,
 * verdicts, latency histograms and the queue depth, kept in memory by the service.
 */

/** Latency buckets (seconds): sub-millisecond verifies up to multi-minute uploads. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const;

type Labels = Record<string, string>;

const escapedKey = (labels: Labels): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

/** Most label sets whose escaped key is remembered (label values are routes, codes, verdicts: few). */
const MAX_CACHED_KEYS = 4096;
const KEYS = new Map<string, string>();

/** The series key of `labels` (sorted, escaped), remembered: every request counts four series. */
function key(labels: Labels): string {
  let raw = '';
  for (const k in labels) raw += `${k}\u0000${labels[k]}\u0001`;
  let k = KEYS.get(raw);
  if (k === undefined) {
    k = escapedKey(labels);
    if (KEYS.size < MAX_CACHED_KEYS) KEYS.set(raw, k);
  }
  return k;
}

class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}{${k}} ${v}`);
    return lines.join('\n');
  }
}

class Histogram {
  readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(labels: Labels, seconds: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    LATENCY_BUCKETS.forEach((b, i) => {
      if (seconds <= b) s!.counts[i]!++;
    });
    s.sum += seconds;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const sep = k ? ',' : '';
      LATENCY_BUCKETS.forEach((b, i) => {
        lines.push(`${this.name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}`);
      });
      lines.push(
        `${this.name}_bucket{${k}${sep}le="+Inf"} ${s.count}`,
        `${this.name}_sum{${k}} ${s.sum}`,
        `${this.name}_count{${k}} ${s.count}`,
      );
    }
    return lines.join('\n');
  }
}

/** The service's metrics. */
export class Metrics {
  readonly requests = new Counter('aigc_http_requests_total', 'HTTP requests by route, method and status code.');
  readonly verdicts = new Counter(
    'aigc_verdicts_total',
    'Finished jobs by operation and verdict (validation state, decision prompt or outcome).',
  );
  readonly rejected = new Counter(
    'aigc_http_rejected_total',
    'Requests refused before running: overload (503), rate limit (429), size (413), auth (401/403).',
  );
  readonly latency = new Histogram('aigc_http_request_duration_seconds', 'HTTP request latency by route.');
  readonly jobLatency = new Histogram('aigc_job_duration_seconds', 'Time from submitting a job to its result, by operation.');

  /** Render everything plus the gauges given. */
  render(gauges: { name: string; help: string; values: [Labels, number][] }[]): string {
    const parts = [this.requests.render(), this.verdicts.render(), this.rejected.render(), this.latency.render(), this.jobLatency.render()];
    for (const g of gauges) {
      parts.push(
        [
          `# HELP ${g.name} ${g.help}`,
          `# TYPE ${g.name} gauge`,
          ...g.values.map(([l, v]) => `${g.name}${Object.keys(l).length ? `{${key(l)}}` : ''} ${v}`),
        ].join('\n'),
      );
    }
    return `${parts.join('\n')}\n`;
  }
}

/** The verdict label of a finished job's result. */
export function verdictOf(op: string, status: string, result: unknown): string {
  if (status !== 'completed') return 'failed';
  const r = result as { validation_state?: string | null; error?: unknown; prompt?: string; decision?: { prompt?: string } } | undefined;
  if (op === 'verify' || op === 'inspect') return r?.validation_state ?? (r?.error ? 'error' : 'none');
  if (op === 'decide') return r?.prompt ?? 'none';
  if (op === 'propagate') return r?.decision?.prompt ?? 'done';
  return 'done';
}
