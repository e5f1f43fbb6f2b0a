/**
 * Write-ahead log entries (Vault's framework/wal.go): written before a side effect outside the
 * host and deleted once its result is safely recorded. The rollback operation hands entries
 * older than a minimum age to the backend's walRollback, which undoes what may have leaked.
 *
 * Entries are JSON under "wal/<uuid>" in Go's shape, `{"type", "data", "created_at"}`.
 *
 * @module
 */
import { z } from "zod";
import type { Logger, Request, Storage } from "../logical.ts";
import { readJson, writeJson } from "./storage_json.ts";

/** Storage prefix of WAL entries. */
export const WAL_PREFIX = "wal/";

/** One WAL entry. */
export interface WalEntry {
  /** Entry id (its key under wal/). */
  id: string;
  /** What kind of side effect it guards. */
  kind: string;
  /** What the rollback needs (stored in plain JSON: never a secret). */
  data: unknown;
  /** Unix seconds when it was written. */
  createdAt: number;
}

// Go's field names; entries written by earlier builds used kind/createdAt and still read back.
const WAL_SCHEMA = z.union([
  z.object({ type: z.string(), data: z.unknown(), created_at: z.number() })
    .transform((e) => ({ kind: e.type, data: e.data, createdAt: e.created_at })),
  z.object({ kind: z.string(), data: z.unknown(), createdAt: z.number() }),
]);

/**
 * Writes a WAL entry and returns its id. Write it before the side effect, delete it once the
 * result is recorded (e.g. the lease is returned).
 *
 * @param kind Tells `walRollback` what to undo.
 * @param data What the rollback needs (JSON; never a secret).
 * @param options.now The creation time (inject the clock). @default new Date()
 */
export async function putWal(
  storage: Storage,
  kind: string,
  data: unknown,
  options: { now?: Date } = {},
): Promise<string> {
  const id = crypto.randomUUID();
  const createdAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  await writeJson(storage, WAL_PREFIX + id, { type: kind, data, created_at: createdAt });
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

/** How `rollbackStaleWal` runs. */
export interface RollbackOptions {
  /** Entries are rolled back only when strictly older than this many seconds. */
  minAgeSeconds: number;
  /** Now. */
  now: Date;
  /** Where failures go (they never propagate). */
  logger: Logger;
}

/**
 * Hands every WAL entry strictly older than `minAgeSeconds` to `rollback`, deleting it when
 * that succeeds and keeping it (with a warning in the log) when it throws. Never throws:
 * failures to list or read entries are logged too, and the next tick tries again.
 *
 * @returns how many entries were rolled back and deleted.
 */
export async function rollbackStaleWal(
  req: Request,
  rollback: (req: Request, kind: string, data: unknown) => Promise<void>,
  options: RollbackOptions,
): Promise<number> {
  let ids: string[];
  try {
    ids = await listWal(req.storage);
  } catch (error) {
    options.logger.error("cannot list WAL entries", { error: messageOf(error) });
    return 0;
  }
  // Vault's rule: roll back only when created strictly before now - min age.
  const cutoff = Math.floor(options.now.getTime() / 1000) - options.minAgeSeconds;
  let done = 0;
  for (const id of ids) {
    let entry: WalEntry | undefined;
    try {
      entry = await getWal(req.storage, id);
      if (!entry || entry.createdAt >= cutoff) continue;
      await rollback(req, entry.kind, entry.data);
      await deleteWal(req.storage, id);
      done++;
    } catch (error) {
      options.logger.warn("WAL rollback failed; will retry", {
        wal_id: id,
        kind: entry?.kind,
        error: messageOf(error),
      });
    }
  }
  return done;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
