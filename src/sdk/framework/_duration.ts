/**
 * Duration parsing as Vault's framework does it (parseutil.ParseDurationSecond): whole seconds
 * from a number, an integer string ("3600"), days ("2d") or a Go duration ("1h30m", "90s",
 * "1.5h", "300ms"). Fractions of a second are truncated toward zero; nothing is trimmed.
 * Internal to the framework.
 *
 * @module
 */
import { type Parsed, shown } from "./_weak.ts";

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

/** The longest duration Go (and the wire's int64 nanoseconds) can hold, in whole seconds. */
export const MAX_DURATION_SECONDS = 9_223_372_036;

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
 * Parses a duration field value into whole seconds (negative allowed; the `duration` type
 * refuses those afterwards).
 *
 * @param echo Whether an error may quote the input (not for sensitive fields).
 */
export function parseDurationSeconds(input: unknown, echo = true): Parsed<number> {
  let seconds: number | undefined;
  if (typeof input === "number") {
    seconds = Number.isFinite(input) ? input : undefined;
  } else if (typeof input === "string") {
    if (input === "") seconds = 0;
    else if (/^[+-]?\d+$/.test(input)) seconds = Number(input);
    else if (/^[+-]?\d+d$/.test(input)) seconds = Number(input.slice(0, -1)) * 86400;
    else seconds = parseGoDuration(input);
  } else {
    return { error: `expected a duration, got ${shown(input, false)}` };
  }
  if (seconds === undefined) {
    return {
      error: `cannot parse ${
        shown(input, echo)
      } as a duration (use e.g. "90s", "1h30m", "2d" or seconds)`,
    };
  }
  const whole = Math.trunc(seconds);
  if (Math.abs(whole) > MAX_DURATION_SECONDS) {
    return { error: `duration is out of range (at most ${MAX_DURATION_SECONDS} seconds)` };
  }
  return { value: whole === 0 ? 0 : whole };
}
