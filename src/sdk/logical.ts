/**
 * The logical model shared by every layer above the wire: what a backend receives and returns,
 * and the host services (storage, system view) it may call. Nothing here knows about protobuf or
 * gRPC; `src/sdk/pb` translates to and from the wire, `src/sdk/framework` builds backends on top.
 *
 * Durations are whole **seconds** (the wire uses nanoseconds; the mapping converts). Times are
 * `Date`s.
 *
 * @module
 */

/** Every operation a host may send. `scan` is OpenBao only, `recover` Vault Enterprise only. */
export const OPERATIONS = [
  "read",
  "create",
  "update",
  "patch",
  "delete",
  "list",
  "help",
  "header",
  "renew",
  "revoke",
  "rollback",
  "scan",
  "recover",
  "alias-lookahead",
  "resolve-role",
  "resolve-path",
] as const;

/** An operation name as it travels in `Request.operation`. */
export type Operation = typeof OPERATIONS[number];

/** Lease parameters of a secret, as returned by a backend and sent back on renew/revoke. */
export interface LeaseOptions {
  /** Desired lease TTL in seconds; 0 means the mount default. */
  ttlSeconds: number;
  /** Backend cap on the lease's total life in seconds; 0 means none. */
  maxTtlSeconds: number;
  /** Whether the host may renew the lease. */
  renewable: boolean;
  /** Renewal increment the client asked for, in seconds (renew requests only; 0 when none). */
  incrementSeconds: number;
  /** When the lease was issued (the host's record on renew/revoke; informational on responses). */
  issueTime: Date;
}

/** A leased secret: lease options plus data only the backend sees again (never the client). */
export interface Secret {
  /** Lease parameters. */
  leaseOptions: LeaseOptions;
  /**
   * Data kept with the lease and sent back verbatim on renew/revoke. The host re-encodes it, so
   * numbers come back as floats: keep large integers as strings.
   */
  internalData: Record<string, unknown>;
  /** Lease id; set by the host on renew/revoke, ignored on responses. */
  leaseId: string;
}

/** Information about the caller's identity entity, from the system view. */
export interface Entity {
  /** Entity id. */
  id: string;
  /** Entity name. */
  name: string;
  /** Aliases of the entity in auth mounts. */
  aliases: EntityAlias[];
  /** Entity metadata. */
  metadata: Record<string, string>;
  /** Whether the entity is disabled. */
  disabled: boolean;
  /** Namespace of the entity ("root" outside Enterprise). */
  namespaceId: string;
}

/** One alias of an entity (a login identity in an auth mount). */
export interface EntityAlias {
  /** Type of the auth mount, e.g. "userpass". */
  mountType: string;
  /** Accessor of the auth mount. */
  mountAccessor: string;
  /** Alias name, e.g. the userpass user name. */
  name: string;
  /** Alias metadata. */
  metadata: Record<string, string>;
  /** Alias id. */
  id: string;
}

/** An identity group, from the system view. */
export interface Group {
  /** Group id. */
  id: string;
  /** Group name. */
  name: string;
  /** Group metadata. */
  metadata: Record<string, string>;
  /** Namespace of the group. */
  namespaceId: string;
}

/** A request routed to a backend, already decoded from the wire. */
export interface Request {
  /** Request id (a UUID chosen by the host). */
  id: string;
  /** Operation, after the host's existence check resolved create vs update. */
  operation: Operation;
  /** Path relative to the mount, without a leading slash; "" for the mount root. */
  path: string;
  /** Decoded JSON request data; `{}` when the host sent `null`. */
  data: Record<string, unknown>;
  /** The lease's secret on renew and revoke. */
  secret?: Secret;
  /** Mount point with its trailing slash, e.g. "litellm/". */
  mountPoint: string;
  /** Mount type (the plugin's catalog name). */
  mountType: string;
  /** Mount accessor; may be empty. */
  mountAccessor: string;
  /** The caller's token, salted and hashed by the host: a stable opaque id, not a token. */
  clientToken: string;
  /** The caller token's accessor. */
  clientTokenAccessor: string;
  /** The caller's display name. */
  displayName: string;
  /** The caller's entity id; empty for tokens without an entity (e.g. root). */
  entityId: string;
  /** Headers the mount is configured to pass through, lower-cased names. */
  headers: Record<string, string[]>;
  /** The caller's remote address, when the host knows it. */
  remoteAddr: string;
  /** Storage view of the mount for this request. */
  storage: Storage;
}

/** What a backend answers. An absent response means 404 on reads and 204 on writes. */
export interface Response {
  /** Data returned to the client (must serialise as a JSON object). */
  data?: Record<string, unknown>;
  /** A leased secret; the host registers the lease. */
  secret?: Secret;
  /** Warnings shown to the client. */
  warnings?: string[];
  /** Extra response headers. */
  headers?: Record<string, string[]>;
}

/** A stored entry. */
export interface StorageEntry {
  /** Key relative to the mount's storage view. */
  key: string;
  /** Raw value; the framework stores JSON. */
  value: Uint8Array;
  /** Ask the host to seal-wrap this entry (Vault Enterprise; ignored elsewhere). */
  sealWrap?: boolean;
}

/** The mount's storage, served by the host. Errors are `StorageError`s with the host's text. */
export interface Storage {
  /** Keys directly below `prefix`, relative to it; sub-folders end with "/". */
  list(prefix: string): Promise<string[]>;
  /** The entry at `key`, or `undefined` when there is none. */
  get(key: string): Promise<StorageEntry | undefined>;
  /** Writes an entry. */
  put(entry: StorageEntry): Promise<void>;
  /** Deletes `key`; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Server version information a host reports to plugins. */
export interface PluginEnvironment {
  /** Host version, e.g. "1.21.4" or "2.7.2". */
  vaultVersion: string;
  /** Pre-release part of the version. */
  vaultVersionPrerelease: string;
  /** Build metadata of the version. */
  vaultVersionMetadata: string;
}

/** Host facts and services a backend may call (a subset common to Vault and OpenBao). */
export interface SystemView {
  /** The mount's default lease TTL in seconds. */
  defaultLeaseTtlSeconds(): Promise<number>;
  /** The mount's maximum lease TTL in seconds. */
  maxLeaseTtlSeconds(): Promise<number>;
  /** Whether the mount is being unmounted. */
  tainted(): Promise<boolean>;
  /** Replication state bit set (0 outside Enterprise). */
  replicationState(): Promise<number>;
  /** Whether the mount is local (not replicated). */
  localMount(): Promise<boolean>;
  /** The identity entity with this id, or `undefined` when there is none. */
  entityInfo(entityId: string): Promise<Entity | undefined>;
  /** The groups the entity belongs to. */
  groupsForEntity(entityId: string): Promise<Group[]>;
  /** The host's version. */
  pluginEnv(): Promise<PluginEnvironment>;
}

/** Paths with special handling by the host. */
export interface SpecialPaths {
  /** Paths that need sudo (root) capability. */
  root: string[];
  /** Paths reachable without a token. */
  unauthenticated: string[];
  /** Paths stored only on the local cluster. */
  localStorage: string[];
  /** Storage prefixes the host should seal-wrap (Vault Enterprise). */
  sealWrapStorage: string[];
}

/** Structured logger; implementations must never receive secrets. */
export interface Logger {
  /** Logs at trace level. */
  trace(message: string, fields?: Record<string, unknown>): void;
  /** Logs at debug level. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Logs at info level. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Logs at warn level. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Logs at error level. */
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines carry `fields` too. */
  with(fields: Record<string, unknown>): Logger;
}

/** What a host gives a backend when it sets one up. */
export interface BackendConfig {
  /** The mount's storage (read-only during setup on some hosts: write in `initialize`). */
  storage: Storage;
  /** Host facts and services. */
  system: SystemView;
  /** Logger for this backend instance. */
  logger: Logger;
  /** Mount configuration from the host (e.g. plugin_name, plugin_version). */
  config: Record<string, string>;
  /** A UUID for this backend instance. */
  backendUuid: string;
}

/** Result of an existence check, which decides between `create` and `update`. */
export interface ExistenceCheckResult {
  /** Whether the path has an existence check at all. */
  checkFound: boolean;
  /** Whether the item exists (only meaningful when `checkFound`). */
  exists: boolean;
}

/** A running backend instance: one per mount. */
export interface Backend {
  /** Handles a routed request. */
  handleRequest(request: Request): Promise<Response | undefined>;
  /** Answers whether the target of a create/update request exists. */
  handleExistenceCheck(request: Request): Promise<ExistenceCheckResult>;
  /** Paths with special handling. */
  specialPaths(): SpecialPaths;
  /** Called once after setup, when storage is writable. */
  initialize(storage: Storage): Promise<void>;
  /** Called when the mount is disabled or the plugin is reloaded. */
  cleanup(): Promise<void>;
  /** Called when a storage key changed underneath this node. */
  invalidateKey(key: string): Promise<void>;
}

/** Builds a backend for one mount. */
export type BackendFactory = (config: BackendConfig) => Promise<Backend>;
