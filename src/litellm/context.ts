/**
 * What the engine's paths share: the cached LiteLLM client (dropped when the config changes),
 * the host's system view, the logger and the clock.
 *
 * @module
 */
import { type Logger, type Storage, type SystemView, UserInputError } from "../sdk/mod.ts";
import { LiteLLMClient, type LiteLLMClientOptions } from "./client.ts";
import { type Config, readConfig } from "./config.ts";
import { EngineMetrics } from "./metrics.ts";

/** Shared state of one mount. */
export interface EngineContext {
  /** The client for the stored config; throws UserInputError when the engine is not configured. */
  client(storage: Storage): Promise<LiteLLMClient>;
  /** Forgets the cached client (after a config change). */
  resetClient(): void;
  /** Builds a client for a config (also used to verify a config before it is stored). */
  newClient(config: Config): LiteLLMClient;
  /** The host's system view. */
  system: SystemView;
  /** Logger of the mount. */
  logger: Logger;
  /** Now. */
  clock(): Date;
  /** Counters of this mount. */
  metrics: EngineMetrics;
}

/** Options for tests: client tuning and the clock. */
export interface EngineOptions {
  /** Overrides for every client (e.g. short backoff in tests). */
  clientOptions?: Partial<LiteLLMClientOptions>;
  /** The clock. */
  clock?: () => Date;
}

/** Creates the shared state of a mount. */
export function createContext(
  system: SystemView,
  logger: Logger,
  options: EngineOptions = {},
): EngineContext {
  let cached: Promise<LiteLLMClient> | undefined;
  const metrics = new EngineMetrics();
  const newClient = (config: Config) =>
    new LiteLLMClient(config.base_url, config.master_key, {
      timeoutMs: config.request_timeout * 1000,
      caCert: config.tls_ca_cert || undefined,
      onCall(endpoint, seconds, ok) {
        metrics.observe(endpoint, seconds);
        if (!ok) metrics.count("errors_total", { endpoint });
      },
      ...options.clientOptions,
    });
  return {
    metrics,
    system,
    logger,
    clock: options.clock ?? (() => new Date()),
    newClient,
    resetClient() {
      const old = cached;
      cached = undefined;
      old?.then((c) => c.close()).catch(() => {});
    },
    client(storage) {
      cached ??= readConfig(storage).then((config) => {
        if (!config) {
          throw new UserInputError(
            "The engine is not configured: write base_url and master_key to config first",
          );
        }
        return newClient(config);
      });
      const pending = cached;
      pending.catch(() => {
        if (cached === pending) cached = undefined;
      });
      return pending;
    },
  };
}
