/**
 * Secret types: leased secrets a backend hands out, with renew and revoke handlers. The kind is
 * kept in the lease's internal data under `secret_type`, as Go engines do, and renew/revoke
 * requests are dispatched on it (sdk/framework/secret.go, backend.go handleRevokeRenew).
 *
 * @module
 */
import type { Request, Response } from "../logical.ts";
import type { FieldData, Fields } from "./path.ts";

/** A kind of leased secret. */
export interface SecretType<F extends Fields = Fields> {
  /** Name stored as `secret_type` in the lease's internal data; unique per backend. */
  type: string;
  /**
   * Fields of the data the secret was issued with: on renew and revoke the host sends back the
   * original response data, parsed against these (undeclared keys are kept in `data.raw`).
   */
  fields?: F;
  /**
   * Extends the lease (and whatever it guards). Return the request's secret with new lease
   * options (see `calculateTtl`), or nothing to refuse the renewal.
   */
  renew(req: Request, data: FieldData<F>): Promise<Response | undefined>;
  /**
   * Destroys what the lease guards. Must succeed when it is already gone: the host retries a
   * failed revocation and finally marks the lease irrevocable.
   */
  revoke(req: Request, data: FieldData<F>): Promise<Response | undefined>;
}

/** Key of the secret kind in internal data. */
export const SECRET_TYPE_KEY = "secret_type";

/** Lease parameters of a new secret, in whole seconds. */
export interface NewLease {
  /** TTL to ask for; 0 means the mount default (see `computeLeaseTtl`). */
  ttlSeconds: number;
  /** Cap on the lease's whole life; 0 means the mount's max. */
  maxTtlSeconds: number;
  /** Whether the host may renew it. @default true */
  renewable?: boolean;
}

/**
 * A response carrying a new lease of `secret`'s kind.
 *
 * @param secret The secret type; its `type` goes into the internal data as `secret_type`.
 * @param data What the client sees.
 * @param internalData What renew/revoke need later: never shown to the client, but stored by
 *   the host, so no secrets. Numbers come back as floats: keep large integers as strings.
 * @param lease TTLs and renewability.
 * @example
 * ```ts ignore
 * return secretResponse(secretKey, { key }, { key_alias: alias }, { ttlSeconds: 3600, maxTtlSeconds: 7200 });
 * ```
 */
export function secretResponse(
  // deno-lint-ignore no-explicit-any
  secret: SecretType<any>,
  data: Record<string, unknown>,
  internalData: Record<string, unknown>,
  lease: NewLease,
): Response {
  return {
    data,
    secret: {
      leaseOptions: {
        ttlSeconds: lease.ttlSeconds,
        maxTtlSeconds: lease.maxTtlSeconds,
        renewable: lease.renewable ?? true,
        incrementSeconds: 0,
        // The host records its own issue time; this one is informational.
        issueTime: new Date(),
      },
      internalData: { ...internalData, [SECRET_TYPE_KEY]: secret.type },
      leaseId: "",
    },
  };
}
