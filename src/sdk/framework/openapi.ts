/**
 * The OpenAPI 3.0.2 document of a backend, derived from its path declarations in the shape
 * Vault's framework produces and `sys/internal/specs/openapi` decodes (sdk/framework/openapi.go,
 * protocol.md §6.5): path keys like "/roles/{name}", operation ids "<prefix>-<verb>-<words>",
 * request bodies from the fields, sensitive fields marked.
 *
 * @module
 */
import type { Operation, SpecialPaths } from "../logical.ts";
import { expandPattern } from "./_pattern_paths.ts";
import type { FieldType } from "./field_types.ts";
import type { Fields, FieldSchema, OperationHandler, Path } from "./path.ts";

/** A JSON object of the document. */
type Json = Record<string, unknown>;

/** The OpenAPI schema of a field type, as Vault's convertType. */
export function openApiSchema(type: FieldType): Json {
  switch (type) {
    case "string":
      return { type: "string" };
    case "lowercase_string":
      return { type: "string", format: "lowercase" };
    case "name":
      return { type: "string", pattern: "\\w([\\w-.]*\\w)?" };
    case "int":
      return { type: "integer" };
    case "float":
      return { type: "number", format: "float" };
    case "bool":
      return { type: "boolean" };
    case "duration":
    case "signed_duration":
      return { type: "string", format: "duration" };
    case "comma_string_list":
    case "string_list":
      return { type: "array", items: { type: "string" } };
    case "kv_pairs":
      return { type: "object", format: "kvpairs" };
    case "map":
      return { type: "object", format: "map" };
    case "time":
      return { type: "string", format: "date-time" };
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${unreachable}`);
    }
  }
}

/** Trims and collapses whitespace, as Vault's cleanString. */
function clean(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

function fieldSchemaOf(field: FieldSchema, options: { forParameter?: boolean } = {}): Json {
  const schema: Json = { ...openApiSchema(field.type) };
  if (options.forParameter) delete schema.format;
  else if (field.description) schema.description = clean(field.description);
  if (field.allowedValues) schema.enum = [...field.allowedValues];
  if (field.default !== undefined) schema.default = field.default;
  if (field.deprecated) schema.deprecated = true;
  const display: Json = {};
  if (field.displayName) display.name = field.displayName;
  if (field.sensitive) {
    display.sensitive = true;
    schema["x-vault-displaySensitive"] = true;
    if (schema.type === "string" && !schema.format) schema.format = "password";
  }
  if (Object.keys(display).length > 0) schema["x-vault-displayAttrs"] = display;
  return schema;
}

/** Vault's constructOperationID: "<prefix>-<verb>-<suffix>", lower-case and hyphenated. */
function operationId(
  path: string,
  index: number,
  def: Path<Fields>,
  op: Operation,
  prefix: string,
) {
  const attrs = def.displayAttrs ?? {};
  const verb = attrs.operationVerb ?? "";
  let suffix = attrs.operationSuffix ?? "";
  let indexOutOfRange = false;
  const suffixes = suffix.split("|");
  if (suffixes.length > 1 || index > 0) {
    indexOutOfRange = index >= suffixes.length;
    suffix = indexOutOfRange ? "" : suffixes[index];
  }
  const parts = [
    attrs.operationPrefix || (verb ? "" : prefix),
    verb || (op === "update" ? "write" : op),
    suffix || (verb && !indexOutOfRange ? "" : path.split(/[^\w]+/).join("-")),
  ];
  return parts.flatMap((p) => p.split("-")).filter((p) => p !== "").join("-").toLowerCase();
}

/** Vault's specialPathMatch: exact, "prefix*", and "+" for one segment. */
function specialPathMatch(path: string, patterns: readonly string[]): boolean {
  const parts = path.split("/");
  return patterns.some((sp) => {
    if (sp === path) return true;
    if (sp.endsWith("*") && path.startsWith(sp.slice(0, -1))) return true;
    if (!sp.includes("+")) return false;
    const spParts = sp.split("/");
    if (parts.length < spParts.length) return false;
    for (let i = 0; i < spParts.length; i++) {
      const pattern = spParts[i];
      if (pattern === "*") return true;
      if (pattern.endsWith("*") && parts[i].startsWith(pattern.slice(0, -1))) return true;
      if (pattern !== "+" && pattern !== parts[i]) return false;
    }
    return parts.length === spParts.length;
  });
}

/** Options of openApiDocument. */
export interface OpenApiOptions {
  /** First part of operation ids: the mount type the host sends as `requestResponsePrefix`. */
  prefix: string;
  /** `info.version`: the host's version. */
  version: string;
  /** Marks `x-vault-sudo` and `x-vault-unauthenticated`. */
  specialPaths?: Partial<SpecialPaths>;
}

const DOCUMENTED: Array<[Operation, "get" | "post" | "delete"]> = [
  ["read", "get"],
  ["list", "get"],
  ["update", "post"],
  ["create", "post"],
  ["delete", "delete"],
];

function documentPath(def: Path<Fields>, doc: Json, options: OpenApiOptions): void {
  const expanded = expandPattern(def.pattern);
  const paths = doc.paths as Json;
  for (const [index, path] of (expanded ?? [def.pattern]).entries()) {
    const item: Json = { description: clean(def.helpSynopsis) };
    if (specialPathMatch(path, options.specialPaths?.root ?? [])) item["x-vault-sudo"] = true;
    if (specialPathMatch(path, options.specialPaths?.unauthenticated ?? [])) {
      item["x-vault-unauthenticated"] = true;
    }
    const ops = def.operations;
    if (def.existenceCheck && (ops.create || ops.update)) item["x-vault-createSupported"] = true;
    const display: Json = {};
    if (def.displayAttrs?.navigation) display.navigation = true;
    if (def.displayAttrs?.itemType) display.itemType = def.displayAttrs.itemType;
    if (Object.keys(display).length > 0) item["x-vault-displayAttrs"] = display;
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const parameters = params.filter((name) => def.fields[name]).sort().map((name) => ({
      name,
      description: clean(def.fields[name].description),
      in: "path",
      schema: fieldSchemaOf(def.fields[name], { forParameter: true }),
      required: true,
    }));
    if (parameters.length > 0) item.parameters = parameters;
    // A pattern that is not a plain path is listed but publishes no operations (as Vault).
    if (expanded) {
      for (const [op, verb] of DOCUMENTED) {
        const handler = ops[op];
        if (!handler || item[verb]) continue;
        item[verb] = operation(def, path, index, op, handler, params, options);
      }
    }
    paths[`/${path}`] = item;
  }
}

function operation(
  def: Path<Fields>,
  path: string,
  index: number,
  op: Operation,
  handler: OperationHandler<Fields>,
  params: string[],
  options: OpenApiOptions,
): Json {
  const id = operationId(path, index, def, op, options.prefix);
  const out: Json = { summary: clean(handler.summary ?? def.helpSynopsis), operationId: id };
  if (handler.description) out.description = clean(handler.description);
  out.tags = ["secrets"];
  if (op === "list") {
    out.parameters = [{
      name: "list",
      description: "Must be set to `true`",
      in: "query",
      schema: { type: "string", enum: ["true"] },
      required: true,
    }];
  } else if (op === "read" && def.operations.list) {
    out.parameters = [{
      name: "list",
      description: "Return a list if `true`",
      in: "query",
      schema: { type: "string" },
    }];
  }
  const body = Object.entries(def.fields).filter(([name]) => !params.includes(name));
  if ((op === "update" || op === "create") && body.length > 0) {
    const properties: Json = {};
    for (const [name, field] of body) properties[name] = fieldSchemaOf(field);
    const required = body.filter(([, f]) => f.required).map(([name]) => name).sort();
    // Inline, not a $ref to components as Vault's in-process engines do: the host decodes a
    // plugin's document with mapstructure, which has no tag for "$ref" and would drop it.
    out.requestBody = {
      required: true,
      content: {
        "application/json": {
          schema: { type: "object", properties, ...(required.length ? { required } : {}) },
        },
      },
    };
  }
  out.responses = op === "delete"
    ? { "204": { description: "empty body" } }
    : { "200": { description: "OK" } };
  if (handler.deprecated) out.deprecated = true;
  return out;
}

/**
 * The OpenAPI document of `paths` (all of them for root help, one for path help).
 *
 * @throws {Error} only on a programming error in a declaration; root help catches it.
 */
export function openApiDocument(paths: readonly Path<Fields>[], options: OpenApiOptions): Json {
  const doc: Json = {
    openapi: "3.0.2",
    info: {
      title: "HashiCorp Vault API",
      description: "HTTP API that gives you full access to Vault. All API routes are prefixed " +
        "with `/v1/`.",
      version: options.version,
      license: { name: "Mozilla Public License 2.0", url: "https://www.mozilla.org/en-US/MPL/2.0" },
    },
    paths: {},
    components: { schemas: {} },
  };
  for (const path of paths) documentPath(path, doc, options);
  return doc;
}
