/**
 * The framework: declarative paths with typed fields, existence checks, help and OpenAPI, secret
 * types with renew/revoke, Vault's TTL rules and write-ahead logging with rollback. The
 * TypeScript counterpart of Vault's Go sdk/framework; engines reach it through src/sdk/mod.ts.
 *
 * @example
 * ```ts ignore
 * import { createBackend, definePath, GENERIC_NAME } from "../sdk/mod.ts";
 *
 * const pathHello = definePath({
 *   pattern: `hello/${GENERIC_NAME("name")}`,
 *   fields: { name: { type: "name", description: "Who to greet" } },
 *   operations: {
 *     read: { callback: async (_req, data) => ({ data: { text: `hi ${data.get("name")}` } }) },
 *   },
 *   helpSynopsis: "Greets",
 *   helpDescription: "Greets someone.",
 * });
 * export const factory: BackendFactory = async (config) =>
 *   createBackend({ help: "Greetings", paths: [pathHello] }, config);
 * ```
 *
 * @module
 */
export * from "./backend.ts";
export * from "./field_data.ts";
export * from "./field_types.ts";
export { backendHelpText, helpTypeName, pathHelpText } from "./help.ts";
export * from "./openapi.ts";
export * from "./path.ts";
export * from "./secret.ts";
export * from "./storage_json.ts";
export * from "./ttl.ts";
export * from "./wal.ts";
