/**
 * The index of keys this mount issued and has not revoked: `keys/<token hash>`. Tidy compares it
 * with what LiteLLM holds to find keys that outlived their lease (or never had one).
 *
 * @module
 */
import { z } from "zod";
import { readJson, type Storage, writeJson } from "../sdk/mod.ts";

const ENTRY = z.object({ key_alias: z.string(), role: z.string(), issued_at: z.string() });

/** One issued key. */
export type KeyIndexEntry = z.infer<typeof ENTRY>;

/** Storage key of an issued key. */
export function keyIndexKey(tokenHash: string): string {
  return `keys/${tokenHash}`;
}

/** Records an issued key. */
export function indexKey(storage: Storage, tokenHash: string, entry: KeyIndexEntry): Promise<void> {
  return writeJson(storage, keyIndexKey(tokenHash), entry);
}

/** Forgets a revoked key. */
export function unindexKey(storage: Storage, tokenHash: string): Promise<void> {
  return storage.delete(keyIndexKey(tokenHash));
}

/** Whether a key is indexed. */
export async function isIndexed(storage: Storage, tokenHash: string): Promise<boolean> {
  return (await readJson(storage, keyIndexKey(tokenHash), ENTRY)) !== undefined;
}
