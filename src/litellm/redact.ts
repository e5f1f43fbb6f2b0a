/**
 * Removes secrets from text that came from LiteLLM before it reaches an error, a log line or a
 * response. LiteLLM echoes credentials in some errors: older releases put a wrong non-`sk-` key
 * verbatim in "LiteLLM Virtual Key expected. Received=<key>", newer ones a masked tail
 * ("Received=****abcd"), and the 401 for an unknown key carries "Key Hash (Token) =<sha256>"
 * (BerriAI/litellm litellm/proxy/auth/user_api_key_auth.py). So the credential itself, its hash,
 * anything shaped like a LiteLLM key and every "Received=" value are replaced.
 *
 * @module
 */

/** Anything shaped like a LiteLLM virtual or master key. */
const KEY_SHAPE = /sk-[A-Za-z0-9_.\-]{4,}/g;
/** The value after "Received=" or "Received API Key =" in LiteLLM's auth errors. */
const RECEIVED = /(Received(?: API Key)?\s*=\s*)[^,\s]+/g;

/**
 * Text with secrets replaced by `***`.
 *
 * @param text Text from LiteLLM (an error message or body).
 * @param secrets Exact strings to remove as well (the credential, its hash); empty ones ignored.
 * @returns The text, safe to show.
 * @example
 * ```ts
 * redactSecrets("Received=my-key, bad", ["my-key"]); // "Received=***, bad"
 * ```
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  for (
    const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)
  ) {
    out = out.replaceAll(secret, "***");
  }
  return out.replace(KEY_SHAPE, "sk-***").replace(RECEIVED, "$1***");
}

/** SHA-256 of a string as lowercase hex: LiteLLM's hash_token, the id it stores keys by. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The id LiteLLM stores a key by: the SHA-256 of a plaintext `sk-` key, or the value itself when
 * it is already a hash (LiteLLM's `_hash_token_if_needed`, litellm/proxy/utils.py).
 */
export function keyHash(keyOrHash: string): Promise<string> {
  return keyOrHash.startsWith("sk-") ? sha256Hex(keyOrHash) : Promise.resolve(keyOrHash);
}
