/**
 * Declarative paths, as Vault's framework.Path: a pattern, typed fields, the operations it
 * supports, an optional existence check, and help. A field is said once; its parser, its 400
 * message, its help text and its OpenAPI entry all come from the one declaration.
 *
 * @module
 */
import type { Operation, Request, Response } from "../logical.ts";
import type { FieldType, FieldValue } from "./field_types.ts";

/** One field of a path. */
export interface FieldSchema {
  /** How the value parses. */
  type: FieldType;
  /** Operator documentation (help text and OpenAPI). */
  description: string;
  /** Value when the field is absent (else the type's zero value). */
  default?: unknown;
  /** Documented as required; the handler enforces it where it matters (as Vault does). */
  required?: boolean;
  /** Write-only secret: never echoed, marked sensitive in OpenAPI. */
  sensitive?: boolean;
  /** The only values allowed (checked after parsing). */
  allowedValues?: readonly unknown[];
  /** A further check after parsing: returns the reason it fails, or undefined. */
  validate?: (value: never) => string | undefined;
  /** Whether the field is a path parameter (a named group of the pattern). */
  inPath?: boolean;
}

/** Fields by name. */
export type Fields = Record<string, FieldSchema>;

/** Parsed, checked request data of a path. */
export interface FieldData<F extends Fields> {
  /** The field's parsed value, else its default, else its type's zero value. */
  get<K extends keyof F & string>(name: K): FieldValue<F[K]["type"]>;
  /** Whether the request carried the field. */
  has(name: keyof F & string): boolean;
  /** The raw request data (with path parameters merged in). */
  raw: Record<string, unknown>;
}

/** Handles one operation of a path. */
export interface OperationHandler<F extends Fields> {
  /** Serves the request; an absent response is 404 on read and 204 on write. */
  callback(req: Request, data: FieldData<F>): Promise<Response | undefined>;
  /** One line for OpenAPI. */
  summary?: string;
}

/** A path of a backend. */
export interface Path<F extends Fields = Fields> {
  /**
   * Regular expression source, anchored by the router (^...$). Named groups become fields that
   * override body fields of the same name. List patterns should accept the trailing "/" list
   * requests always carry (e.g. `roles/?$`).
   */
  pattern: string;
  /** Fields the path takes. */
  fields: F;
  /** Supported operations. */
  operations: Partial<Record<Operation, OperationHandler<F>>>;
  /** Whether the target exists: makes writes `create` or `update` (and enables the create ACL). */
  existenceCheck?(req: Request, data: FieldData<F>): Promise<boolean>;
  /** Accept body fields that are not declared (no warning). */
  takesArbitraryInput?: boolean;
  /** One line of help. */
  helpSynopsis: string;
  /** Longer help. */
  helpDescription: string;
  /** Display hints for the UI and OpenAPI operation ids. */
  displayAttrs?: { navigation?: boolean; itemType?: string; operationPrefix?: string };
}

/** Identity helper that keeps a path's field types for its handlers. */
export function definePath<F extends Fields>(path: Path<F>): Path<F> {
  return path;
}

/** Vault's GenericNameRegex: a name of letters, digits, '-', '_' and '.'. */
export function GENERIC_NAME(name: string): string {
  return `(?<${name}>\\w(([\\w\\-.]+)?\\w)?)`;
}

/** Vault's OptionalTrailingSlash. */
export const OPTIONAL_TRAILING_SLASH = "/?";
