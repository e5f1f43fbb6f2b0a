/**
 * Duration parsing as Vault's framework does it (parseutil.ParseDurationSecond): whole seconds
 * from a number, an integer string ("3600"), days ("2d") or a Go duration ("1h30m", "90s",
 * "1.5h", "300ms"). Fractions of a second are truncated. Internal to the framework.
 *
 * @module
 */

const UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  "µs": 1e-6,
  "μs": 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Parses Go's time.ParseDuration syntax into seconds (fractional); undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest[0] === "-" ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest.length > 0) {
    const match = part.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * UNITS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}

/**
 * Parses a duration field value into whole seconds.
 *
 * @returns the seconds, or an error message.
 */
export function parseDurationSeconds(input: unknown): { seconds: number } | { error: string } {
  let seconds: number | undefined;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { error: "not a finite number" };
    seconds = input;
  } else if (typeof input === "string") {
    const text = input.trim();
    if (text === "") seconds = 0;
    else if (/^-?\d+$/.test(text)) seconds = Number(text);
    else if (/^-?\d+d$/.test(text)) seconds = Number(text.slice(0, -1)) * 86400;
    else seconds = parseGoDuration(text);
    if (seconds === undefined) {
      return {
        error: `cannot parse "${input}" as a duration (use e.g. "90s", "1h30m", "2d" or seconds)`,
      };
    }
  } else {
    return { error: `expected a duration, got ${describe(input)}` };
  }
  if (!Number.isSafeInteger(Math.trunc(seconds))) return { error: "duration is out of range" };
  return { seconds: Math.trunc(seconds) };
}

/** A short description of a JSON value's type for messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
