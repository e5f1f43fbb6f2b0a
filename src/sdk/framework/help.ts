/**
 * Help: the text `vault path-help` prints, in the layout of Vault's framework templates, and
 * the `help` responses `{help, see_also, openapi}`. Root help also feeds the host's OpenAPI
 * aggregation (`sys/internal/specs/openapi`), where an error or a missing response breaks the
 * document for the whole server: it never throws.
 *
 * @module
 */
import type { Logger, Request, Response, SpecialPaths, SystemView } from "../logical.ts";
import type { FieldType } from "./field_types.ts";
import { openApiDocument } from "./openapi.ts";
import type { Fields, Path } from "./path.ts";

/** How help text names a field type (Go's FieldType.String()). */
export function helpTypeName(type: FieldType): string {
  switch (type) {
    case "string":
    case "int":
    case "bool":
    case "float":
    case "map":
    case "time":
      return type;
    case "lowercase_string":
      return "lowercase string";
    case "name":
      return "name string";
    case "duration":
    case "signed_duration":
      return "duration (sec)";
    case "comma_string_list":
    case "string_list":
      return "slice";
    case "kv_pairs":
      return "keypair";
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${unreachable}`);
    }
  }
}

function indent(spaces: number, text: string): string {
  const pad = " ".repeat(spaces);
  return text.split("\n").map((line) => pad + line).join("\n");
}

/** Help text of one path, as `vault path-help <mount>/<requestPath>` prints it. */
export function pathHelpText(path: Path<Fields>, requestPath: string): string {
  const lines = [
    `Request:        ${requestPath}`,
    `Matching Route: ^${path.pattern}$`,
    "",
    path.helpSynopsis.trim(),
    "",
  ];
  const names = Object.keys(path.fields).sort();
  if (names.length > 0) {
    lines.push("## PARAMETERS", "");
    for (const name of names) {
      const field = path.fields[name];
      const notes = [
        helpTypeName(field.type),
        ...(field.required ? ["required"] : []),
        ...(field.sensitive ? ["write-only"] : []),
      ];
      let text = field.description.trim() || "<no description>";
      if (field.default !== undefined) text += ` (default: ${JSON.stringify(field.default)})`;
      if (field.allowedValues) {
        text += ` (one of: ${field.allowedValues.map((v) => JSON.stringify(v)).join(", ")})`;
      }
      if (field.deprecated) text = `(DEPRECATED) ${text}`;
      lines.push(indent(4, `${name} (${notes.join(", ")})`), "", indent(8, text), "");
    }
  }
  lines.push("## DESCRIPTION", "", path.helpDescription.trim());
  return lines.join("\n");
}

/** Help text of the whole backend (root help), paths sorted as Vault's rootHelpTemplate. */
export function backendHelpText(help: string, paths: readonly Path<Fields>[]): string {
  const lines = [
    "## DESCRIPTION",
    "",
    help.trim(),
    "",
    "## PATHS",
    "",
    "The following paths are supported by this backend. To view help for",
    "any of the paths below, use the help command with any route matching",
    "the path pattern. Note that depending on the policy of your auth token,",
    "you may or may not be able to access certain paths.",
    "",
  ];
  const sorted = [...paths].sort((a, b) => (a.pattern < b.pattern ? -1 : 1));
  for (const path of sorted) {
    lines.push(indent(4, `^${path.pattern}$`), indent(8, path.helpSynopsis.trim()), "");
  }
  return lines.join("\n");
}

/** The help response of one path (its text and its OpenAPI document). */
export function pathHelpResponse(
  path: Path<Fields>,
  requestPath: string,
  options: { specialPaths?: Partial<SpecialPaths> } = {},
): Response {
  return {
    data: {
      help: pathHelpText(path, requestPath),
      see_also: null,
      openapi: openApiDocument([path], { prefix: "", version: "", ...options }),
    },
  };
}

/** How long root help waits for the host's version before answering without it. */
const VERSION_TIMEOUT_MS = 2000;

/** The host's version for `info.version`, or "unknown" (as Vault) when it cannot be had. */
async function hostVersion(options: RootHelpOptions): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error("timed out")),
      options.versionTimeoutMs ?? VERSION_TIMEOUT_MS,
    );
  });
  try {
    const env = await Promise.race([options.system.pluginEnv(), timeout]);
    return env.vaultVersion || "unknown";
  } catch (error) {
    options.logger.debug("cannot read the host version for OpenAPI", { error: String(error) });
    return "unknown";
  } finally {
    clearTimeout(timer);
  }
}

/** What root help needs besides the declarations. */
export interface RootHelpOptions {
  /** The help request; `data.requestResponsePrefix` prefixes OpenAPI operation ids. */
  request: Request;
  /** For the host's version (`info.version`). */
  system: SystemView;
  /** Where a failure to build the document is reported. */
  logger: Logger;
  /** Marks sudo and unauthenticated paths. */
  specialPaths?: Partial<SpecialPaths>;
  /** How long to wait for the host's version. @default 2000 */
  versionTimeoutMs?: number;
}

/**
 * The root help response: backend help and the OpenAPI document of every path. Never throws
 * and always answers: a failure leaves an empty document and a log line.
 */
export async function rootHelpResponse(
  help: string,
  paths: readonly Path<Fields>[],
  options: RootHelpOptions,
): Promise<Response> {
  const prefix = options.request.data["requestResponsePrefix"];
  const version = await hostVersion(options);
  let openapi: Record<string, unknown>;
  let text: string;
  try {
    text = backendHelpText(help, paths);
    openapi = openApiDocument(paths, {
      prefix: typeof prefix === "string" ? prefix : "",
      version,
      specialPaths: options.specialPaths,
    });
  } catch (error) {
    options.logger.warn("error generating OpenAPI", { error: String(error) });
    text = help.trim();
    openapi = openApiDocument([], { prefix: "", version });
  }
  return { data: { help: text, see_also: null, openapi } };
}
