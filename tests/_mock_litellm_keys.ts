/**
 * Key rows of the mock LiteLLM, shaped like LiteLLM_VerificationToken rows, and LiteLLM's
 * duration syntax.
 *
 * @module
 */

/** One virtual key as LiteLLM stores it (by hash; the plaintext is never kept). */
export interface KeyRow {
  token: string;
  key_alias: string | null;
  models: string[];
  max_budget: number | null;
  spend: number;
  expires: string | null;
  metadata: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  budget_duration: string | null;
  tags: string[] | null;
  blocked: boolean | null;
  created_at: string;
  updated_at: string;
}

/** Seconds of a LiteLLM duration ("30s", "30m", "30h", "30d"); undefined when invalid (bare numbers are). */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+)(s|m|h|d)$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "s" | "m" | "h" | "d"];
}

/** A new row from a /key/generate body. */
export function newKeyRow(token: string, body: Record<string, unknown>): KeyRow {
  const now = new Date();
  const seconds = body.duration ? parseDuration(body.duration) : undefined;
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    token,
    key_alias: typeof body.key_alias === "string" ? body.key_alias : null,
    models: Array.isArray(body.models) ? body.models.map(String) : [],
    max_budget: num(body.max_budget),
    spend: 0,
    expires: seconds === undefined ? null : new Date(now.getTime() + seconds * 1000).toISOString(),
    metadata: (body.metadata as Record<string, unknown>) ?? {},
    user_id: typeof body.user_id === "string" ? body.user_id : null,
    team_id: typeof body.team_id === "string" ? body.team_id : null,
    tpm_limit: num(body.tpm_limit),
    rpm_limit: num(body.rpm_limit),
    max_parallel_requests: num(body.max_parallel_requests),
    budget_duration: typeof body.budget_duration === "string" ? body.budget_duration : null,
    tags: Array.isArray(body.tags) ? body.tags.map(String) : null,
    blocked: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
}

/** The row as LiteLLM's responses show it. */
export function keyRowView(row: KeyRow): Record<string, unknown> {
  return { ...row, key_name: null };
}
