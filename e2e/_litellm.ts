/**
 * What e2e asks of LiteLLM, through its public HTTP API only (so the same checks would hold
 * against a real proxy): does a key exist, and what does a chat call with a key answer.
 *
 * @module
 */

/** Whether LiteLLM knows `key`, asked with the master key through /key/info. */
export async function keyExists(baseUrl: string, masterKey: string, key: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/key/info?key=${encodeURIComponent(key)}`, {
    headers: { authorization: `Bearer ${masterKey}` },
  });
  await response.body?.cancel();
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw new Error(`/key/info answered ${response.status}`);
}

/** Sends one chat completion with a virtual key and returns the HTTP status. */
export async function chat(baseUrl: string, key: string, model: string): Promise<number> {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "ping" }] }),
  });
  await response.body?.cancel();
  return response.status;
}

/** A fresh work directory for one suite under `base`, replacing an older one of the same name. */
export async function workDirFor(base: string, name: string): Promise<string> {
  const dir = `${base}/${name}`;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Waits until LiteLLM no longer knows `key`; false if it still does after `timeoutMs`. Needed
 * after `lease revoke`, which OpenBao's CLI only queues ("All revocation operations queued").
 */
export async function keyGone(
  baseUrl: string,
  masterKey: string,
  key: string,
  timeoutMs = 10_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await keyExists(baseUrl, masterKey, key)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
