/**
 * The mock LiteLLM's /chat/completions: what LiteLLM checks before any model is called
 * (BerriAI/litellm litellm/proxy/auth/user_api_key_auth.py and auth_checks.py): the key exists,
 * is not blocked, has not expired, may use the model, and has budget left. A call that passes
 * adds a configurable cost to the key's spend and gets a canned completion.
 *
 * @module
 */
import { errorResponse, hashIfNeeded, type KeyRow, masked } from "./_mock_litellm_keys.ts";

/** The 401 for a key LiteLLM does not know (sk- keys); its message carries the key's hash. */
export async function unknownKeyError(presented: string): Promise<Response> {
  return errorResponse(
    401,
    `Authentication Error, Invalid proxy server token passed. Received API Key = ${
      masked(presented)
    }, Key Hash (Token) =${await hashIfNeeded(
      presented,
    )}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
    "token_not_found_in_db",
    "key",
  );
}

/** Whether a key's model list lets it call `model` ([] and "*" allow every model). */
function allows(models: string[], model: string): boolean {
  if (models.length === 0) return true;
  return models.some((m) =>
    m === model || m === "*" || m === "all-proxy-models" ||
    (m.endsWith("/*") && model.startsWith(m.slice(0, -1)))
  );
}

/** Python's repr of a list of strings, as LiteLLM's messages show it. */
function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(", ")}]`;
}

/**
 * Answers a chat completion for a virtual key `row` (undefined: unknown) or the master key.
 *
 * @param costPerCall Spend added to the key per successful call (USD).
 */
export function chatCompletion(
  row: KeyRow | undefined,
  presented: string,
  body: Record<string, unknown>,
  options: { isMaster: boolean; costPerCall: number },
): Promise<Response> | Response {
  const model = String(body.model ?? "");
  if (!options.isMaster) {
    if (!row) return unknownKeyError(presented);
    if (row.blocked) {
      return errorResponse(
        401,
        "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.",
        "auth_error",
      );
    }
    if (row.expires && Date.parse(row.expires) < Date.now()) {
      // 401 in current releases (older ones answered 400 and echoed the key in `param`).
      return errorResponse(
        401,
        `Authentication Error - Expired Key. Key Expiry time ${row.expires} and current time ${
          new Date().toISOString()
        }`,
        "expired_key",
        masked(presented),
      );
    }
    if (!allows(row.models, model)) {
      return errorResponse(
        401,
        `key not allowed to access model. This key can only access models=${
          pyList(row.models)
        }. Tried to access ${model}`,
        "key_model_access_denied",
        "model",
      );
    }
    if (row.max_budget !== null && row.spend >= row.max_budget) {
      return errorResponse(
        400,
        `Budget has been exceeded! Current cost: ${row.spend}, Max budget: ${row.max_budget}`,
        "budget_exceeded",
        null,
      );
    }
    row.spend += options.costPerCall;
  }
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
