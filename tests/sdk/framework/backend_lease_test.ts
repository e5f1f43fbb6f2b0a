/** createBackend's renew, revoke and rollback dispatch, and lifecycle calls. */
import assert from "node:assert/strict";
import { getWal, listWal, putWal } from "../../../src/sdk/mod.ts";
import { makeRequest, newTestBackend, request } from "../../_helpers.ts";
import { definition, lease, leaseCalls, newBackend, NOW } from "./_backend_fixture.ts";

Deno.test("createBackend dispatches renew and revoke on secret_type with the lease's data", async () => {
  const t = await newBackend();
  leaseCalls.length = 0;
  const issued = await request(t, "read", "issue");
  assert.equal(issued?.secret?.internalData.secret_type, "lease");
  const renewed = await t.backend.handleRequest(
    makeRequest(t, "renew", "issue", issued!.data, { secret: issued!.secret }),
  );
  assert.equal(renewed?.secret, issued!.secret);
  await t.backend.handleRequest(
    makeRequest(t, "revoke", "issue", { who: ["not", "a", "string"] }, { secret: issued!.secret }),
  );
  assert.deepEqual(leaseCalls, [["renew", "me"], ["revoke", ""]], "bad lease data reads as absent");
});

Deno.test("createBackend refuses renew and revoke of secrets it does not know", async (t) => {
  const b = await newBackend();
  const base = (await request(b, "read", "issue"))!.secret!;
  const cases: Array<[string, Record<string, unknown> | undefined]> = [
    ["no secret", undefined],
    ["no secret_type", {}],
    ["secret_type not a string", { secret_type: 7 }],
    ["unknown secret_type", { secret_type: "other" }],
  ];
  for (const [name, internalData] of cases) {
    await t.step(name, async () => {
      const secret = internalData ? { ...base, internalData } : undefined;
      await assert.rejects(
        b.backend.handleRequest(makeRequest(b, "revoke", "issue", {}, { secret })),
        { name: "UserInputError", message: "secret is unsupported by this backend" },
      );
    });
  }
});

Deno.test("createBackend rollback undoes stale WAL entries, then runs periodic", async () => {
  const order: string[] = [];
  const t = await newBackend({
    walRollbackMinAgeSeconds: 60,
    walRollback: async (_req, kind, data) => {
      if (kind === "fail") throw new Error("cannot undo");
      order.push(`rollback ${JSON.stringify(data)}`);
    },
    periodic: async () => {
      order.push("periodic");
    },
  });
  await putWal(t.storage, "key", "old", { now: new Date(NOW.getTime() - 61_000) });
  const young = await putWal(t.storage, "key", "young", { now: new Date(NOW.getTime() - 60_000) });
  const stuck = await putWal(t.storage, "fail", "stuck", {
    now: new Date(NOW.getTime() - 700_000),
  });
  assert.equal(await t.backend.handleRequest(makeRequest(t, "rollback", "")), undefined);
  assert.deepEqual(order, ['rollback "old"', "periodic"]);
  assert.deepEqual((await listWal(t.storage)).sort(), [young, stuck].sort());
  assert.equal((await getWal(t.storage, young))?.data, "young");
  assert.ok(t.logger.lines.some((l) => l.includes("WAL rollback failed")));
});

Deno.test("createBackend rollback defaults to Vault's 10 minutes and leaves WAL alone without walRollback", async () => {
  const t = await newBackend({ walRollback: async () => {} });
  await putWal(t.storage, "key", 1, { now: new Date(NOW.getTime() - 600_000) });
  await putWal(t.storage, "key", 2, { now: new Date(NOW.getTime() - 601_000) });
  await t.backend.handleRequest(makeRequest(t, "rollback", ""));
  assert.equal((await listWal(t.storage)).length, 1);

  const plain = await newBackend();
  await putWal(plain.storage, "key", 1, { now: new Date(0) });
  await plain.backend.handleRequest(makeRequest(plain, "rollback", ""));
  assert.equal((await listWal(plain.storage)).length, 1);
});

Deno.test("createBackend rollback logs a failing periodic function instead of throwing", async () => {
  const t = await newBackend({
    periodic: () => Promise.reject(new Error("tidy failed")),
  });
  assert.equal(await t.backend.handleRequest(makeRequest(t, "rollback", "")), undefined);
  const line = JSON.parse(t.logger.lines.find((l) => l.includes("periodic function failed"))!);
  assert.equal(line.level, "error");
  assert.equal(line.error, "tidy failed");
});

Deno.test("createBackend passes lifecycle calls and special paths through", async () => {
  const calls: string[] = [];
  const t = await newBackend({
    specialPaths: { sealWrapStorage: ["config"] },
    initialize: async () => void calls.push("initialize"),
    clean: async () => void calls.push("clean"),
    invalidate: (key) => void calls.push(`invalidate ${key}`),
  });
  await t.backend.invalidateKey("config");
  await t.backend.cleanup();
  assert.deepEqual(calls, ["initialize", "invalidate config", "clean"]);
  assert.deepEqual(t.backend.specialPaths(), {
    root: [],
    unauthenticated: [],
    localStorage: [],
    sealWrapStorage: ["config"],
  });
});

Deno.test("createBackend refuses two secret types with one name", async () => {
  await assert.rejects(
    newBackend({ secrets: [lease, lease] }),
    /Secret type "lease" is declared twice/,
  );
});

Deno.test("newTestBackend configures the fake system view's TTLs and mount options", async () => {
  let seen: Record<string, string> = {};
  const t = await newTestBackend((config) => {
    seen = config.config;
    return definition();
  }, { defaultTtlSeconds: 60, maxTtlSeconds: 120, config: { a: "1" } });
  assert.equal(await t.system.defaultLeaseTtlSeconds(), 60);
  assert.equal(await t.system.maxLeaseTtlSeconds(), 120);
  assert.deepEqual(seen, { a: "1" });
  const defaults = await newTestBackend(() => definition());
  assert.equal(await defaults.system.maxLeaseTtlSeconds(), 768 * 3600);
});
