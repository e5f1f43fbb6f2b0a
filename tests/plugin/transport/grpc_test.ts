/** GrpcServer and GrpcClient over mutual TLS on a unix socket (and TCP): calls end to end. */
import assert from "node:assert/strict";
import { GrpcError, Status } from "../../../src/plugin/transport/mod.ts";
import { bytes, echoService, NO_SANITIZERS, startServer, text } from "./_fixture.ts";

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name, ...NO_SANITIZERS, fn });
}

test("GrpcClient.unary round-trips bytes and metadata over unix and TCP", async () => {
  for (const tcp of [false, true]) {
    let seen: Record<string, string[]> = {};
    const s = await startServer((server) => {
      server.addUnary("/t.Echo/Meta", async (request, ctx) => {
        seen = ctx.metadata;
        return request;
      });
    }, { tcp });
    const client = await s.connect();
    const reply = await client.unary("/t.Echo/Meta", bytes("hello"), {
      metadata: { "multiplex-id": ["abc"], "X-Two": ["1", "2"] },
    });
    assert.equal(text(reply), "hello");
    assert.deepEqual(seen, { "multiplex-id": ["abc"], "x-two": ["1", "2"] });
    assert.deepEqual([...await client.unary("/t.Echo/Meta", new Uint8Array(0))], []);
    await client.close();
    await s.stop();
  }
});

test("GrpcServer maps handler outcomes to statuses and unknown methods to UNIMPLEMENTED", async () => {
  const s = await startServer((server) => {
    server.addUnary(
      "/t.S/NotFound",
      () => Promise.reject(new GrpcError(Status.NOT_FOUND, 'no role "x" ✓')),
    );
    server.addUnary("/t.S/Crash", () => Promise.reject(new Error("boom")));
    server.addUnary("/t.S/Throw", () => {
      throw new TypeError("sync throw");
    });
    server.addStream("/t.S/Partial", async (call) => {
      await call.send(Uint8Array.of(1));
      throw new GrpcError(Status.ABORTED, "after one message");
    });
  });
  const client = await s.connect();
  const expectations: Array<[string, number, string]> = [
    ["/t.S/NotFound", Status.NOT_FOUND, 'no role "x" ✓'],
    ["/t.S/Crash", Status.UNKNOWN, "boom"],
    ["/t.S/Throw", Status.UNKNOWN, "sync throw"],
    ["/t.S/Missing", Status.UNIMPLEMENTED, "unknown method /t.S/Missing"],
  ];
  for (const [method, code, message] of expectations) {
    await assert.rejects(client.unary(method, Uint8Array.of(1)), (e: GrpcError) => {
      assert.ok(e instanceof GrpcError);
      assert.deepEqual([e.code, e.message], [code, message]);
      return true;
    });
  }
  const call = client.stream("/t.S/Partial");
  call.end();
  const got: number[] = [];
  await assert.rejects(async () => {
    for await (const m of call.messages) got.push(...m);
  }, (e: GrpcError) => e.code === Status.ABORTED);
  assert.deepEqual(got, [1]);
  await assert.rejects(call.status, (e: GrpcError) => e.message === "after one message");
  await client.close();
  await s.stop();
});

test("GrpcClient.stream does bidirectional, server and client streaming", async () => {
  const s = await startServer((server) => {
    echoService(server);
    server.addStream("/t.Echo/Sum", async (call) => {
      let sum = 0;
      for await (const m of call.messages) sum += m[0];
      await call.send(Uint8Array.of(sum));
    });
  });
  const client = await s.connect();
  const chat = client.stream("/t.Echo/Chat");
  const replies: string[] = [];
  for (const word of ["a", "b", "c"]) {
    await chat.send(bytes(word));
    const next = await chat.messages[Symbol.asyncIterator]().next();
    replies.push(text(next.value));
  }
  chat.end();
  await chat.status;
  assert.deepEqual(replies, ["a", "b", "c"]);

  const count = client.stream("/t.Echo/Count");
  await count.send(Uint8Array.of(200));
  count.end();
  const counted: number[] = [];
  for await (const m of count.messages) counted.push(m[0]);
  assert.equal(counted.length, 200);
  assert.equal(counted[199], 199);

  const sum = client.stream("/t.Echo/Sum");
  for (let i = 1; i <= 10; i++) await sum.send(Uint8Array.of(i));
  sum.end();
  for await (const m of sum.messages) assert.equal(m[0], 55);
  await sum.status;
  await client.close();
  await s.stop();
});

test("GrpcClient and GrpcServer carry 4 MB messages both ways and in parallel", async () => {
  const s = await startServer(echoService);
  const client = await s.connect();
  const big = Uint8Array.from({ length: 4 << 20 }, (_, i) => (i * 31) & 0xff);
  const started = performance.now();
  const replies = await Promise.all([1, 2, 3].map(() => client.unary("/t.Echo/Echo", big)));
  const elapsed = performance.now() - started;
  for (const reply of replies) {
    assert.ok(reply.length === big.length && reply.every((b, i) => b === big[i]));
  }
  assert.ok(elapsed < 5000, `3 x 4 MB echo took ${elapsed} ms`);
  await client.close();
  await s.stop();
});

test("GrpcServer enforces maxMessageBytes with RESOURCE_EXHAUSTED", async () => {
  const s = await startServer(echoService, { maxMessageBytes: 1000 });
  const client = await s.connect();
  assert.equal((await client.unary("/t.Echo/Echo", new Uint8Array(1000))).length, 1000);
  await assert.rejects(
    client.unary("/t.Echo/Echo", new Uint8Array(1001)),
    (e: GrpcError) => e.code === Status.RESOURCE_EXHAUSTED,
  );
  assert.equal((await client.unary("/t.Echo/Echo", Uint8Array.of(1))).length, 1);
  await client.close();
  await s.stop();
});

test("deadlines end calls with DEADLINE_EXCEEDED on both sides", async () => {
  let serverSignal: AbortSignal | undefined;
  let serverDeadline: unknown;
  const s = await startServer((server) => {
    server.addUnary("/t.S/Slow", async (_request, ctx) => {
      serverSignal = ctx.signal;
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
      serverDeadline = ctx.signal.reason;
      return Uint8Array.of(1);
    });
  });
  const client = await s.connect();
  const started = performance.now();
  await assert.rejects(
    client.unary("/t.S/Slow", Uint8Array.of(1), { timeoutMs: 150 }),
    (e: GrpcError) => e.code === Status.DEADLINE_EXCEEDED,
  );
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 140 && elapsed < 1000, `took ${elapsed} ms`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(serverSignal?.aborted, true);
  assert.ok(serverDeadline instanceof GrpcError);
  // The server's own timer and the client's RST_STREAM race: either ends the handler.
  const serverCodes: number[] = [Status.DEADLINE_EXCEEDED, Status.CANCELLED];
  assert.ok(serverCodes.includes((serverDeadline as GrpcError).code));
  await assert.rejects(
    client.unary("/t.Echo/Echo", Uint8Array.of(1), { timeoutMs: 0 }),
    (e: GrpcError) => e.code === Status.DEADLINE_EXCEEDED,
  );
  await client.close();
  await s.stop();
});

test("cancelling a call aborts the server handler's signal", async () => {
  let aborted!: () => void;
  const handlerAborted = new Promise<void>((resolve) => aborted = resolve);
  const s = await startServer((server) => {
    echoService(server);
    server.addStream("/t.S/Forever", async (call) => {
      call.ctx.signal.addEventListener("abort", aborted);
      for await (const _ of call.messages) { /* until cancelled */ }
    });
  });
  const client = await s.connect();
  const abort = new AbortController();
  const call = client.stream("/t.S/Forever", { signal: abort.signal });
  await call.send(Uint8Array.of(1));
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(call.status, (e: GrpcError) => e.code === Status.CANCELLED);
  await handlerAborted;
  // The connection itself is unaffected.
  assert.deepEqual([...await client.unary("/t.Echo/Echo", Uint8Array.of(2))], [2]);
  await client.close();
  await s.stop();
});
