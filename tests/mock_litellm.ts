/**
 * A mock LiteLLM proxy for unit tests, the demo and e2e. It copies the real key API's request and
 * response fields, error bodies and status codes (BerriAI/litellm
 * litellm/proxy/management_endpoints/key_management_endpoints.py, litellm/proxy/auth/; see
 * docs/litellm.md), and enforces on /chat/completions what LiteLLM enforces before calling a
 * model: the key exists, is not blocked or expired, may use the model, has budget left.
 * Failures can be injected per path: error answers, slowness, answers lost after the request took
 * effect, dropped connections, and a proxy that is down (connection refused).
 *
 * Standalone (for the demo): `deno run --allow-net tests/mock_litellm.ts --port 4000
 * --master-key sk-...` prints its URL. `--premium` acts as LiteLLM Enterprise.
 *
 * @module
 */
import { chatCompletion, unknownKeyError } from "./_mock_litellm_chat.ts";
import { keyRoute } from "./_mock_litellm_key_routes.ts";
import { errorResponse, hashIfNeeded, type KeyRow } from "./_mock_litellm_keys.ts";

export type { KeyRow } from "./_mock_litellm_keys.ts";

/** A fault to inject. */
export interface Fault {
  /** Path prefix it applies to (default: every path), e.g. "/key/generate". */
  path?: string;
  /** Answer with this status (LiteLLM's envelope, "injected fault") instead of the real one. */
  status?: number;
  /** Delay before handling the request, in ms (a slow proxy). */
  delayMs?: number;
  /** Cut the connection instead of answering (the client sees a network error). */
  drop?: boolean;
  /** Handle the request first, so it takes effect, then fail the answer (lost answer). */
  after?: boolean;
  /** How many requests it applies to (default: until cleared). */
  count?: number;
}

/** Options of a mock. */
export interface MockOptions {
  /** The master key (LiteLLM requires it to start with "sk-"). */
  masterKey: string;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Spend added to a key per successful chat call, USD (default 0.01). */
  costPerCall?: number;
  /**
   * Echo a wrong non-`sk-` credential verbatim in the 401, as LiteLLM releases before the
   * masking fix did ("LiteLLM Virtual Key expected. Received=<key>"). Default false.
   */
  legacyEcho?: boolean;
}

/** A running mock. */
export interface MockLiteLLM {
  /** Base URL, e.g. "http://127.0.0.1:4123". */
  url: string;
  /** Keys by token hash (inspect in tests; plaintext keys are never stored, as in LiteLLM). */
  keys: Map<string, KeyRow>;
  /** Every request: method, path and JSON body. */
  requests: Array<{ method: string; path: string; body: unknown }>;
  /** Makes /key/{key}/regenerate and key tags work, as on LiteLLM Enterprise. */
  premium: boolean;
  /** user_ids whose virtual keys act as proxy admins (default: "vault-admin"). */
  adminUsers: Set<string>;
  /** Adds a fault. */
  inject(fault: Fault): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Stops listening (connections are refused) until up(). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): void;
  /** Mints a key through the mock's own /key/generate with the master key. */
  mint(body: Record<string, unknown>): Promise<{ key: string; token: string }>;
  /** Stops the mock. */
  close(): Promise<void>;
}

function bearer(req: Request): string {
  return req.headers.get("x-litellm-api-key") ??
    req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
}

/**
 * A 200 whose body breaks off: the client's read fails like a dropped connection. (Deno's server
 * prints the stream's error; its stack is trimmed to one line saying what happened.)
 */
function dropped(): Response {
  const error = new Error("mock LiteLLM: injected dropped connection");
  error.stack = error.message;
  return new Response(new ReadableStream({ start: (c) => c.error(error) }));
}

/** Starts a mock on 127.0.0.1. */
export async function startMockLiteLLM(options: MockOptions): Promise<MockLiteLLM> {
  const faults: Fault[] = [];
  let server: Deno.HttpServer<Deno.NetAddr> | undefined;
  let port = options.port ?? 0;

  function authError(presented: string): Promise<Response> | Response {
    if (!presented) {
      return errorResponse(401, "Authentication Error, No api key passed in.", "auth_error");
    }
    if (!presented.startsWith("sk-")) {
      const shown = options.legacyEcho ? presented : `****${presented.slice(-4)}`;
      return errorResponse(
        401,
        `Authentication Error, LiteLLM Virtual Key expected. Received=${shown}, expected to start with 'sk-'.`,
        "auth_error",
      );
    }
    return unknownKeyError(presented);
  }

  async function route(req: Request, url: URL, body: Record<string, unknown>): Promise<Response> {
    if (url.pathname === "/health/liveliness" || url.pathname === "/health/liveness") {
      return Response.json("I'm alive!");
    }
    if (url.pathname === "/health/readiness") {
      return Response.json({ status: "healthy", db: "connected" });
    }
    const presented = bearer(req);
    const row = presented ? mock.keys.get(await hashIfNeeded(presented)) : undefined;
    const isMaster = presented === options.masterKey;
    if (url.pathname === "/chat/completions" || url.pathname === "/v1/chat/completions") {
      if (!presented) return authError(presented);
      return chatCompletion(row, presented, body, {
        isMaster,
        costPerCall: options.costPerCall ?? 0.01,
      });
    }
    if (!url.pathname.startsWith("/key/")) {
      return Response.json({ detail: "Not Found" }, { status: 404 });
    }
    if (!isMaster) {
      if (!row) return authError(presented);
      // A proxy admin's virtual key passes the admin gate, as in LiteLLM.
      if (!row.user_id || !mock.adminUsers.has(row.user_id)) {
        return errorResponse(
          401,
          `Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${url.pathname}. Your role=internal_user. Your user_id=${row.user_id}`,
          "auth_error",
        );
      }
    }
    return await keyRoute(mock, req, url, body, presented) ??
      Response.json({ detail: "Not Found" }, { status: 404 });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    let body: Record<string, unknown> = {};
    if (req.method === "POST") {
      const text = await req.text();
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        return Response.json({
          detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error" }],
        }, { status: 422 });
      }
    }
    mock.requests.push({ method: req.method, path: url.pathname, body });
    const fault = faults.find((f) => !f.path || url.pathname.startsWith(f.path));
    if (fault) {
      if (fault.count !== undefined && --fault.count <= 0) faults.splice(faults.indexOf(fault), 1);
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    }
    const failed = (f: Fault) =>
      f.drop
        ? dropped()
        : errorResponse(f.status ?? 500, "injected fault", "internal_server_error");
    if (fault && !fault.after && (fault.status || fault.drop)) return failed(fault);
    const response = await route(req, url, body);
    if (fault?.after) {
      await response.body?.cancel();
      return failed(fault);
    }
    return response;
  }

  function listen(): void {
    server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, handle);
    port = server.addr.port;
  }
  listen();
  const mock: MockLiteLLM = {
    url: `http://127.0.0.1:${port}`,
    keys: new Map(),
    requests: [],
    premium: false,
    adminUsers: new Set(["vault-admin"]),
    inject: (fault) => void faults.push({ ...fault }),
    clearFaults: () => void faults.splice(0),
    async down() {
      await server?.shutdown();
      server = undefined;
    },
    up() {
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
  if (!masterKey?.startsWith("sk-")) {
    console.error("usage: mock_litellm.ts --port 4000 --master-key sk-... [--premium]");
    Deno.exit(1);
  }
  const mock = await startMockLiteLLM({ masterKey, port: Number(arg("--port") ?? 4000) });
  mock.premium = Deno.args.includes("--premium");
  console.log(`mock LiteLLM listening at ${mock.url}`);
}
