/**
 * Write-ahead log entries (Vault's framework/wal.go): written before a side effect outside Vault
 * and deleted once the result is safely recorded. The rollback operation hands entries older than
 * a minimum age to the backend's walRollback, which undoes what may have leaked.
 *
 * @module
 */
import { z } from "zod";
import type { Storage } from "../logical.ts";
import { readJson, writeJson } from "./storage_json.ts";

/** Storage prefix of WAL entries. */
export const WAL_PREFIX = "wal/";

/** One WAL entry. */
export interface WalEntry {
  /** Entry id (its key under wal/). */
  id: string;
  /** What kind of side effect it guards. */
  kind: string;
  /** What the rollback needs (never a secret). */
  data: unknown;
  /** Unix seconds when it was written. */
  createdAt: number;
}

const WAL_SCHEMA = z.object({ kind: z.string(), data: z.unknown(), createdAt: z.number() });

/** Writes a WAL entry and returns its id. */
export async function putWal(
  storage: Storage,
  kind: string,
  data: unknown,
  options: { now?: Date } = {},
): Promise<string> {
  const id = crypto.randomUUID();
  const createdAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  await writeJson(storage, WAL_PREFIX + id, { kind, data, createdAt });
  return id;
}

/** Reads a WAL entry; undefined when it is gone. */
export async function getWal(storage: Storage, id: string): Promise<WalEntry | undefined> {
  const entry = await readJson(storage, WAL_PREFIX + id, WAL_SCHEMA);
  return entry ? { id, kind: entry.kind, data: entry.data, createdAt: entry.createdAt } : undefined;
}

/** Deletes a WAL entry (deleting a missing one is fine). */
export async function deleteWal(storage: Storage, id: string): Promise<void> {
  await storage.delete(WAL_PREFIX + id);
}

/** Ids of every WAL entry. */
export async function listWal(storage: Storage): Promise<string[]> {
  return (await storage.list(WAL_PREFIX)).filter((key) => !key.endsWith("/"));
}
