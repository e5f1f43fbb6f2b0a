/**
 * Matches request paths to declared paths (Vault's framework.Backend route): patterns anchored
 * `^...$`, first match wins, named groups become fields and override body fields.
 *
 * @module
 */
import type { Operation } from "../logical.ts";
import { defaultValue } from "./field_data.ts";
import type { Fields, Path } from "./path.ts";

/** A path of any fields. */
// deno-lint-ignore no-explicit-any
export type AnyPath = Path<any>;

/** A declared path and what its pattern captured from the request path. */
export interface RouteMatch {
  /** The matching path. */
  path: AnyPath;
  /** Named groups by name; a group that did not take part is "" (as Go's regexp gives). */
  captures: Record<string, string>;
}

/** Request data merged with captures, and what the warnings must report. */
export interface MergedData {
  /** Body fields with the captures written over them. */
  raw: Record<string, unknown>;
  /** Body fields the path does not declare, sorted (empty when it takes arbitrary input). */
  ignored: string[];
  /** Body fields a capture replaced, sorted. */
  replaced: string[];
}

const NAMED_GROUP = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g;

/** Names of the named groups of a pattern, in order. */
export function groupNames(pattern: string): string[] {
  return [...pattern.matchAll(NAMED_GROUP)].map((m) => m[1]);
}

/** Compiles a pattern as the router matches it: Go's `(?P<` accepted, anchored `^...$`. */
export function compilePattern(pattern: string): RegExp {
  let source = pattern.replaceAll("(?P<", "(?<");
  if (!source.startsWith("^")) source = `^${source}`;
  if (!source.endsWith("$") || source.endsWith("\\$")) source = `${source}$`;
  return new RegExp(source);
}

/** Routes request paths to declared paths. */
export class Router {
  #routes: Array<{ path: AnyPath; regex: RegExp }>;

  /**
   * Compiles every pattern up front so a mistake fails when the backend is built, not on the
   * first request (Go's framework panics in init for the same mistakes).
   *
   * @throws {Error} for an empty or invalid pattern, a named group that is not a declared
   *   field, a default its field type cannot parse, or a `create` handler without an existence
   *   check (the host would never send it).
   */
  constructor(paths: readonly AnyPath[]) {
    this.#routes = paths.map((path) => {
      if (path.pattern === "") throw new Error("Routing pattern cannot be blank");
      const fields = path.fields as Fields;
      for (const name of groupNames(path.pattern)) {
        if (!Object.hasOwn(fields, name)) {
          throw new Error(`Pattern "${path.pattern}" captures "${name}", which is not a field`);
        }
      }
      for (const [name, field] of Object.entries(fields)) {
        try {
          defaultValue(field);
        } catch (error) {
          throw new Error(
            `Pattern "${path.pattern}", field "${name}": ${(error as Error).message}`,
          );
        }
      }
      if (path.operations.create && !path.existenceCheck) {
        throw new Error(`Pattern "${path.pattern}" defines create but no existenceCheck`);
      }
      return { path, regex: compilePattern(path.pattern) };
    });
  }

  /** The declared paths, in order. */
  get paths(): AnyPath[] {
    return this.#routes.map((r) => r.path);
  }

  /**
   * The first path matching `requestPath`. List and scan requests always end in "/"; when
   * nothing matches one, it is retried without that slash.
   */
  match(requestPath: string, operation?: Operation): RouteMatch | undefined {
    const found = this.#first(requestPath);
    if (found || !(operation === "list" || operation === "scan")) return found;
    return requestPath.endsWith("/") ? this.#first(requestPath.slice(0, -1)) : undefined;
  }

  #first(requestPath: string): RouteMatch | undefined {
    for (const { path, regex } of this.#routes) {
      const match = regex.exec(requestPath);
      if (!match) continue;
      const captures: Record<string, string> = {};
      for (const [name, value] of Object.entries(match.groups ?? {})) captures[name] = value ?? "";
      return { path, captures };
    }
    return undefined;
  }
}

/**
 * Merges a request's body with the path's captures, the captures winning (Go's HandleRequest),
 * and lists the body fields to warn about.
 */
export function mergeRequestData(
  path: AnyPath,
  data: Record<string, unknown>,
  captures: Record<string, string>,
): MergedData {
  const raw: Record<string, unknown> = { ...data };
  const ignored = path.takesArbitraryInput
    ? []
    : Object.keys(data).filter((key) => !Object.hasOwn(path.fields, key)).sort();
  const replaced = Object.keys(captures).filter((key) => data[key] != null).sort();
  Object.assign(raw, captures);
  return { raw, ignored, replaced };
}

/** Vault's warnings for ignored and replaced parameters ("[a b]" is Go's %v of a slice). */
export function mergeWarnings(merged: MergedData): string[] {
  const warnings: string[] = [];
  if (merged.ignored.length > 0) {
    warnings.push(`Endpoint ignored these unrecognized parameters: [${merged.ignored.join(" ")}]`);
  }
  if (merged.replaced.length > 0) {
    warnings.push(
      "Endpoint replaced the value of these parameters with the values captured from the " +
        `endpoint's path: [${merged.replaced.join(" ")}]`,
    );
  }
  return warnings;
}
