/**
 * Logs as hclog JSON lines on stderr, which go-plugin's host parses and re-logs at the line's
 * level in the engine's log (protocol.md §8.16): `@level`, `@message`, `@module` and a
 * `@timestamp` with exactly six fractional digits, always strings, because the host type-asserts
 * them without a recover and a number there would crash the engine. Field values pass through
 * {@linkcode redact} first, so secrets never reach the log.
 *
 * @module
 */
import type { Logger } from "../sdk/logical.ts";

/** hclog levels, lowest first. */
export const LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
/** A log level. */
export type Level = typeof LEVELS[number];

/** Field names whose values are never written: keys, tokens, passwords and the like. */
const SECRET_NAME =
  /(^|[_-])keys?$|(master|api|virtual|private|secret|access|signing)_?keys?|token|secret|passw(or)?d|authorization|credential|cookie/i;
/**
 * Secret-shaped text inside any string: LiteLLM keys (`sk-...`), Vault/OpenBao tokens
 * (`hvs.`/`s.`...) and bearer credentials, in case an error message quotes one.
 */
const SECRET_TEXT = /\b(sk-[A-Za-z0-9_-]{4,}|(hv[sbr]|s|b|r)\.[A-Za-z0-9_-]{20,})|(?<=Bearer )\S+/g;
/** Longest string value written; go-plugin logs lines over 64 KiB raw, losing their level. */
const MAX_STRING = 4096;
/** Deepest nesting written. */
const MAX_DEPTH = 6;
/** What replaces a secret. */
export const REDACTED = "[redacted]";

/** Go's `2006-01-02T15:04:05.000000Z07:00` layout in UTC, the one layout hclog's host accepts. */
export function hclogTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Removes secret-shaped text from a string and caps its length. */
export function scrub(text: string): string {
  const cleaned = text.replace(SECRET_TEXT, REDACTED);
  return cleaned.length > MAX_STRING ? `${cleaned.slice(0, MAX_STRING)}...(truncated)` : cleaned;
}

/**
 * Makes log fields safe to write: values of secret-named fields become "[redacted]", at any
 * depth and inside arrays; strings lose secret-shaped text; errors become their message; bigints
 * become decimal strings; bytes, functions and cycles become short placeholders, so that
 * JSON.stringify can never throw.
 */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return safeValue(fields, 0, new WeakSet()) as Record<string, unknown>;
}

function safeValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case "string":
      return scrub(value);
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Error) return scrub(object.message);
  if (object instanceof Date) return object.toISOString();
  if (ArrayBuffer.isView(object)) return `[${object.byteLength} bytes]`;
  if (seen.has(object)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((v) => safeValue(v, depth + 1, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(object)) {
      out[name] = SECRET_NAME.test(name) ? REDACTED : safeValue(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

/** Options of a logger. */
export interface HclogOptions {
  /** Lowest level written. @default "info" */
  level?: Level;
  /** `@module` of every line. @default "vault-plugin-secrets-litellm" */
  module?: string;
  /** Where lines go. @default stderr */
  write?: (line: string) => void;
  /** Clock (tests pin it). */
  now?: () => Date;
}

const encoder = new TextEncoder();

/** Writes all of `line` to stderr synchronously, so a line is never interleaved or lost on exit. */
function writeStderr(line: string): void {
  const bytes = encoder.encode(line);
  for (let written = 0; written < bytes.length;) {
    written += Deno.stderr.writeSync(bytes.subarray(written));
  }
}

/**
 * A Logger writing hclog JSON lines; `fields` are added to every line. A log call never throws.
 *
 * @example
 * ```ts ignore
 * const logger = createHclogLogger({ level: "debug", module: "litellm" });
 * logger.with({ mount: "litellm/" }).info("issued key", { role: "dev" });
 * ```
 */
export function createHclogLogger(
  options: HclogOptions = {},
  fields: Record<string, unknown> = {},
): Logger {
  const threshold = LEVELS.indexOf(options.level ?? "info");
  const write = options.write ?? writeStderr;
  const now = options.now ?? (() => new Date());
  const module = options.module ?? "vault-plugin-secrets-litellm";
  const log = (level: Level) => (message: string, extra: Record<string, unknown> = {}) => {
    if (LEVELS.indexOf(level) < threshold) return;
    // Ours last, so a field named "@message" cannot replace them.
    const line = {
      ...redact({ ...fields, ...extra }),
      "@level": level,
      "@message": scrub(String(message)),
      "@module": module,
      "@timestamp": hclogTimestamp(now()),
    };
    try {
      write(JSON.stringify(line) + "\n");
    } catch {
      // stderr is gone (the host closed the pipe): nothing left to tell anyone.
    }
  };
  return {
    trace: log("trace"),
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    with: (more) => createHclogLogger(options, { ...fields, ...more }),
  };
}

/** Level names accepted in the environment, with the aliases Vault's -log-level accepts. */
const LEVEL_NAMES: Record<string, Level> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  err: "error",
};

/**
 * The log level from the environment; the first set and known of:
 * - `LITELLM_PLUGIN_LOG_LEVEL`, ours, set with `plugin register -env=LITELLM_PLUGIN_LOG_LEVEL=...`;
 * - `BAO_LOG_LEVEL` and `VAULT_LOG_LEVEL`, the engine's own, which its plugins inherit because
 *   both hosts pass their environment on (protocol.md §1.2).
 *
 * Hosts pass no level of their own: Go plugins log everything at trace and let the host drop
 * lines below its level. We default to info instead, so a request does not cost a JSON line
 * for the host to parse and drop.
 */
export function levelFromEnv(env: Record<string, string | undefined>): Level {
  for (const name of ["LITELLM_PLUGIN_LOG_LEVEL", "BAO_LOG_LEVEL", "VAULT_LOG_LEVEL"]) {
    const level = LEVEL_NAMES[(env[name] ?? "").trim().toLowerCase()];
    if (level) return level;
  }
  return "info";
}
