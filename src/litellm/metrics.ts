/**
 * Counters and LiteLLM call latency of one mount, in Prometheus text form. No secrets and no
 * per-key labels: only operations, outcomes and LiteLLM endpoints.
 *
 * @module
 */

/** Latency histogram bucket bounds, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/** What a mount has done. */
export class EngineMetrics {
  #counters = new Map<string, number>();
  #latency = new Map<string, Histogram>();

  /** Counts one event, e.g. ("keys_issued_total") or ("litellm_errors_total", {endpoint}). */
  count(name: string, labels: Record<string, string> = {}): void {
    const key = name + labelText(labels);
    this.#counters.set(key, (this.#counters.get(key) ?? 0) + 1);
  }

  /** Records a LiteLLM call's duration. */
  observe(endpoint: string, seconds: number): void {
    const h = this.#latency.get(endpoint) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((bound, i) => seconds <= bound && h.buckets[i]++);
    h.sum += seconds;
    h.count++;
    this.#latency.set(endpoint, h);
  }

  /** Counter values by name with labels (for JSON reads and tests). */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counters].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The Prometheus text exposition (version 0.0.4). */
  prometheus(): string {
    const lines: string[] = [];
    const names = new Set([...this.#counters.keys()].map((k) => k.replace(/\{.*$/, "")));
    for (const name of [...names].sort()) {
      lines.push(`# TYPE litellm_${name} counter`);
      for (const [key, value] of this.#counters) {
        if (key.replace(/\{.*$/, "") === name) lines.push(`litellm_${key} ${value}`);
      }
    }
    if (this.#latency.size > 0) lines.push("# TYPE litellm_request_duration_seconds histogram");
    for (const [endpoint, h] of this.#latency) {
      BUCKETS.forEach((bound, i) =>
        lines.push(
          `litellm_request_duration_seconds_bucket{endpoint="${endpoint}",le="${bound}"} ${
            h.buckets[i]
          }`,
        )
      );
      lines.push(
        `litellm_request_duration_seconds_bucket{endpoint="${endpoint}",le="+Inf"} ${h.count}`,
      );
      lines.push(`litellm_request_duration_seconds_sum{endpoint="${endpoint}"} ${h.sum}`);
      lines.push(`litellm_request_duration_seconds_count{endpoint="${endpoint}"} ${h.count}`);
    }
    return lines.join("\n") + "\n";
  }
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length
    ? `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",")}}`
    : "";
}
