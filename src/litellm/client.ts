/**
 * LiteLLM's key management API, called with the master key (or a proxy-admin virtual key) as
 * bearer token. Every call has a timeout. Retries, with exponential backoff on network errors and
 * 5xx answers, follow what a repeat can do at LiteLLM:
 *
 * - info, list, delete and update (an absolute `duration` from now) are idempotent: retried on
 *   timeouts too.
 * - generate is retried only when it carries a `key_alias` (the engine's are unique per issue),
 *   and never after a timeout. LiteLLM refuses a second key with the same alias (400 "Key with
 *   alias ... already exists", `_enforce_unique_key_alias` in key_management_endpoints.py), so a
 *   retry after a 5xx or a dropped connection cannot mint two usable keys; when it hits that 400
 *   the earlier attempt did commit but its answer (the only copy of the plaintext) is lost, so
 *   that key is deleted by alias and a fresh one minted. LiteLLM's check is a read, not a
 *   database constraint, so an attempt still running when the retry arrives could slip past it:
 *   hence no retry after a timeout (the first attempt may still be in flight). The engine's WAL
 *   and tidy clean up whatever the remaining window leaves.
 * - regenerate is never retried: it invalidates the old secret, and a lost answer loses the new.
 *
 * Errors carry LiteLLM's own message with the credential, its hash and anything key-shaped
 * removed (redact.ts). TLS: a custom CA bundle is supported (Deno.createHttpClient caCerts);
 * skipping verification is not, as Deno's fetch has no per-client switch for it.
 *
 * @module
 */
import { z } from "zod";
import { type LiteLLMClientOptions, LiteLLMError, LiteLLMHttp } from "./http.ts";
import { keyHash, sha256Hex } from "./redact.ts";

export { type LiteLLMClientOptions, LiteLLMError, type LiteLLMErrorKind } from "./http.ts";

/** Fields of /key/generate the engine sends (LiteLLM's names, GenerateKeyRequest). */
export interface GenerateKeyRequest {
  key_alias: string;
  /** LiteLLM duration with a unit ("3600s"; a bare number is a 500); null: never expires. */
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

const GENERATED = z.object({ key: z.string().startsWith("sk-"), expires: z.string().nullish() })
  .passthrough();

/** What /key/generate or regenerate returned that the engine keeps. */
export interface GeneratedKey {
  /** The plaintext key (LiteLLM returns it once; it goes to the client only). */
  key: string;
  /** SHA-256 of the key: LiteLLM's id for it. Computed here, as old LiteLLM releases put the
   * plaintext in the answer's `token` field. */
  tokenHash: string;
  /** Expiry as LiteLLM reports it (ISO 8601), if any. */
  expires: string | null;
}

const KEY_ROW = z.object({
  token: z.string().nullish(),
  key_alias: z.string().nullish(),
  expires: z.string().nullish(),
  user_id: z.string().nullish(),
  // Lenient: one odd row must not hide the others from tidy.
  metadata: z.record(z.string(), z.unknown()).nullish().catch(null),
  created_at: z.string().nullish(),
}).passthrough();

/** A key row as /key/info and /key/list return it (`token` is the key's hash). */
export type KeyRow = z.infer<typeof KEY_ROW>;

const LIST = z.object({ keys: z.array(z.unknown()), total_pages: z.number().nullish() })
  .passthrough();

/** A LiteLLM key API client. */
export class LiteLLMClient {
  #http: LiteLLMHttp;

  /**
   * @param baseUrl The proxy's base URL, e.g. "https://litellm.example.com" (a trailing / is fine).
   * @param masterKey The master key or a proxy-admin virtual key.
   */
  constructor(baseUrl: string, masterKey: string, options: LiteLLMClientOptions = {}) {
    this.#http = new LiteLLMHttp(baseUrl, masterKey, options);
  }

  /** Releases the HTTP client (its pooled connections). */
  close(): void {
    this.#http.close();
  }

  /**
   * Mints a key. Retried (see the module doc) only when it has a key_alias.
   *
   * @throws {LiteLLMError} LiteLLM's refusal (e.g. 400 duplicate alias) or the last failure.
   */
  async generateKey(request: GenerateKeyRequest): Promise<GeneratedKey> {
    const alias = request.key_alias;
    let attempts = alias ? this.#http.attempts : 1;
    let cleanedUp = false;
    let lastError: LiteLLMError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await this.#http.backoff(attempt);
      try {
        return await generated(await this.#http.once("POST", "/key/generate", request), "generate");
      } catch (error) {
        if (!(error instanceof LiteLLMError)) throw error;
        lastError = error;
        if (
          attempt > 1 && !cleanedUp && error.status === 400 && /already exists/i.test(error.message)
        ) {
          // An earlier attempt committed; its plaintext is lost. Delete it, then mint afresh.
          await this.deleteKeys({ keyAliases: [alias] });
          cleanedUp = true;
          attempts = Math.max(attempts, attempt + 1);
          continue;
        }
        const retryable = error.kind === "network" ||
          (error.kind === "http" && error.status >= 500);
        if (!retryable) throw error;
      }
    }
    throw lastError!;
  }

  /**
   * Replaces a key's secret in place (LiteLLM Enterprise). Never retried.
   *
   * @throws {LiteLLMError} 500 "Regenerating Virtual Keys is an Enterprise feature" on the
   * community edition.
   */
  async regenerateKey(keyOrHash: string): Promise<GeneratedKey> {
    const path = `/key/${encodeURIComponent(keyOrHash)}/regenerate`;
    // LiteLLM rejects the call without a JSON body.
    return generated(await this.#http.once("POST", path, {}), "regenerate");
  }

  /** Gives a key a new alias. */
  async renameKey(keyOrHash: string, keyAlias: string): Promise<void> {
    await this.#http.idempotent("POST", "/key/update", { key: keyOrHash, key_alias: keyAlias });
  }

  /**
   * Moves a key's expiry to now + `durationSeconds` (renewal). Absolute, so safe to retry.
   *
   * @throws {LiteLLMError} with `keyNotFound` when the key no longer exists.
   */
  async extendKey(keyOrHash: string, durationSeconds: number): Promise<void> {
    await this.#http.idempotent("POST", "/key/update", {
      key: keyOrHash,
      duration: `${durationSeconds}s`,
    });
  }

  /**
   * Deletes keys by hash (or plaintext) or by alias. A key that is already gone counts as
   * deleted: LiteLLM answers 404 "No keys found" when nothing matched, and only that answer
   * (LiteLLM's envelope) counts, never a 404 from something in front of it.
   *
   * @returns whether LiteLLM deleted anything.
   */
  async deleteKeys(target: { keys?: string[]; keyAliases?: string[] }): Promise<boolean> {
    if (!target.keys?.length && !target.keyAliases?.length) return false;
    // LiteLLM uses `keys` when given and ignores `key_aliases` then; send one of them.
    const body = target.keys?.length ? { keys: target.keys } : { key_aliases: target.keyAliases };
    try {
      await this.#http.idempotent("POST", "/key/delete", body);
      return true;
    } catch (error) {
      if (error instanceof LiteLLMError && error.keyNotFound) return false;
      throw error;
    }
  }

  /**
   * A key's row, or undefined when LiteLLM does not know it. LiteLLM drops `token` from the
   * row (info_key_fn), so it is filled in here from what was asked for.
   */
  async keyInfo(keyOrHash: string): Promise<KeyRow | undefined> {
    try {
      const path = `/key/info?key=${encodeURIComponent(keyOrHash)}`;
      const body = await this.#http.idempotent("GET", path) as { info?: unknown };
      const row = KEY_ROW.parse(body?.info ?? {});
      return { ...row, token: row.token ?? await keyHash(keyOrHash) };
    } catch (error) {
      if (error instanceof LiteLLMError && error.keyNotFound) return undefined;
      throw error;
    }
  }

  /** The key with exactly this alias (LiteLLM's key_alias filter is an exact match). */
  async findKeyByAlias(keyAlias: string): Promise<KeyRow | undefined> {
    const rows = await this.#listPages(`key_alias=${encodeURIComponent(keyAlias)}`);
    return rows.find((row) => row.key_alias === keyAlias);
  }

  /**
   * Every key, all pages. For aliases by prefix: LiteLLM's /key/list filters `key_alias` only by
   * exact match (some releases add `substring_matching`, others ignore unknown parameters), so
   * callers filter here rather than trust a filter that may silently match nothing.
   */
  listKeys(): Promise<KeyRow[]> {
    return this.#listPages("");
  }

  /** A cheap authenticated call that proves the base URL and credential work. */
  async verify(): Promise<void> {
    await this.#http.idempotent("GET", "/key/list?size=1");
  }

  async #listPages(filter: string): Promise<KeyRow[]> {
    const rows: KeyRow[] = [];
    for (let page = 1; page <= 10_000; page++) {
      const query = `${filter ? filter + "&" : ""}return_full_object=true&size=100&page=${page}`;
      const parsed = LIST.safeParse(await this.#http.idempotent("GET", `/key/list?${query}`));
      if (!parsed.success) {
        throw new LiteLLMError(502, "LiteLLM /key/list answered without a keys list", {
          kind: "invalid_response",
        });
      }
      for (const row of parsed.data.keys) {
        const key = KEY_ROW.safeParse(row);
        if (key.success) rows.push(key.data);
      }
      if (parsed.data.keys.length === 0 || page >= (parsed.data.total_pages ?? 0)) break;
    }
    return rows;
  }
}

/** The key, its hash and expiry from a generate or regenerate answer. */
async function generated(body: unknown, op: string): Promise<GeneratedKey> {
  const parsed = GENERATED.safeParse(body);
  if (!parsed.success) {
    throw new LiteLLMError(502, `LiteLLM's ${op} answer has no key`, { kind: "invalid_response" });
  }
  return {
    key: parsed.data.key,
    tokenHash: await sha256Hex(parsed.data.key),
    expires: parsed.data.expires ?? null,
  };
}
