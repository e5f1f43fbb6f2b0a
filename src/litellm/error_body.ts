/**
 * Reads LiteLLM's error bodies. The proxy answers errors in OpenAI's envelope
 * `{"error": {"message", "type", "param", "code"}}` (ProxyException, litellm/proxy/_types.py);
 * request validation fails in FastAPI's `{"detail": [...]}` (422), and a route that does not
 * exist is FastAPI's `{"detail": "Not Found"}`. Telling these apart matters: only the envelope
 * proves that LiteLLM itself answered, e.g. that a 404 means "no such key" rather than "wrong
 * base_url".
 *
 * @module
 */

/** What an error body says. */
export interface ErrorBody {
  /** The message (LiteLLM's own words; may still contain secrets, see redact.ts). */
  message: string;
  /** LiteLLM's error type, e.g. "not_found_error", "budget_exceeded". */
  type?: string;
  /** Whether the body is LiteLLM's error envelope (and not FastAPI's or a proxy's). */
  envelope: boolean;
}

/** Parses an error body; never throws. */
export function parseErrorBody(text: string): ErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) || "no details", envelope: false };
  }
  const error = (body as { error?: unknown })?.error;
  if (error && typeof error === "object" && "message" in error) {
    const { message, type } = error as { message: unknown; type?: unknown };
    return {
      message: String(message),
      type: typeof type === "string" ? type : undefined,
      envelope: true,
    };
  }
  const detail = (body as { detail?: unknown })?.detail;
  if (detail !== undefined) {
    return {
      message: typeof detail === "string" ? detail : JSON.stringify(detail).slice(0, 500),
      envelope: false,
    };
  }
  return { message: text.slice(0, 200), envelope: false };
}

/**
 * Whether LiteLLM said the key does not exist. Its words differ per route (all 404):
 * /key/delete "No keys found" (type internal_server_error), /key/info "Key not found in
 * database" (not_found_error), /key/update "Team not found, passed team_id=None" (auth_error: a
 * LiteLLM quirk for an unknown key), regenerate "Key <key> not found." Only LiteLLM's envelope
 * counts, so a 404 from a reverse proxy or an unknown route is never taken for "already gone".
 */
export function saysKeyNotFound(status: number, body: ErrorBody): boolean {
  return status === 404 && body.envelope &&
    (body.type === "not_found_error" || /no keys found|not found/i.test(body.message));
}
