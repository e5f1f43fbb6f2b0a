/**
 * Secret types: leased secrets a backend hands out, with renew and revoke handlers. The kind is
 * kept in the lease's internal data under `secret_type`, as Go engines do, and renew/revoke
 * requests are dispatched on it.
 *
 * @module
 */
import type { Request, Response } from "../logical.ts";

/** A kind of leased secret. */
export interface SecretType {
  /** Name stored as `secret_type` in the lease's internal data. */
  type: string;
  /** Extends the lease (and whatever it guards); returns the response carrying the new lease. */
  renew(req: Request): Promise<Response | undefined>;
  /** Destroys what the lease guards; must succeed when it is already gone. */
  revoke(req: Request): Promise<Response | undefined>;
}

/** Key of the secret kind in internal data. */
export const SECRET_TYPE_KEY = "secret_type";

/**
 * A response carrying a new lease of `secret`'s kind.
 *
 * @param data What the client sees.
 * @param internalData What renew/revoke need later (never shown to the client; no secrets).
 */
export function secretResponse(
  secret: SecretType,
  data: Record<string, unknown>,
  internalData: Record<string, unknown>,
  lease: { ttlSeconds: number; maxTtlSeconds: number; renewable?: boolean },
): Response {
  return {
    data,
    secret: {
      leaseOptions: {
        ttlSeconds: lease.ttlSeconds,
        maxTtlSeconds: lease.maxTtlSeconds,
        renewable: lease.renewable ?? true,
        incrementSeconds: 0,
        issueTime: new Date(),
      },
      internalData: { ...internalData, [SECRET_TYPE_KEY]: secret.type },
      leaseId: "",
    },
  };
}
