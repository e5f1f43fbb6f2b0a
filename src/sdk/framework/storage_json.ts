/**
 * JSON entries in a backend's storage, checked with a zod schema on the way in: a stored entry
 * that no longer parses is a fault, not silently wrong data.
 *
 * @module
 */
import type { z } from "zod";
import type { Storage } from "../logical.ts";

/**
 * Reads and checks the JSON entry at `key`.
 *
 * @returns the parsed value, or undefined when there is no entry.
 * @throws {Error} when the entry is not JSON or does not match `schema` (the message names the
 *   key and the first issue, never the stored value).
 */
export async function readJson<T>(
  storage: Storage,
  key: string,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  const entry = await storage.get(key);
  if (!entry) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(entry.value));
  } catch (error) {
    throw new Error(`stored entry "${key}" is not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `stored entry "${key}" is malformed: ${issue?.path.join(".") || "value"}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/**
 * Writes `value` as JSON at `key`.
 *
 * @param options.sealWrap Ask the host to seal-wrap the entry (Vault Enterprise; list the
 *   prefix in `specialPaths.sealWrapStorage` too).
 */
export async function writeJson(
  storage: Storage,
  key: string,
  value: unknown,
  options: { sealWrap?: boolean } = {},
): Promise<void> {
  await storage.put({
    key,
    value: new TextEncoder().encode(JSON.stringify(value)),
    sealWrap: options.sealWrap,
  });
}
