/**
 * `metrics`: the mount's counters and LiteLLM latency, as JSON or in Prometheus text form
 * (`format=prometheus`, served raw so a scraper can read it through the Vault API).
 *
 * @module
 */
import { definePath } from "../sdk/mod.ts";
import type { EngineMetrics } from "./metrics.ts";

/** The metrics path. */
export function pathMetrics(metrics: EngineMetrics) {
  return definePath({
    pattern: "metrics",
    fields: {
      format: {
        type: "string",
        description: `"json" (default) or "prometheus"`,
        default: "json",
        allowedValues: ["json", "prometheus"],
      },
    },
    operations: {
      read: {
        summary: "Read the mount's counters",
        callback: async (_req, data) => {
          if (data.get("format") === "prometheus") {
            return {
              data: {
                http_status_code: 200,
                http_content_type: "text/plain; version=0.0.4",
                http_raw_body: btoa(metrics.prometheus()),
              },
            };
          }
          return { data: { counters: metrics.snapshot() } };
        },
      },
    },
    helpSynopsis: "Counters of keys issued, renewed, revoked and failed, and LiteLLM latency",
    helpDescription: `
Counters since the plugin process started, per mount: keys issued, renewed, revoked, rolled back,
failures by operation, and the latency of each LiteLLM endpoint. No secrets and no per-key labels.

    vault read litellm/metrics
    curl -H "X-Vault-Token: ..." "$VAULT_ADDR/v1/litellm/metrics?format=prometheus"
`,
  });
}
