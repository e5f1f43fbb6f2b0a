/**
 * Lease TTL rules, identical to Vault's framework.CalculateTTL (sdk/framework/lease.go): the
 * mount's max caps everything, a backend max caps below it, a requested increment wins over the
 * backend TTL, which wins over the mount default, and the lease never outlives issue time + max.
 * All values are whole seconds, and times are truncated to the second as Vault does.
 *
 * @module
 */

/** Inputs of calculateTtl, in whole seconds (0 = not set). */
export interface TtlInput {
  /** The client's requested TTL or renewal increment. */
  incrementSeconds: number;
  /** The backend's TTL, e.g. the role's ttl. */
  backendTtlSeconds: number;
  /** The backend's max TTL, e.g. the role's max_ttl. */
  backendMaxTtlSeconds: number;
  /** The mount's default lease TTL (SystemView.defaultLeaseTtlSeconds). */
  mountDefaultSeconds: number;
  /** The mount's max lease TTL (SystemView.maxLeaseTtlSeconds). */
  mountMaxSeconds: number;
  /** A period (periodic tokens; secrets engines leave it 0): the TTL on every renewal. */
  periodSeconds?: number;
  /** An explicit max TTL, capping like the backend max (and bounding periods). */
  explicitMaxTtlSeconds?: number;
  /** When the lease was issued (renewals); absent or the zero time means now. */
  issueTime?: Date;
  /** Now (inject the clock). */
  now: Date;
}

/** The TTL to grant, the effective max, and warnings when something was capped. */
export interface TtlResult {
  /** TTL to grant, in seconds. */
  ttlSeconds: number;
  /** The effective max TTL (mount max capped by the backend and explicit maxes), in seconds. */
  maxTtlSeconds: number;
  /** Warnings to return to the client, in Vault's words. */
  warnings: string[];
}

/** Formats whole seconds as Go's time.Duration String() does ("1h0m0s", "30m0s", "45s"). */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  const sign = seconds < 0 ? "-" : "";
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

/** Vault's humanDuration: Go's duration text without zero parts ("1h", "1h30m", "2m5s"). */
export function humanDuration(seconds: number): string {
  let text = formatGoDuration(seconds);
  if (text.endsWith("m0s")) text = text.slice(0, -2);
  const zeroMinutes = text.indexOf("h0m");
  if (zeroMinutes > 0) text = text.slice(0, zeroMinutes + 1) + text.slice(zeroMinutes + 3);
  return text;
}

function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Vault's CalculateTTL.
 *
 * @throws {Error} "max TTL must be greater than zero" when every max is 0, and "past the max
 *   TTL, cannot renew" when the lease already reached its max (renewals).
 * @example
 * ```ts ignore
 * const { ttlSeconds, warnings } = calculateTtl({
 *   incrementSeconds: secret.leaseOptions.incrementSeconds, backendTtlSeconds: role.ttl,
 *   backendMaxTtlSeconds: role.max_ttl, mountDefaultSeconds, mountMaxSeconds,
 *   issueTime: secret.leaseOptions.issueTime, now: clock(),
 * });
 * ```
 */
export function calculateTtl(input: TtlInput): TtlResult {
  const warnings: string[] = [];
  const explicitMax = input.explicitMaxTtlSeconds ?? 0;
  let maxTtl = input.mountMaxSeconds;
  if (input.backendMaxTtlSeconds > 0 && input.backendMaxTtlSeconds < maxTtl) {
    maxTtl = input.backendMaxTtlSeconds;
  }
  if (explicitMax > 0 && explicitMax < maxTtl) maxTtl = explicitMax;
  if (maxTtl <= 0) throw new Error("max TTL must be greater than zero");

  const now = wholeSeconds(input.now);
  // Go's zero time.Time (year 1) arrives as a date before the epoch: it means "now".
  const start = input.issueTime && input.issueTime.getTime() > 0
    ? wholeSeconds(input.issueTime)
    : now;
  let ttl: number;
  let maxValidTime: number | undefined;
  const period = input.periodSeconds ?? 0;
  if (period > 0) {
    ttl = period;
    if (period > maxTtl) {
      warnings.push(
        `period of "${humanDuration(period)}" exceeded the effective max_ttl of "${
          humanDuration(maxTtl)
        }"; period value is capped accordingly`,
      );
      ttl = maxTtl;
    }
    if (explicitMax > 0) maxValidTime = start + explicitMax;
  } else {
    ttl = input.incrementSeconds > 0
      ? input.incrementSeconds
      : input.backendTtlSeconds > 0
      ? input.backendTtlSeconds
      : input.mountDefaultSeconds;
    maxValidTime = start + maxTtl;
  }

  if (maxValidTime !== undefined) {
    const remaining = maxValidTime - now;
    if (remaining <= 0) throw new Error("past the max TTL, cannot renew");
    if (ttl > remaining) {
      warnings.push(
        `TTL of "${humanDuration(ttl)}" exceeded the effective max_ttl of "${
          humanDuration(remaining)
        }"; TTL value is capped accordingly`,
      );
      ttl = remaining;
    }
  }
  return { ttlSeconds: ttl, maxTtlSeconds: maxTtl, warnings };
}

/** Inputs of computeLeaseTtl, in whole seconds (0 = not set). */
export interface LeaseTtlInput {
  /** The TTL the client asked for (e.g. a `ttl` field on creds). */
  requestedSeconds: number;
  /** The role's ttl. */
  roleTtlSeconds: number;
  /** The role's max_ttl. */
  roleMaxTtlSeconds: number;
  /** The mount's default lease TTL. */
  mountDefaultSeconds: number;
  /** The mount's max lease TTL. */
  mountMaxSeconds: number;
}

/**
 * The TTL of a lease issued now: `calculateTtl` with the issue time at now, which the result
 * does not depend on (no clock needed). Requested over role ttl over mount default, capped by
 * the role max, itself capped by the mount max.
 *
 * @throws {Error} "max TTL must be greater than zero" when the mount max is 0.
 */
export function computeLeaseTtl(input: LeaseTtlInput): TtlResult {
  return calculateTtl({
    incrementSeconds: input.requestedSeconds,
    backendTtlSeconds: input.roleTtlSeconds,
    backendMaxTtlSeconds: input.roleMaxTtlSeconds,
    mountDefaultSeconds: input.mountDefaultSeconds,
    mountMaxSeconds: input.mountMaxSeconds,
    now: new Date(0),
  });
}
