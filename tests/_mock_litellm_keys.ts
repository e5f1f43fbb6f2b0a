/**
 * The mock LiteLLM's data and answer shapes: key rows shaped like LiteLLM_VerificationToken rows,
 * LiteLLM's duration syntax, its error envelope and its masked key form. Sources:
 * BerriAI/litellm litellm/proxy/_types.py (ProxyException, the envelope),
 * litellm/litellm_core_utils/duration_parser.py, litellm/proxy/auth/auth_utils.py
 * (abbreviate_api_key).
 *
 * @module
 */

/** One virtual key as LiteLLM stores it: by hash; the plaintext is never kept. */
export interface KeyRow {
  /** SHA-256 hex of the plaintext key. */
  token: string;
  /** Masked key, "sk-...abcd". */
  key_name: string;
  key_alias: string | null;
  /** Allowed models; [] allows every model. */
  models: string[];
  max_budget: number | null;
  spend: number;
  /** ISO 8601, or null: never expires. */
  expires: string | null;
  metadata: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  budget_duration: string | null;
  blocked: boolean | null;
  created_at: string;
  updated_at: string;
}

/**
 * Seconds of a LiteLLM duration ("30s", "30m", "30h", "30d", "1mo"); undefined when invalid.
 * A bare number is invalid: LiteLLM answers it with "Unsupported duration unit".
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+)(s|m|h|d|w|mo)$/.exec(value);
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, mo: 2592000 }[match[2]]!;
  return Number(match[1]) * unit;
}

/** LiteLLM's abbreviate_api_key: "sk-...abcd". */
export function masked(key: string): string {
  return `sk-...${key.slice(-4)}`;
}

/** SHA-256 hex: LiteLLM's hash_token. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** LiteLLM's hash-if-needed: plaintext `sk-` keys are hashed, hashes pass through. */
export function hashIfNeeded(keyOrHash: string): Promise<string> {
  return keyOrHash.startsWith("sk-") ? sha256Hex(keyOrHash) : Promise.resolve(keyOrHash);
}

/** A fresh plaintext key, like LiteLLM's "sk-" + token_urlsafe. */
export function newPlaintextKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `sk-${btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, "").slice(0, 22)}`;
}

/** LiteLLM's error envelope (ProxyException), with the status as a string `code`. */
export function errorResponse(
  status: number,
  message: string,
  type: string,
  param: string | null = "None",
): Response {
  return Response.json({ error: { message, type, param, code: String(status) } }, { status });
}

/** An HTTPException(detail={"error": ...}) as LiteLLM wraps it: the dict's Python repr. */
export function detailMessage(text: string): string {
  return `{'error': '${text}'}`;
}

/** FastAPI's request validation answer (422). */
export function validationError(field: string, msg: string, type: string): Response {
  return Response.json({ detail: [{ type, loc: ["body", field], msg, input: null }] }, {
    status: 422,
  });
}

/** A new row from a /key/generate body (validated by the caller). */
export function newKeyRow(token: string, plaintext: string, body: Record<string, unknown>): KeyRow {
  const now = new Date();
  const seconds = body.duration ? parseDuration(body.duration) : undefined;
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    token,
    key_name: masked(plaintext),
    key_alias: str(body.key_alias),
    models: Array.isArray(body.models) ? body.models.map(String) : [],
    max_budget: num(body.max_budget),
    spend: 0,
    expires: seconds === undefined ? null : new Date(now.getTime() + seconds * 1000).toISOString(),
    metadata: (body.metadata as Record<string, unknown>) ?? {},
    user_id: str(body.user_id),
    team_id: str(body.team_id),
    tpm_limit: num(body.tpm_limit),
    rpm_limit: num(body.rpm_limit),
    max_parallel_requests: num(body.max_parallel_requests),
    budget_duration: str(body.budget_duration),
    blocked: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
}

/** The row as /key/info shows it: LiteLLM drops the hash (info_key_fn pops "token"). */
export function infoView(row: KeyRow): Record<string, unknown> {
  const { token: _token, ...rest } = row;
  return { ...rest };
}
