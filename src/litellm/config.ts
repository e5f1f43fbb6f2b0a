/**
 * The engine's connection settings: the Config type, its storage key, and the pure checks of a
 * config write. The master key is stored seal-wrapped and never returned.
 *
 * @module
 */
import { z } from "zod";
import { readJson, type Storage, UserInputError, writeJson } from "../sdk/mod.ts";

/** Storage key of the config (seal-wrapped). */
export const CONFIG_KEY = "config";

const CONFIG_SCHEMA = z.object({
  base_url: z.string(),
  master_key: z.string(),
  tls_ca_cert: z.string().default(""),
  request_timeout: z.number().int().positive().default(30),
  rotation_period: z.number().int().nonnegative().default(0),
  last_rotated: z.string().default(""),
});

/** Stored connection settings. */
export type Config = z.infer<typeof CONFIG_SCHEMA>;

/** Reads the config; undefined when the engine is not configured. */
export function readConfig(storage: Storage): Promise<Config | undefined> {
  return readJson(storage, CONFIG_KEY, CONFIG_SCHEMA);
}

/** Writes the config, seal-wrapped. */
export function writeConfig(storage: Storage, config: Config): Promise<void> {
  return writeJson(storage, CONFIG_KEY, config, { sealWrap: true });
}

/** Checks a base URL: http(s), a host, nothing else that would leak or confuse. */
export function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserInputError(
      `Invalid field "base_url": "${value}" is not a URL (e.g. https://litellm.example.com)`,
      { field: "base_url" },
    );
  }
  const problem = !["http:", "https:"].includes(url.protocol)
    ? `scheme must be http or https, got ${url.protocol.replace(":", "")}`
    : !url.hostname
    ? "a host is required"
    : url.username || url.password
    ? "credentials in the URL are not allowed; use master_key"
    : url.search || url.hash
    ? "query strings and fragments are not allowed"
    : undefined;
  if (problem) {
    throw new UserInputError(`Invalid field "base_url": ${problem}`, { field: "base_url" });
  }
  return value.replace(/\/+$/, "");
}

/** Checks a CA bundle: empty, or at least one PEM certificate. */
export function checkCaCert(value: string): string {
  if (value !== "" && !/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(value)) {
    throw new UserInputError(`Invalid field "tls_ca_cert": contains no PEM certificate`, {
      field: "tls_ca_cert",
    });
  }
  return value;
}
