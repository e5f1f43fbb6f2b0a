/**
 * `config`: where LiteLLM is and the credential to manage keys with. The master key is
 * write-only: reads say only whether one is set.
 *
 * @module
 */
import { definePath, UserInputError } from "../sdk/mod.ts";
import { LiteLLMError } from "./client.ts";
import {
  checkBaseUrl,
  checkCaCert,
  type Config,
  CONFIG_KEY,
  readConfig,
  writeConfig,
} from "./config.ts";
import type { EngineContext } from "./context.ts";

const FIELDS = {
  base_url: {
    type: "string",
    description: "Base URL of the LiteLLM proxy, e.g. https://litellm.example.com",
    required: true,
  },
  master_key: {
    type: "string",
    description:
      "LiteLLM master key, or a proxy-admin virtual key, used to manage keys. Write-only: never returned",
    sensitive: true,
    required: true,
  },
  tls_ca_cert: {
    type: "string",
    description: "PEM CA bundle to trust for an https base_url (default: system roots)",
  },
  tls_skip_verify: {
    type: "bool",
    description:
      "Skip TLS verification. Not supported (Deno's HTTP client cannot); set tls_ca_cert instead",
    default: false,
  },
  request_timeout: { type: "duration", description: "Timeout of each LiteLLM call", default: 30 },
  rotation_period: {
    type: "duration",
    description: "Rotate an admin virtual key on this schedule (0: never); see config/rotate-root",
  },
  verify_connection: {
    type: "bool",
    description: "Check base_url and master_key with an authenticated call before saving",
    default: true,
  },
} as const;

/** The config path. */
export function pathConfig(ctx: EngineContext) {
  return definePath({
    pattern: "config",
    fields: FIELDS,
    existenceCheck: async (req) => (await readConfig(req.storage)) !== undefined,
    operations: {
      read: {
        summary: "Read the connection settings (never the master key)",
        callback: async (req) => {
          const config = await readConfig(req.storage);
          if (!config) return undefined;
          return {
            data: {
              base_url: config.base_url,
              tls_ca_cert: config.tls_ca_cert,
              tls_skip_verify: false,
              request_timeout: config.request_timeout,
              master_key_set: config.master_key !== "",
              rotation_period: config.rotation_period,
              last_rotated: config.last_rotated || null,
            },
          };
        },
      },
      update: {
        summary: "Configure the connection to LiteLLM",
        callback: async (req, data) => {
          const existing = await readConfig(req.storage);
          if (data.get("tls_skip_verify")) {
            throw new UserInputError(
              `Invalid field "tls_skip_verify": not supported, as Deno's HTTP client cannot skip verification; set tls_ca_cert to the proxy's CA instead`,
              { field: "tls_skip_verify" },
            );
          }
          const baseUrl = data.has("base_url") ? data.get("base_url") : existing?.base_url;
          const masterKey = data.has("master_key") ? data.get("master_key") : existing?.master_key;
          if (!baseUrl) throw new UserInputError(`Missing field "base_url"`, { field: "base_url" });
          if (!masterKey) {
            throw new UserInputError(`Missing field "master_key"`, { field: "master_key" });
          }
          const timeout = data.has("request_timeout")
            ? data.get("request_timeout")
            : existing?.request_timeout ?? 30;
          if (timeout < 1 || timeout > 300) {
            throw new UserInputError(
              `Invalid field "request_timeout": must be between 1s and 300s, got ${timeout}s`,
              {
                field: "request_timeout",
              },
            );
          }
          const config: Config = {
            base_url: checkBaseUrl(baseUrl),
            master_key: masterKey,
            tls_ca_cert: checkCaCert(
              data.has("tls_ca_cert") ? data.get("tls_ca_cert") : existing?.tls_ca_cert ?? "",
            ),
            request_timeout: timeout,
            rotation_period: data.has("rotation_period")
              ? data.get("rotation_period")
              : existing?.rotation_period ?? 0,
            last_rotated: existing?.last_rotated ?? "",
          };
          if (data.get("verify_connection")) await verify(ctx, config);
          await writeConfig(req.storage, config);
          ctx.resetClient();
          return undefined;
        },
      },
      delete: {
        summary: "Remove the connection settings",
        callback: async (req) => {
          await req.storage.delete(CONFIG_KEY);
          ctx.resetClient();
          return undefined;
        },
      },
    },
    helpSynopsis: "Configure the connection to the LiteLLM proxy",
    helpDescription: CONFIG_HELP,
  });
}

async function verify(ctx: EngineContext, config: Config): Promise<void> {
  const client = ctx.newClient(config);
  try {
    await client.verify();
  } catch (error) {
    if (error instanceof LiteLLMError) {
      throw new UserInputError(
        `Cannot verify the connection to LiteLLM (set verify_connection=false to skip): ${error.message}`,
        { field: error.status === 401 || error.status === 403 ? "master_key" : "base_url" },
      );
    }
    throw error;
  } finally {
    client.close();
  }
}

const CONFIG_HELP = `
Configures where the LiteLLM proxy is and the credential used to mint and delete virtual keys:
the master key, or a virtual key of a proxy admin.

    vault write litellm/config base_url=https://litellm.example.com master_key=sk-...

master_key is write-only: it is stored seal-wrapped and never returned; reads show
master_key_set instead. Unless verify_connection=false, the settings are checked with an
authenticated call to LiteLLM before they are saved, and nothing is saved when that fails.
`;
