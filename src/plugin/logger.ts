/**
 * Logs as hclog JSON lines on stderr, which go-plugin's host parses and re-logs at the right
 * level in the engine's log (protocol.md §8.16): `@level`, `@message`, `@module` and a
 * `@timestamp` with exactly six fractional digits, all strings. Values of secret-looking fields
 * are never written.
 *
 * @module
 */
import type { Logger } from "../sdk/logical.ts";

/** hclog levels, lowest first. */
export const LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
/** A log level. */
export type Level = typeof LEVELS[number];

const SECRET_FIELD = /(^key$|master_?key|api_?key|token|secret|password|authorization|credential)/i;

/** Go's `2006-01-02T15:04:05.000000Z07:00` layout (microseconds), which hclog requires. */
export function hclogTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Replaces values of secret-looking fields, recursively. */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(name)) out[name] = "[redacted]";
    else if (value instanceof Error) out[name] = value.message;
    else if (value && typeof value === "object" && !Array.isArray(value)) {
      out[name] = redact(value as Record<string, unknown>);
    } else out[name] = value;
  }
  return out;
}

/** Options of a logger. */
export interface HclogOptions {
  /** Lowest level written (default "info"). */
  level?: Level;
  /** `@module` of every line. */
  module?: string;
  /** Where lines go (default: stderr). */
  write?: (line: string) => void;
  /** Clock (tests pin it). */
  now?: () => Date;
}

const encoder = new TextEncoder();
function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line));
}

/** A Logger writing hclog JSON lines. */
export function createHclogLogger(
  options: HclogOptions = {},
  fields: Record<string, unknown> = {},
): Logger {
  const threshold = LEVELS.indexOf(options.level ?? "info");
  const write = options.write ?? writeStderr;
  const now = options.now ?? (() => new Date());
  const log = (level: Level) => (message: string, extra: Record<string, unknown> = {}) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const line = {
      ...redact({ ...fields, ...extra }),
      "@level": level,
      "@message": String(message),
      "@module": options.module ?? "vault-plugin-secrets-litellm",
      "@timestamp": hclogTimestamp(now()),
    };
    write(JSON.stringify(line) + "\n");
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

/** Reads the level from LITELLM_PLUGIN_LOG_LEVEL (set with `plugin register -env`); default info. */
export function levelFromEnv(value: string | undefined): Level {
  const lower = (value ?? "").toLowerCase();
  return (LEVELS as readonly string[]).includes(lower) ? lower as Level : "info";
}
