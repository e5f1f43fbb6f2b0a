/**
 * JSON entries in a backend's storage, checked with a zod schema on the way in: a stored entry
 * that no longer parses is a fault, not silently wrong data.
 *
 * @module
 */
import type { z } from "zod";
import type { Storage } from "../logical.ts";

/** Reads and checks the JSON entry at `key`; undefined when there is none. */
export async function readJson<T>(
  storage: Storage,
  key: string,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  const entry = await storage.get(key);
  if (!entry) return undefined;
  const parsed = schema.safeParse(JSON.parse(new TextDecoder().decode(entry.value)));
  if (!parsed.success) {
    throw new Error(`stored entry "${key}" is malformed: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

/** Writes `value` as JSON at `key`. */
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
