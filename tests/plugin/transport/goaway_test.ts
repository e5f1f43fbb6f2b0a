/**
 * GOAWAY in both roles after many calls on one connection: the condition that makes Deno's
 * node:http2 abort the process (denoland/deno#36788). Here the process must live on.
 */
import assert from "node:assert/strict";
import { GrpcClient, GrpcError, Status } from "../../../src/plugin/transport/mod.ts";
import { testPki } from "./_certs.ts";
import { echoService, NO_SANITIZERS, startServer } from "./_fixture.ts";

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name, ...NO_SANITIZERS, fn });
}

async function calls(client: GrpcClient, count: number, inFlight = 50): Promise<void> {
  for (let i = 0; i < count; i += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, count - i) }, async (_, j) => {
      const reply = await client.unary("/t.Echo/Echo", Uint8Array.of((i + j) & 0xff));
      assert.equal(reply[0], (i + j) & 0xff);
    }));
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("GrpcServer lives on after clients close (GOAWAY) connections that carried 1000+ calls", async () => {
  const s = await startServer(echoService);
  for (let round = 0; round < 3; round++) {
    const client = await s.connect();
    await calls(client, 1200);
    await calls(client, 200, 1); // sequential, as in the crash reproduction
    await client.close();
    await client.closed;
    await until(() => s.server.connectionCount === 0, "the server to drop the connection");
  }
  const last = await s.connect();
  assert.deepEqual([...await last.unary("/t.Echo/Echo", Uint8Array.of(7))], [7]);
  await last.close();
  await s.stop();
});

test("GrpcClient.close lets calls in flight finish and refuses new ones", async () => {
  const s = await startServer((server) => {
    server.addUnary("/t.S/Slow", async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return request;
    });
  });
  const client = await s.connect();
  const inFlight = Array.from(
    { length: 20 },
    (_, i) => client.unary("/t.S/Slow", Uint8Array.of(i)),
  );
  inFlight.forEach((p) => p.catch(() => {})); // awaited below, after other awaits
  await new Promise((resolve) => setTimeout(resolve, 20));
  const closing = client.close();
  await assert.rejects(
    client.unary("/t.S/Slow", Uint8Array.of(1)),
    (e: GrpcError) => e.code === Status.UNAVAILABLE,
  );
  const replies = await Promise.all(inFlight);
  assert.deepEqual(replies.map((r) => r[0]), Array.from({ length: 20 }, (_, i) => i));
  await closing;
  await s.stop();
});

test("GrpcClient lives on after the server's GOAWAY on a connection with 1000+ calls", async () => {
  const s = await startServer((server) => {
    echoService(server);
    server.addUnary("/t.S/Slow", async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return request;
    });
  });
  const client = await s.connect();
  await calls(client, 1200);
  const inFlight = [1, 2, 3].map((n) => client.unary("/t.S/Slow", Uint8Array.of(n)));
  inFlight.forEach((p) => p.catch(() => {})); // awaited below, after other awaits
  await new Promise((resolve) => setTimeout(resolve, 30));
  const stopping = s.stop(); // GOAWAY, then a 200 ms grace
  await until(() => !client.accepting, "the client to see GOAWAY");
  await assert.rejects(
    client.unary("/t.Echo/Echo", Uint8Array.of(1)),
    (e: GrpcError) => e.code === Status.UNAVAILABLE,
  );
  assert.deepEqual((await Promise.all(inFlight)).map((r) => r[0]), [1, 2, 3]);
  await client.closed;
  await stopping;
  // Reconnecting to a fresh server works in the same process.
  const again = await startServer(echoService);
  const next = await again.connect();
  await calls(next, 100);
  await next.close();
  await again.stop();
});

test("GrpcServer.close ends calls that outlive the grace period, aborting their handlers", async () => {
  let aborted = false;
  const s = await startServer((server) => {
    server.addUnary(
      "/t.S/Never",
      (_request, ctx) =>
        new Promise(() => ctx.signal.addEventListener("abort", () => aborted = true)),
    );
  });
  const client = await s.connect();
  const outcome = client.unary("/t.S/Never", Uint8Array.of(1)).catch((e) => e);
  await new Promise((resolve) => setTimeout(resolve, 30));
  await s.stop();
  const error = await outcome;
  assert.ok(error instanceof GrpcError && error.code === Status.UNAVAILABLE, String(error));
  assert.equal(aborted, true);
  await client.closed;
});

test("GrpcClient.connect fails with UNAVAILABLE when nothing listens", async () => {
  const pki = await testPki();
  await assert.rejects(
    GrpcClient.connect({ path: "/nonexistent/grpc.sock" }, { tls: pki.clientTls }),
    (e: GrpcError) => e instanceof GrpcError && e.code === Status.UNAVAILABLE,
  );
});
