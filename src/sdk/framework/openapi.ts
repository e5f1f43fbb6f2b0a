/**
 * Help text and the OpenAPI 3.0.2 document of a backend, derived from its path declarations, in
 * the shape Vault's sys/internal/specs/openapi aggregation decodes (protocol.md §6.5).
 *
 * @module
 */
import type { Operation } from "../logical.ts";
import { helpTypeName, openApiSchema } from "./field_types.ts";
import type { Fields, Path } from "./path.ts";

/**
 * Turns a path pattern into an OpenAPI path: named groups become `{name}`, a trailing optional
 * slash and anchors go away.
 */
export function openApiPathOf(pattern: string): { path: string; params: string[] } {
  let out = "";
  const params: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith("(?<", i)) {
      const end = pattern.indexOf(">", i);
      params.push(pattern.slice(i + 3, end));
      out += `{${pattern.slice(i + 3, end)}}`;
      let depth = 1;
      i = end;
      while (depth > 0 && ++i < pattern.length) {
        if (pattern[i] === "\\") i++;
        else if (pattern[i] === "(") depth++;
        else if (pattern[i] === ")") depth--;
      }
    } else if (pattern[i] === "\\") {
      out += pattern[++i];
    } else if (!"^$?".includes(pattern[i])) {
      out += pattern[i];
    }
  }
  return { path: "/" + out, params };
}

const VERBS: Array<[Operation, string]> = [["read", "get"], ["list", "get"], ["update", "post"], [
  "create",
  "post",
], [
  "delete",
  "delete",
]];

/** The OpenAPI path item of one path. */
function pathItem(path: Path<Fields>, mountType: string): Record<string, unknown> {
  const { path: key, params } = openApiPathOf(path.pattern);
  const slug = key.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-|-$/g, "");
  const item: Record<string, unknown> = {
    description: path.helpSynopsis,
    parameters: params.map((name) => ({
      name,
      description: path.fields[name]?.description ?? "",
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
  };
  if (path.existenceCheck) item["x-vault-createSupported"] = true;
  const bodyFields = Object.entries(path.fields).filter(([name]) => !params.includes(name));
  for (const [operation, verb] of VERBS) {
    const handler = path.operations[operation];
    if (!handler || item[verb]) continue;
    const op: Record<string, unknown> = {
      summary: handler.summary ?? path.helpSynopsis,
      operationId: `${mountType}-${operation}-${slug}`,
      tags: ["secrets"],
      responses: { "200": { description: "OK" } },
    };
    if (operation === "list") {
      op.parameters = [{
        name: "list",
        description: "Must be set to `true`",
        in: "query",
        required: true,
        schema: { type: "string", enum: ["true"] },
      }];
    }
    if (verb === "post" && bodyFields.length > 0) {
      const properties: Record<string, unknown> = {};
      for (const [name, field] of bodyFields) {
        const schema: Record<string, unknown> = {
          ...openApiSchema(field.type),
          description: field.description,
        };
        if (field.default !== undefined) schema.default = field.default;
        if (field.sensitive) schema["x-vault-displayAttrs"] = { sensitive: true };
        properties[name] = schema;
      }
      const required = bodyFields.filter(([, f]) => f.required).map(([n]) => n);
      op.requestBody = {
        required: true,
        content: {
          "application/json": {
            schema: { type: "object", properties, ...(required.length ? { required } : {}) },
          },
        },
      };
    }
    item[verb] = op;
  }
  return item;
}

/** The backend's OpenAPI document. */
export function openApiDocument(
  paths: readonly Path<Fields>[],
  options: { mountType: string; description: string },
) {
  const docPaths: Record<string, unknown> = {};
  for (const path of paths) {
    docPaths[openApiPathOf(path.pattern).path] = pathItem(path, options.mountType || "secrets");
  }
  return {
    openapi: "3.0.2",
    info: {
      title: "HashiCorp Vault API",
      description: options.description,
      version: "",
      license: { name: "Mozilla Public License 2.0", url: "https://www.mozilla.org/en-US/MPL/2.0" },
    },
    paths: docPaths,
    components: { schemas: {} },
  };
}

/** Help text of one path, as `vault path-help` prints it. */
export function pathHelpText(path: Path<Fields>): string {
  const lines = [
    `Request:        ${openApiPathOf(path.pattern).path.slice(1)}`,
    `Matching Route: ^${path.pattern}$`,
    "",
    path.helpSynopsis,
  ];
  const fields = Object.entries(path.fields).sort(([a], [b]) => a.localeCompare(b));
  if (fields.length > 0) {
    lines.push("", "## PARAMETERS", "");
    for (const [name, field] of fields) {
      lines.push(
        `${name} (${helpTypeName(field.type)}${field.sensitive ? ", write-only" : ""})`,
        "",
      );
      lines.push(
        `    ${field.description}${
          field.default !== undefined ? ` (default: ${JSON.stringify(field.default)})` : ""
        }`,
        "",
      );
    }
  }
  lines.push("## DESCRIPTION", "", path.helpDescription.trim());
  return lines.join("\n");
}

/** Help text of the whole backend (root help). */
export function backendHelpText(help: string, paths: readonly Path<Fields>[]): string {
  const lines = [
    help.trim(),
    "",
    "## PATHS",
    "",
    "The following paths are supported by this backend.",
    "",
  ];
  for (const path of paths) lines.push(`    ^${path.pattern}$`, `        ${path.helpSynopsis}`, "");
  return lines.join("\n");
}
