/**
 * LiteLLM's key management API, called with the master key (or an admin virtual key) as bearer
 * token. Calls time out; idempotent calls retry with backoff on network errors and 5xx. Error
 * messages are LiteLLM's own, with anything that looks like a key masked.
 *
 * @module
 */
import { z } from "zod";

/** A non-2xx answer (or no answer) from LiteLLM. */
export class LiteLLMError extends Error {
  /** HTTP status; 0 when LiteLLM could not be reached or timed out. */
  readonly status: number;
  /** LiteLLM's error type (e.g. "not_found_error"), when it sent one. */
  readonly type: string | undefined;

  /** @param message Already free of secrets. */
  constructor(status: number, message: string, options: { type?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "LiteLLMError";
    this.status = status;
    this.type = options.type;
  }
}

/** Masks anything that looks like a LiteLLM key. */
export function maskKeys(text: string): string {
  return text.replace(/sk-[A-Za-z0-9_.\-]{4,}/g, "sk-***");
}

/** Options of a client. */
export interface LiteLLMClientOptions {
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** PEM CA bundle to trust for https base URLs. */
  caCert?: string;
  /** Attempts for idempotent calls (default 3). */
  attempts?: number;
  /** Base backoff between attempts in ms (default 200, doubled each time). */
  backoffMs?: number;
  /** Told about every call: endpoint, seconds taken, and whether it succeeded (for metrics). */
  onCall?: (endpoint: string, seconds: number, ok: boolean) => void;
}

/** Fields of /key/generate we send (LiteLLM's names). */
export interface GenerateKeyRequest {
  key_alias: string;
  /** LiteLLM duration ("3600s"); null: the key never expires. */
  duration: string | null;
  models: string[];
  max_budget?: number;
  budget_duration?: string;
  tpm_limit?: number;
  rpm_limit?: number;
  max_parallel_requests?: number;
  team_id?: string;
  user_id?: string;
  tags?: string[];
  metadata: Record<string, unknown>;
}

const GENERATED = z.object({
  key: z.string().startsWith("sk-"),
  token: z.string().nullish(),
  token_id: z.string().nullish(),
  key_alias: z.string().nullish(),
  expires: z.string().nullish(),
}).passthrough();

/** What /key/generate returned that we keep. */
export interface GeneratedKey {
  /** The plaintext key (returned once, to the client only). */
  key: string;
  /** LiteLLM's hash of the key (its id). */
  tokenHash: string;
  /** Expiry as LiteLLM reports it (ISO), if any. */
  expires: string | null;
}

const KEY_ROW = z.object({
  token: z.string().nullish(),
  key_alias: z.string().nullish(),
  expires: z.string().nullish(),
})
  .passthrough();

/** A key row as /key/info and /key/list return it. */
export type KeyRow = z.infer<typeof KEY_ROW>;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A LiteLLM key API client. */
export class LiteLLMClient {
  #baseUrl: string;
  #masterKey: string;
  #timeoutMs: number;
  #attempts: number;
  #backoffMs: number;
  #httpClient: Deno.HttpClient | undefined;
  #onCall: LiteLLMClientOptions["onCall"];

  /**
   * @param baseUrl The proxy's base URL, e.g. "https://litellm.example.com".
   * @param masterKey The master key or an admin virtual key.
   */
  constructor(baseUrl: string, masterKey: string, options: LiteLLMClientOptions = {}) {
    this.#baseUrl = baseUrl.replace(/\/+$/, "");
    this.#masterKey = masterKey;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 200;
    this.#httpClient = options.caCert
      ? Deno.createHttpClient({ caCerts: [options.caCert] })
      : undefined;
    this.#onCall = options.onCall;
  }

  /** Releases the HTTP client. */
  close(): void {
    this.#httpClient?.close();
  }

  /** Mints a key. Never retried: a retry could mint a second key (the caller's WAL covers failures). */
  async generateKey(request: GenerateKeyRequest): Promise<GeneratedKey> {
    const body = await this.#call("POST", "/key/generate", request, { idempotent: false });
    const parsed = GENERATED.safeParse(body);
    if (!parsed.success) throw new LiteLLMError(502, "LiteLLM's /key/generate answer has no key");
    const tokenHash = parsed.data.token ?? parsed.data.token_id ?? await sha256Hex(parsed.data.key);
    return { key: parsed.data.key, tokenHash, expires: parsed.data.expires ?? null };
  }

  /**
   * Replaces a key's secret in place (LiteLLM Enterprise). Never retried, like generate.
   *
   * @throws {LiteLLMError} 500 mentioning "Enterprise" on LiteLLM's community edition.
   */
  async regenerateKey(keyOrHash: string): Promise<GeneratedKey> {
    const body = await this.#call("POST", `/key/${encodeURIComponent(keyOrHash)}/regenerate`, {}, {
      idempotent: false,
    });
    const parsed = GENERATED.safeParse(body);
    if (!parsed.success) throw new LiteLLMError(502, "LiteLLM's regenerate answer has no key");
    const tokenHash = parsed.data.token ?? parsed.data.token_id ?? await sha256Hex(parsed.data.key);
    return { key: parsed.data.key, tokenHash, expires: parsed.data.expires ?? null };
  }

  /** Gives a key a new alias. */
  async renameKey(keyOrHash: string, keyAlias: string): Promise<void> {
    await this.#call("POST", "/key/update", { key: keyOrHash, key_alias: keyAlias }, {
      idempotent: true,
    });
  }

  /** Moves a key's expiry to now + `durationSeconds` (what renewal does). */
  async extendKey(keyOrHash: string, durationSeconds: number): Promise<void> {
    await this.#call("POST", "/key/update", { key: keyOrHash, duration: `${durationSeconds}s` }, {
      idempotent: true,
    });
  }

  /**
   * Deletes keys by hash or by alias. A key that is already gone counts as deleted: LiteLLM
   * answers 404 when nothing matched. Only a 404 whose body says so counts; a 404 from a proxy
   * in front of LiteLLM (a wrong base_url path) stays an error.
   *
   * @returns whether LiteLLM deleted anything.
   */
  async deleteKeys(target: { keys?: string[]; keyAliases?: string[] }): Promise<boolean> {
    try {
      await this.#call(
        "POST",
        "/key/delete",
        { keys: target.keys, key_aliases: target.keyAliases },
        { idempotent: true },
      );
      return true;
    } catch (error) {
      if (isKeyNotFound(error)) return false;
      throw error;
    }
  }

  /** A key's row, or undefined when LiteLLM does not know it. */
  async keyInfo(keyOrHash: string): Promise<KeyRow | undefined> {
    try {
      const body = await this.#call(
        "GET",
        `/key/info?key=${encodeURIComponent(keyOrHash)}`,
        undefined,
        { idempotent: true },
      );
      return KEY_ROW.parse((body as { info?: unknown }).info ?? {});
    } catch (error) {
      if (isKeyNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Keys whose alias starts with `prefix` (substring match, then filtered), all pages. */
  async listKeysByAliasPrefix(prefix: string): Promise<KeyRow[]> {
    const rows: KeyRow[] = [];
    for (let page = 1; page <= 1000; page++) {
      const query = `key_alias=${
        encodeURIComponent(prefix)
      }&substring_matching=true&return_full_object=true&size=100&page=${page}`;
      const body = await this.#call("GET", `/key/list?${query}`, undefined, {
        idempotent: true,
      }) as {
        keys?: unknown[];
        total_pages?: number;
      };
      for (const row of body.keys ?? []) {
        const parsed = KEY_ROW.safeParse(row);
        if (parsed.success && parsed.data.key_alias?.startsWith(prefix)) rows.push(parsed.data);
      }
      if (page >= (body.total_pages ?? 1)) break;
    }
    return rows;
  }

  /** A cheap authenticated call that proves the base URL and credential work. */
  async verify(): Promise<void> {
    await this.#call("GET", "/key/list?size=1", undefined, { idempotent: true });
  }

  async #call(
    method: string,
    path: string,
    body: unknown,
    options: { idempotent: boolean },
  ): Promise<unknown> {
    const attempts = options.idempotent ? this.#attempts : 1;
    let lastError: LiteLLMError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        await new Promise((r) => setTimeout(r, this.#backoffMs * 2 ** (attempt - 2)));
      }
      try {
        return await this.#once(method, path, body);
      } catch (error) {
        if (!(error instanceof LiteLLMError)) throw error;
        lastError = error;
        if (error.status !== 0 && error.status < 500) throw error;
      }
    }
    throw lastError!;
  }

  async #once(method: string, path: string, body: unknown): Promise<unknown> {
    const op = path.split("?")[0].replace(/^\/key\/[^/]+\/regenerate$/, "/key/{key}/regenerate");
    const started = performance.now();
    let ok = false;
    try {
      const result = await this.#request(method, path, body, op);
      ok = true;
      return result;
    } finally {
      this.#onCall?.(op, (performance.now() - started) / 1000, ok);
    }
  }

  async #request(method: string, path: string, body: unknown, op: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#masterKey}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
        client: this.#httpClient,
      });
    } catch (error) {
      const reason = (error as Error).name === "TimeoutError"
        ? `timed out after ${this.#timeoutMs} ms`
        : maskKeys((error as Error).message);
      throw new LiteLLMError(0, `LiteLLM ${op} failed: ${reason}`, { cause: error });
    }
    const text = await response.text();
    if (response.ok) {
      try {
        return text ? JSON.parse(text) : {};
      } catch {
        throw new LiteLLMError(502, `LiteLLM ${op} answered with a body that is not JSON`);
      }
    }
    const { message, type } = errorMessage(text);
    throw new LiteLLMError(
      response.status,
      `LiteLLM ${op} answered ${response.status}: ${maskKeys(message)}`,
      { type },
    );
  }
}

/** A 404 in which LiteLLM itself says the key does not exist. */
function isKeyNotFound(error: unknown): boolean {
  return error instanceof LiteLLMError && error.status === 404 &&
    (error.type === "not_found_error" || /not (be )?found/i.test(error.message));
}

function errorMessage(text: string): { message: string; type?: string } {
  try {
    const body = JSON.parse(text);
    if (body?.error?.message) return { message: String(body.error.message), type: body.error.type };
    if (body?.detail) {
      return {
        message: typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail),
      };
    }
  } catch { /* not JSON */ }
  return { message: text.slice(0, 200) || "no details" };
}
