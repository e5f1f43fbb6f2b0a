/**
 * The mock LiteLLM's /key/* routes, answering as BerriAI/litellm
 * litellm/proxy/management_endpoints/key_management_endpoints.py does: request fields, answer
 * fields, status codes and error bodies, including its quirks (an unknown key on /key/update is
 * a 404 saying "Team not found"; /key/info drops the hash from the row; /key/delete of nothing is
 * a 404 "No keys found" typed internal_server_error).
 *
 * @module
 */
import {
  detailMessage,
  errorResponse,
  hashIfNeeded,
  infoView,
  type KeyRow,
  masked,
  newKeyRow,
  newPlaintextKey,
  parseDuration,
  sha256Hex,
  validationError,
} from "./_mock_litellm_keys.ts";

/** What the key routes read and change. */
export interface KeyStore {
  /** Keys by token hash. */
  keys: Map<string, KeyRow>;
  /** LiteLLM Enterprise: regenerate and tags work. */
  premium: boolean;
}

const NOT_PREMIUM = "You must be a LiteLLM Enterprise user to use this feature. " +
  "If you have a license please set `LITELLM_LICENSE` in your env.";

/** Answers one /key/* request from an authenticated admin; undefined: no such route. */
export function keyRoute(
  store: KeyStore,
  req: Request,
  url: URL,
  body: Record<string, unknown>,
  caller: string,
): Promise<Response> | undefined {
  const path = url.pathname;
  if (req.method === "POST" && path === "/key/generate") return generate(store, body);
  if (req.method === "POST" && path === "/key/update") return update(store, body);
  if (req.method === "POST" && path === "/key/delete") return remove(store, body);
  if (req.method === "GET" && path === "/key/info") return info(store, url, caller);
  if (req.method === "GET" && path === "/key/list") return Promise.resolve(list(store, url));
  const regen = /^\/key\/(.+)\/regenerate$/.exec(path);
  if (req.method === "POST" && regen) return regenerate(store, decodeURIComponent(regen[1]));
  return undefined;
}

function aliasTaken(store: KeyStore, alias: unknown, except?: KeyRow): Response | undefined {
  if (typeof alias !== "string") return undefined;
  if (![...store.keys.values()].some((k) => k.key_alias === alias && k !== except)) return;
  return errorResponse(
    400,
    `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`,
    "bad_request_error",
    "key_alias",
  );
}

async function generate(store: KeyStore, body: Record<string, unknown>): Promise<Response> {
  if (body.models !== undefined && !Array.isArray(body.models)) {
    return validationError("models", "Input should be a valid list", "list_type");
  }
  if (body.duration !== undefined && body.duration !== null && !parseDuration(body.duration)) {
    return errorResponse(
      500,
      `Unsupported duration unit, passed duration: ${String(body.duration)}`,
      "internal_server_error",
    );
  }
  if (body.tags !== undefined && !store.premium) {
    return errorResponse(
      403,
      `Only premium users can add tags to keys. ${NOT_PREMIUM}`,
      "auth_error",
    );
  }
  const taken = aliasTaken(store, body.key_alias);
  if (taken) return taken;
  const plaintext = newPlaintextKey();
  const row = newKeyRow(await sha256Hex(plaintext), plaintext, body);
  store.keys.set(row.token, row);
  // GenerateKeyResponse: the plaintext once in `key`; `token` remapped to the hash.
  return Response.json({ ...row, key: plaintext, token_id: row.token });
}

async function update(store: KeyStore, body: Record<string, unknown>): Promise<Response> {
  if (typeof body.key !== "string") return validationError("key", "Field required", "missing");
  if (typeof body.max_budget === "number" && body.max_budget < 0) {
    return errorResponse(
      400,
      detailMessage(`max_budget cannot be negative. Received: ${body.max_budget}`),
      "auth_error",
    );
  }
  const row = store.keys.get(await hashIfNeeded(body.key));
  if (!row) {
    // LiteLLM's words for an unknown key on this route (update_key_fn).
    return errorResponse(404, detailMessage("Team not found, passed team_id=None"), "auth_error");
  }
  if (body.duration !== undefined && body.duration !== null && body.duration !== "-1") {
    const seconds = parseDuration(body.duration);
    if (seconds === undefined) {
      return errorResponse(
        400,
        `Authentication Error, Unsupported duration unit, passed duration: ${body.duration}`,
        "auth_error",
      );
    }
    row.expires = new Date(Date.now() + seconds * 1000).toISOString();
  } else if (body.duration === null || body.duration === "-1") row.expires = null;
  const taken = aliasTaken(store, body.key_alias, row);
  if (taken) return taken;
  const fields = ["models", "max_budget", "metadata", "tpm_limit", "rpm_limit", "key_alias"];
  for (const field of fields) {
    if (field in body) (row as unknown as Record<string, unknown>)[field] = body[field];
  }
  if (body.blocked !== undefined) row.blocked = Boolean(body.blocked);
  row.updated_at = new Date().toISOString();
  return Response.json({ key: body.key, ...infoView(row) });
}

async function remove(store: KeyStore, body: Record<string, unknown>): Promise<Response> {
  const keys = Array.isArray(body.keys) ? body.keys.map(String) : [];
  const aliases = Array.isArray(body.key_aliases) ? body.key_aliases.map(String) : [];
  if (keys.length === 0 && aliases.length === 0) {
    return errorResponse(500, "Invalid request type", "internal_server_error");
  }
  // With `keys` given LiteLLM ignores `key_aliases`.
  const hashes = keys.length > 0
    ? await Promise.all(keys.map(hashIfNeeded))
    : [...store.keys.values()].filter((r) => aliases.includes(r.key_alias ?? "")).map((r) =>
      r.token
    );
  const found = hashes.filter((h) => store.keys.has(h));
  if (found.length === 0) {
    return errorResponse(404, detailMessage("No keys found"), "internal_server_error");
  }
  for (const hash of found) store.keys.delete(hash);
  return Response.json({ deleted_keys: keys.length > 0 ? keys : aliases });
}

async function info(store: KeyStore, url: URL, caller: string): Promise<Response> {
  // Without ?key= LiteLLM answers about the caller's own key.
  const key = url.searchParams.get("key") || caller;
  const row = store.keys.get(await hashIfNeeded(key));
  if (!row) return errorResponse(404, "Key not found in database", "not_found_error", "key");
  return Response.json({ key, info: infoView(row) });
}

function list(store: KeyStore, url: URL): Response {
  const q = url.searchParams;
  const size = Number(q.get("size") ?? 10);
  const page = Number(q.get("page") ?? 1);
  if (!(size >= 1 && size <= 100)) {
    return validationError("size", "Input should be less than or equal to 100", "less_than_equal");
  }
  if (!(page >= 1)) return validationError("page", "Input should be >= 1", "greater_than_equal");
  const alias = q.get("key_alias");
  // key_alias is an exact filter; newer releases add substring_matching.
  const substring = q.get("substring_matching") === "true";
  const rows = [...store.keys.values()]
    .filter((r) =>
      !alias || (substring ? (r.key_alias ?? "").includes(alias) : r.key_alias === alias)
    )
    .filter((r) => !q.get("user_id") || r.user_id === q.get("user_id"))
    .filter((r) => !q.get("team_id") || r.team_id === q.get("team_id"))
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
  const slice = rows.slice((page - 1) * size, page * size);
  return Response.json({
    keys: q.get("return_full_object") === "true" ? slice : slice.map((r) => r.token),
    total_count: rows.length,
    current_page: page,
    total_pages: Math.ceil(rows.length / size),
  });
}

async function regenerate(store: KeyStore, key: string): Promise<Response> {
  if (!store.premium) {
    return errorResponse(
      500,
      `Regenerating Virtual Keys is an Enterprise feature, ${NOT_PREMIUM}`,
      "internal_server_error",
    );
  }
  const row = store.keys.get(await hashIfNeeded(key));
  if (!row) {
    return errorResponse(404, detailMessage(`Key ${key} not found.`), "internal_server_error");
  }
  const plaintext = newPlaintextKey();
  store.keys.delete(row.token);
  row.token = await sha256Hex(plaintext);
  row.key_name = masked(plaintext);
  row.updated_at = new Date().toISOString();
  store.keys.set(row.token, row);
  return Response.json({ ...infoView(row), key: plaintext, token_id: row.token });
}
