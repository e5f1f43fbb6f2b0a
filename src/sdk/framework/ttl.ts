/**
 * Lease TTL rules, identical to Vault's framework.CalculateTTL (sdk/framework/lease.go): the
 * mount's max caps everything, a backend max caps below it, a requested increment wins over the
 * backend TTL, which wins over the mount default, and the lease never outlives issue time + max.
 *
 * @module
 */

/** Inputs of calculateTtl, in whole seconds. */
export interface TtlInput {
  /** The client's requested TTL or renewal increment (0 = none). */
  incrementSeconds: number;
  /** The backend's TTL, e.g. the role's ttl (0 = none). */
  backendTtlSeconds: number;
  /** The backend's max TTL, e.g. the role's max_ttl (0 = none). */
  backendMaxTtlSeconds: number;
  /** The mount's default lease TTL. */
  mountDefaultSeconds: number;
  /** The mount's max lease TTL. */
  mountMaxSeconds: number;
  /** When the lease was issued (for renewals); defaults to now. */
  issueTime?: Date;
  /** Now. */
  now: Date;
}

/** The TTL to grant, the effective max, and warnings when something was capped. */
export interface TtlResult {
  /** TTL to grant, in seconds. */
  ttlSeconds: number;
  /** The effective max TTL, in seconds. */
  maxTtlSeconds: number;
  /** Warnings to return to the client. */
  warnings: string[];
}

/** Formats seconds like Go's time.Duration String() ("1h0m0s", "30m0s", "45s"). */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * Vault's CalculateTTL without periods (secrets engines have none).
 *
 * @throws {Error} "past the max TTL, cannot renew" when the lease already reached its max.
 */
export function calculateTtl(input: TtlInput): TtlResult {
  const warnings: string[] = [];
  let maxTtl = input.mountMaxSeconds;
  if (input.backendMaxTtlSeconds > 0 && input.backendMaxTtlSeconds < maxTtl) {
    maxTtl = input.backendMaxTtlSeconds;
  }
  if (maxTtl <= 0) throw new Error("the mount's max lease TTL is not positive");
  let ttl = input.incrementSeconds > 0
    ? input.incrementSeconds
    : input.backendTtlSeconds > 0
    ? input.backendTtlSeconds
    : input.mountDefaultSeconds;
  const issued = input.issueTime && input.issueTime.getTime() > 0 ? input.issueTime : input.now;
  const remaining = Math.floor((issued.getTime() + maxTtl * 1000 - input.now.getTime()) / 1000);
  if (remaining <= 0) throw new Error("past the max TTL, cannot renew");
  if (ttl > remaining) {
    warnings.push(
      `TTL of "${formatGoDuration(ttl)}" exceeded the effective max_ttl of "${
        formatGoDuration(remaining)
      }"; TTL value is capped accordingly`,
    );
    ttl = remaining;
  }
  return { ttlSeconds: ttl, maxTtlSeconds: maxTtl, warnings };
}
