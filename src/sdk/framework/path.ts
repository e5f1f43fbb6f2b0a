/**
 * Declarative paths, as Vault's framework.Path: a pattern, typed fields, the operations it
 * supports, an optional existence check, and help. A field is said once; its parser, its 400
 * message, its help text and its OpenAPI entry all come from the one declaration.
 *
 * @module
 */
import type { Operation, Request, Response } from "../logical.ts";
import type { FieldType, FieldValue } from "./field_types.ts";

/** One field of a path (or of a secret type). */
export interface FieldSchema {
  /** How the value parses (see `FIELD_TYPES`). */
  type: FieldType;
  /** Operator documentation, shown by path help and in OpenAPI. */
  description: string;
  /**
   * Value when the field is absent (else the type's zero value). It goes through the type's
   * parser, so a duration default may be written `"1h"`.
   */
  default?: unknown;
  /**
   * Documented as required (help and OpenAPI). Like Vault's framework, the router does not
   * enforce it: the handler decides, since "required on create, optional on update" is common.
   */
  required?: boolean;
  /**
   * Write-only secret: never echoed in errors (the 400 names the field, not the value), marked
   * "write-only" in help and sensitive in OpenAPI. Handlers must not return it either.
   */
  sensitive?: boolean;
  /** The only values allowed, compared after parsing; listed in OpenAPI as `enum`. */
  allowedValues?: readonly unknown[];
  /** Label for UIs (OpenAPI `x-vault-displayAttrs.name`). */
  displayName?: string;
  /** Documented as a path parameter; informational (the pattern's named groups decide). */
  inPath?: boolean;
  /** Marked deprecated in help and OpenAPI. */
  deprecated?: boolean;
  /**
   * A further check after parsing and `allowedValues`: returns why the value is refused (it
   * becomes `Invalid field "<name>": <reason>`, a 400), or undefined to accept it.
   */
  validate?: (value: never) => string | undefined;
}

/** Fields by name. */
export type Fields = Record<string, FieldSchema>;

/** The value a field's schema parses into: string, number, boolean, string[], record or Date. */
export type ValueOf<S extends FieldSchema> = FieldValue<S["type"]>;

/** Parsed, checked request data of a path, handed to its handlers. */
export interface FieldData<F extends Fields> {
  /**
   * The field's parsed value, else its default, else its type's zero value ("" , 0, false, [],
   * {}, or the epoch for `time`).
   *
   * @throws {Error} when `name` is not declared (a programming error, as Go's Get panics).
   */
  get<K extends keyof F & string>(name: K): ValueOf<F[K]>;
  /**
   * Whether the request carried the field. A JSON `null` for a `duration`, `signed_duration`,
   * `time`, `map` or `kv_pairs` field counts as absent (Go's GetOk); for other types it parses
   * as the zero value and counts as present.
   */
  has(name: keyof F & string): boolean;
  /** The request data as received, with the path's captured parameters merged over it. */
  raw: Record<string, unknown>;
}

/** Handles one operation of a path. */
export interface OperationHandler<F extends Fields> {
  /**
   * Serves the request with checked fields. An absent response is a 404 on read and list, and
   * a 204 on writes. Throw the typed errors of `src/sdk/errors.ts`, never wire errors.
   */
  callback(req: Request, data: FieldData<F>): Promise<Response | undefined>;
  /** One line for OpenAPI (defaults to the path's synopsis). */
  summary?: string;
  /** Longer text for OpenAPI. */
  description?: string;
  /** Marked deprecated in OpenAPI. */
  deprecated?: boolean;
}

/** Display hints of a path, as Vault's DisplayAttributes. */
export interface PathDisplayAttrs {
  /** Show the path in the UI's navigation. */
  navigation?: boolean;
  /** What the path manages, e.g. "Role". */
  itemType?: string;
  /** First part of OpenAPI operation ids (defaults to the mount type the host sends). */
  operationPrefix?: string;
  /** Middle part of OpenAPI operation ids (defaults to the operation: read, write, list...). */
  operationVerb?: string;
  /** Last part of OpenAPI operation ids (defaults to the path's words). */
  operationSuffix?: string;
}

/** A path of a backend. */
export interface Path<F extends Fields = Fields> {
  /**
   * Regular-expression source (JavaScript syntax; Go's `(?P<name>` is accepted too), anchored by
   * the router as `^...$`. Paths are tried in declaration order; the first match wins. Named
   * groups must be declared in `fields`: their captures override body fields of the same name
   * (with Vault's warning). List requests always end in "/": a list request whose path
   * matches no pattern is retried without the trailing slash, so `roles` and `roles/?` both
   * serve `LIST roles/`.
   */
  pattern: string;
  /** Fields the path takes. Body fields not declared here are ignored with a warning. */
  fields: F;
  /**
   * Supported operations. A `create` request falls back to `update` when the path declares no
   * `create` (Vault would answer 405), so one handler may serve both writes.
   */
  operations: Partial<Record<Operation, OperationHandler<F>>>;
  /**
   * Whether the target exists, so the host can tell `create` from `update` for ACLs. Without
   * it every write arrives as `update`. Fields are checked before it runs.
   */
  existenceCheck?(req: Request, data: FieldData<F>): Promise<boolean>;
  /** Accept body fields that are not declared, without the "ignored" warning. */
  takesArbitraryInput?: boolean;
  /** One line of help (root help lists it; OpenAPI uses it as the description). */
  helpSynopsis: string;
  /** Longer help, shown by `vault path-help`. */
  helpDescription: string;
  /** Display hints for the UI and OpenAPI operation ids. */
  displayAttrs?: PathDisplayAttrs;
}

/**
 * Identity helper that keeps a path's field types, so handlers get typed `data.get()`.
 *
 * @example
 * ```ts ignore
 * const pathRole = definePath({
 *   pattern: `roles/${GENERIC_NAME("name")}`,
 *   fields: { name: { type: "name", description: "Role name" }, ttl: { type: "duration", description: "TTL" } },
 *   operations: { read: { callback: async (_req, data) => ({ data: { ttl: data.get("ttl") } }) } },
 *   helpSynopsis: "Manage roles",
 *   helpDescription: "Creates, reads and deletes roles.",
 * });
 * ```
 */
export function definePath<F extends Fields>(path: Path<F>): Path<F> {
  return path;
}

/**
 * Vault's GenericNameRegex: a named group matching a name of letters, digits, '_', '-' and '.',
 * starting and ending with a letter, digit or '_'.
 */
export function GENERIC_NAME(name: string): string {
  return `(?<${name}>\\w(([\\w\\-.]+)?\\w)?)`;
}

/** Vault's MatchAllRegex: a named group matching the rest of the path, slashes included. */
export function MATCH_ALL(name: string): string {
  return `(?<${name}>.*)`;
}

/** Vault's OptionalTrailingSlash. */
export const OPTIONAL_TRAILING_SLASH = "/?";
