/**
 * A mock LiteLLM proxy for unit tests, the demo and e2e. It copies the real key API's request and
 * response shapes, error envelope and status codes (BerriAI/litellm proxy/management_endpoints/
 * key_management_endpoints.py and proxy/auth; see docs/litellm.md), and enforces on
 * /chat/completions what LiteLLM enforces: the key exists and is not expired, the model is allowed,
 * the budget is not spent. Failure injection covers 5xx answers, slowness and a proxy that is down.
 *
 * Standalone: `deno run --allow-net tests/mock_litellm.ts --port 4000 --master-key sk-...`
 *
 * @module
 */
import { type KeyRow, keyRowView, newKeyRow, parseDuration } from "./_mock_litellm_keys.ts";

/** A fault to inject. */
export interface Fault {
  /** Path prefix it applies to (default: every path). */
  path?: string;
  /** Answer with this status instead of serving (e.g. 500). */
  status?: number;
  /** Delay before answering, in ms. */
  delayMs?: number;
  /** How many requests it applies to (default: until cleared). */
  count?: number;
}

/** A running mock. */
export interface MockLiteLLM {
  /** Base URL, e.g. "http://127.0.0.1:4123". */
  url: string;
  /** Keys by token hash (inspect in tests; plaintext keys are never stored, as in LiteLLM). */
  keys: Map<string, KeyRow>;
  /** Request log: method and path of every request. */
  requests: Array<{ method: string; path: string; body: unknown }>;
  /** Adds a fault. */
  inject(fault: Fault): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Stops listening (connections are refused) until up(). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): void;
  /** Makes /key/{key}/regenerate work, as on LiteLLM Enterprise. */
  premium: boolean;
  /** user_ids whose virtual keys act as proxy admins (default: "vault-admin"). */
  adminUsers: Set<string>;
  /** Mints a key through the mock's own /key/generate with the master key (tests plant keys so). */
  mint(body: Record<string, unknown>): Promise<{ key: string; token: string }>;
  /** Stops the mock. */
  close(): Promise<void>;
}

/** LiteLLM's error envelope. */
function error(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
): Response {
  return Response.json({ error: { message, type, param, code: String(status) } }, { status });
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function masked(key: string): string {
  return key.length > 8 ? `sk-...${key.slice(-4)}` : "sk-...";
}

/** Starts a mock on 127.0.0.1 (a free port unless one is given). */
export async function startMockLiteLLM(
  options: { masterKey: string; port?: number; costPerCall?: number },
): Promise<MockLiteLLM> {
  const keys = new Map<string, KeyRow>();
  const faults: Fault[] = [];
  const requests: MockLiteLLM["requests"] = [];
  const cost = options.costPerCall ?? 0.01;
  let server: Deno.HttpServer<Deno.NetAddr> | undefined;
  let port = options.port ?? 0;

  const findKey = async (keyOrHash: string) =>
    keys.get(keyOrHash) ?? keys.get(await sha256Hex(keyOrHash));
  const bearer = (req: Request) =>
    req.headers.get("x-litellm-api-key") ??
      req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  const authError = (presented: string) =>
    error(
      401,
      `Authentication Error, Invalid proxy server token passed. Received API Key = ${
        masked(presented)
      }, Key Hash (Token) =${
        presented ? "<hash>" : ""
      }. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
      "token_not_found_in_db",
      "key",
    );

  async function keyRoutes(
    req: Request,
    url: URL,
    body: Record<string, unknown>,
  ): Promise<Response> {
    const path = url.pathname;
    if (path === "/key/generate" && req.method === "POST") {
      const alias = body.key_alias as string | undefined;
      if (alias && [...keys.values()].some((k) => k.key_alias === alias)) {
        return error(
          400,
          `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`,
          "bad_request_error",
          "key_alias",
        );
      }
      if (
        body.duration !== undefined && body.duration !== null &&
        parseDuration(body.duration) === undefined
      ) {
        return error(
          500,
          `Unsupported duration unit: ${String(body.duration)}`,
          "internal_server_error",
        );
      }
      if (body.models !== undefined && !Array.isArray(body.models)) {
        return Response.json({
          detail: [{
            loc: ["body", "models"],
            msg: "Input should be a valid list",
            type: "list_type",
          }],
        }, { status: 422 });
      }
      const plaintext = `sk-${
        btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))).replace(
          /[+/=]/g,
          "",
        ).slice(0, 22)
      }`;
      const row = newKeyRow(await sha256Hex(plaintext), body);
      keys.set(row.token, row);
      return Response.json({
        ...keyRowView(row),
        key: plaintext,
        key_name: masked(plaintext),
        token_id: row.token,
      });
    }
    if (path === "/key/update" && req.method === "POST") {
      const row = typeof body.key === "string" ? await findKey(body.key) : undefined;
      if (!row) {
        return error(
          404,
          `Key not found: ${masked(String(body.key ?? ""))}`,
          "not_found_error",
          "key",
        );
      }
      if (body.duration !== undefined) {
        const seconds = parseDuration(body.duration);
        if (seconds === undefined) {
          return error(
            500,
            `Unsupported duration unit: ${String(body.duration)}`,
            "internal_server_error",
          );
        }
        row.expires = new Date(Date.now() + seconds * 1000).toISOString();
      }
      for (
        const field of [
          "models",
          "max_budget",
          "metadata",
          "tpm_limit",
          "rpm_limit",
          "key_alias",
        ] as const
      ) {
        if (field in body) (row as unknown as Record<string, unknown>)[field] = body[field];
      }
      row.updated_at = new Date().toISOString();
      return Response.json(keyRowView(row));
    }
    if (path === "/key/delete" && req.method === "POST") {
      const wanted = new Set<KeyRow>();
      for (const k of (body.keys as string[] | undefined) ?? []) {
        const row = await findKey(k);
        if (row) wanted.add(row);
      }
      for (const alias of (body.key_aliases as string[] | undefined) ?? []) {
        for (const row of keys.values()) if (row.key_alias === alias) wanted.add(row);
      }
      if (wanted.size === 0) {
        return error(
          404,
          "Failed to delete all keys. Keys passed in were not found in the database",
          "not_found_error",
          "keys",
        );
      }
      for (const row of wanted) keys.delete(row.token);
      return Response.json({ deleted_keys: [...wanted].map((r) => r.token) });
    }
    if (path === "/key/info" && req.method === "GET") {
      const row = await findKey(url.searchParams.get("key") ?? "");
      if (!row) return error(404, "Key not found in database", "not_found_error", "key");
      return Response.json({ key: row.token, info: keyRowView(row) });
    }
    if (path === "/key/list" && req.method === "GET") {
      const alias = url.searchParams.get("key_alias");
      const substring = url.searchParams.get("substring_matching") === "true";
      const size = Math.min(Number(url.searchParams.get("size") ?? 10), 100);
      const page = Math.max(Number(url.searchParams.get("page") ?? 1), 1);
      const all = [...keys.values()].filter((r) =>
        !alias || (substring ? (r.key_alias ?? "").includes(alias) : r.key_alias === alias)
      );
      const slice = all.slice((page - 1) * size, page * size);
      const full = url.searchParams.get("return_full_object") === "true";
      return Response.json({
        keys: full ? slice.map(keyRowView) : slice.map((r) => r.token),
        total_count: all.length,
        current_page: page,
        total_pages: Math.max(1, Math.ceil(all.length / size)),
      });
    }
    const regenerate = /^\/key\/([^/]+)\/regenerate$/.exec(path);
    if (regenerate && req.method === "POST") {
      if (!mock.premium) {
        return error(
          500,
          "Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature.",
          "internal_server_error",
        );
      }
      const row = await findKey(decodeURIComponent(regenerate[1]));
      if (!row) return error(404, "Key not found in database", "not_found_error", "key");
      keys.delete(row.token);
      const plaintext = `sk-${crypto.randomUUID().replaceAll("-", "").slice(0, 22)}`;
      row.token = await sha256Hex(plaintext);
      keys.set(row.token, row);
      return Response.json({ ...keyRowView(row), key: plaintext, token_id: row.token });
    }
    return error(404, `Not Found: ${path}`, "not_found_error");
  }

  async function chat(req: Request, body: Record<string, unknown>): Promise<Response> {
    const presented = bearer(req);
    const row = presented ? await findKey(presented) : undefined;
    if (!row) return authError(presented);
    if (row.expires && Date.parse(row.expires) < Date.now()) {
      return error(
        400,
        `Authentication Error - Expired Key. Key Expiry time ${row.expires} and current time ${
          new Date().toISOString()
        }`,
        "expired_key",
        "key",
      );
    }
    const model = String(body.model ?? "");
    if (row.models.length > 0 && !row.models.includes(model)) {
      return error(
        401,
        `key not allowed to access model. This key can only access models=${
          JSON.stringify(row.models)
        }. Tried to access ${model}`,
        "key_model_access_denied",
        "model",
      );
    }
    if (row.max_budget !== null && row.spend >= row.max_budget) {
      return error(
        400,
        `Budget has been exceeded! Current cost: ${row.spend}, Max budget: ${row.max_budget}`,
        "budget_exceeded",
      );
    }
    row.spend += cost;
    return Response.json({
      id: `chatcmpl-${crypto.randomUUID()}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{
        index: 0,
        finish_reason: "stop",
        message: { role: "assistant", content: "Hello from the mock LiteLLM." },
      }],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const body = req.method === "POST"
      ? await req.json().catch(() => ({})) as Record<string, unknown>
      : {};
    requests.push({ method: req.method, path: url.pathname, body });
    const fault = faults.find((f) => !f.path || url.pathname.startsWith(f.path));
    if (fault) {
      if (fault.count !== undefined && --fault.count <= 0) faults.splice(faults.indexOf(fault), 1);
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status) return error(fault.status, "injected fault", "internal_server_error");
    }
    if (url.pathname.startsWith("/health/liveliness")) return Response.json("I'm alive!");
    if (url.pathname === "/chat/completions" || url.pathname === "/v1/chat/completions") {
      return chat(req, body);
    }
    const presented = bearer(req);
    if (presented !== options.masterKey) {
      // A virtual key of a proxy admin passes the admin gate too, as in LiteLLM.
      const row = presented ? await findKey(presented) : undefined;
      if (!row || !row.user_id || !mock.adminUsers.has(row.user_id)) return authError(presented);
    }
    return keyRoutes(req, url, body);
  }

  const listen = () => {
    server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, handle);
    port = server.addr.port;
  };
  listen();
  const mock: MockLiteLLM = {
    url: `http://127.0.0.1:${port}`,
    keys,
    requests,
    premium: false,
    adminUsers: new Set(["vault-admin"]),
    inject: (fault) => faults.push({ ...fault }),
    clearFaults: () => void faults.splice(0),
    async down() {
      await server?.shutdown();
      server = undefined;
    },
    up: () => {
      if (!server) listen();
    },
    async mint(body) {
      const response = await fetch(`${mock.url}/key/generate`, {
        method: "POST",
        headers: { authorization: `Bearer ${options.masterKey}` },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`mint failed: ${response.status} ${await response.text()}`);
      return await response.json();
    },
    async close() {
      await server?.shutdown();
      server = undefined;
    },
  };
  return mock;
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Deno.args[i + 1] : undefined;
  };
  const masterKey = arg("--master-key") ?? Deno.env.get("LITELLM_MASTER_KEY");
  if (!masterKey) {
    console.error("usage: mock_litellm.ts --port 4000 --master-key sk-...");
    Deno.exit(1);
  }
  const mock = await startMockLiteLLM({ masterKey, port: Number(arg("--port") ?? 4000) });
  console.log(`mock LiteLLM listening at ${mock.url}`);
}
