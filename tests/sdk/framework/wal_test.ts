import assert from "node:assert/strict";
import {
  deleteWal,
  getWal,
  listWal,
  putWal,
  rollbackStaleWal,
  WAL_PREFIX,
} from "../../../src/sdk/framework/wal.ts";
import { MemoryLogger, MemoryStorage } from "../../../src/sdk/testing/memory_storage.ts";
import type { Request } from "../../../src/sdk/logical.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000);

Deno.test("putWal stores Go's entry shape under wal/ and getWal reads it back", async () => {
  const storage = new MemoryStorage();
  const id = await putWal(storage, "key", { alias: "a" }, { now: NOW });
  assert.match(id, /^[0-9a-f-]{36}$/);
  const stored = JSON.parse(new TextDecoder().decode(storage.entries.get(WAL_PREFIX + id)!.value));
  assert.deepEqual(stored, { type: "key", data: { alias: "a" }, created_at: NOW.getTime() / 1000 });
  assert.deepEqual(await getWal(storage, id), {
    id,
    kind: "key",
    data: { alias: "a" },
    createdAt: NOW.getTime() / 1000,
  });
});

Deno.test("getWal reads entries written by earlier builds (kind/createdAt)", async () => {
  const storage = new MemoryStorage();
  await storage.put({
    key: "wal/old",
    value: new TextEncoder().encode(JSON.stringify({ kind: "k", data: 1, createdAt: 5 })),
  });
  assert.deepEqual(await getWal(storage, "old"), { id: "old", kind: "k", data: 1, createdAt: 5 });
});

Deno.test("listWal and deleteWal manage entries; deleting twice is fine", async () => {
  const storage = new MemoryStorage();
  const a = await putWal(storage, "k", null);
  const b = await putWal(storage, "k", null);
  await storage.put({ key: "wal/sub/x", value: new Uint8Array() });
  assert.deepEqual((await listWal(storage)).sort(), [a, b].sort());
  await deleteWal(storage, a);
  await deleteWal(storage, a);
  assert.deepEqual(await listWal(storage), [b]);
  assert.equal(await getWal(storage, a), undefined);
});

function rollbackRequest(storage: MemoryStorage): Request {
  return { operation: "rollback", path: "", data: {}, storage } as unknown as Request;
}

Deno.test("rollbackStaleWal rolls back only entries strictly older than the min age", async (t) => {
  const cases: Array<[string, number, boolean]> = [
    ["much older", 3600, true],
    ["one second past the min age", 601, true],
    ["exactly the min age", 600, false],
    ["younger", 599, false],
    ["just written", 0, false],
    ["from the future (clock skew)", -60, false],
  ];
  for (const [name, age, rolledBack] of cases) {
    await t.step(name, async () => {
      const storage = new MemoryStorage();
      const seen: unknown[] = [];
      const id = await putWal(storage, "key", { age }, { now: secondsAgo(age) });
      const done = await rollbackStaleWal(rollbackRequest(storage), async (_req, kind, data) => {
        assert.equal(kind, "key");
        seen.push(data);
      }, { minAgeSeconds: 600, now: NOW, logger: new MemoryLogger() });
      assert.equal(done, rolledBack ? 1 : 0);
      assert.deepEqual(seen, rolledBack ? [{ age }] : []);
      assert.equal((await getWal(storage, id)) === undefined, rolledBack);
    });
  }
});

Deno.test("rollbackStaleWal keeps and logs an entry whose rollback fails, and goes on", async () => {
  const storage = new MemoryStorage();
  const logger = new MemoryLogger();
  const stuck = await putWal(storage, "stuck", {}, { now: secondsAgo(900) });
  const fine = await putWal(storage, "fine", {}, { now: secondsAgo(900) });
  const done = await rollbackStaleWal(rollbackRequest(storage), async (_req, kind) => {
    if (kind === "stuck") throw new Error("LiteLLM is down");
  }, { minAgeSeconds: 600, now: NOW, logger });
  assert.equal(done, 1);
  assert.deepEqual(await listWal(storage), [stuck]);
  assert.equal(await getWal(storage, fine), undefined);
  const line = JSON.parse(logger.lines.find((l) => l.includes("WAL rollback failed"))!);
  assert.deepEqual(
    [line.level, line.wal_id, line.kind, line.error],
    ["warn", stuck, "stuck", "LiteLLM is down"],
  );
});

Deno.test("rollbackStaleWal logs storage failures instead of throwing", async () => {
  const storage = new MemoryStorage();
  storage.list = () => Promise.reject(new Error("cannot write to readonly storage"));
  const logger = new MemoryLogger();
  const done = await rollbackStaleWal(rollbackRequest(storage), async () => {}, {
    minAgeSeconds: 600,
    now: NOW,
    logger,
  });
  assert.equal(done, 0);
  assert.ok(logger.lines.some((l) => l.includes("cannot list WAL entries")));

  const corrupt = new MemoryStorage();
  await corrupt.put({ key: "wal/bad", value: new TextEncoder().encode("{not json") });
  await rollbackStaleWal(rollbackRequest(corrupt), async () => {}, {
    minAgeSeconds: 600,
    now: NOW,
    logger,
  });
  assert.ok(logger.lines.some((l) => l.includes('"wal_id":"bad"')));
});
