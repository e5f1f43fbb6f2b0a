/**
 * 10,000 calls over repeated reconnects: each round ends with a GOAWAY from the client or from a
 * restarting server while calls are in flight. Calls refused by GOAWAY are retried on the next
 * connection; nothing may be lost or served twice.
 */
import assert from "node:assert/strict";
import {
  type Address,
  GrpcClient,
  GrpcError,
  GrpcServer,
  Status,
} from "../../../src/plugin/transport/mod.ts";
import { testPki } from "./_certs.ts";
import { NO_SANITIZERS } from "./_fixture.ts";

const ROUNDS = 10;
const CALLS_PER_ROUND = 1000;

Deno.test({
  name: "GrpcClient and GrpcServer lose no call over 10 GOAWAY reconnects (10,000 calls)",
  ...NO_SANITIZERS,
  async fn() {
    const pki = await testPki();
    const dir = await Deno.makeTempDir({ prefix: "transport-reconnect-" });
    const served = new Map<number, number>();
    let serverIndex = 0;
    async function newServer(): Promise<{ server: GrpcServer; address: Address }> {
      const server = new GrpcServer({ tls: pki.serverTls });
      server.addUnary("/t.Count/Hit", async (request) => {
        const id = new DataView(request.buffer, request.byteOffset).getUint32(0);
        served.set(id, (served.get(id) ?? 0) + 1);
        return request;
      });
      const address = await server.listen({ path: `${dir}/s${serverIndex++}.sock` });
      return { server, address };
    }

    let current = await newServer();
    let client = await GrpcClient.connect(current.address, { tls: pki.clientTls });
    let refusedRetries = 0;
    const failures: unknown[] = [];
    let active = 0;
    const activeAtGoaway: number[] = [];
    async function call(id: number): Promise<void> {
      active++;
      try {
        await callOnce(id);
      } finally {
        active--;
      }
    }
    async function callOnce(id: number): Promise<void> {
      const request = new Uint8Array(4);
      new DataView(request.buffer).setUint32(0, id);
      for (;;) {
        const using = client;
        try {
          const reply = await using.unary("/t.Count/Hit", request, { timeoutMs: 10_000 });
          assert.deepEqual(reply, request);
          return;
        } catch (error) {
          // Only a call the server never processed may fail, and it fails as UNAVAILABLE.
          if (!(error instanceof GrpcError) || error.code !== Status.UNAVAILABLE) throw error;
          refusedRetries++;
          while (client === using) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    }

    for (let round = 0; round < ROUNDS; round++) {
      const base = round * CALLS_PER_ROUND;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        pending.push(call(base + i).catch((error) => void failures.push(error)));
        if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 1));
        if (i === CALLS_PER_ROUND / 2) {
          // Mid-round, with calls in flight: even rounds the client leaves, odd rounds the
          // server restarts on a new socket.
          const old = client;
          activeAtGoaway.push(active);
          if (round % 2 === 0) {
            const closing = old.close();
            client = await GrpcClient.connect(current.address, { tls: pki.clientTls });
            await closing;
          } else {
            const previous = current.server;
            current = await newServer();
            const stopping = previous.close({ graceMs: 5000 });
            client = await GrpcClient.connect(current.address, { tls: pki.clientTls });
            await stopping;
            await old.closed;
          }
        }
      }
      await Promise.all(pending);
    }
    await client.close();
    await current.server.close();
    await Deno.remove(dir, { recursive: true });

    assert.deepEqual(failures, []);
    assert.equal(served.size, ROUNDS * CALLS_PER_ROUND);
    const twice = [...served].filter(([, count]) => count !== 1);
    assert.deepEqual(twice, [], "served more than once");
    // The scenario is real only if calls were in flight at every GOAWAY.
    assert.ok(activeAtGoaway.every((n) => n > 0), `in flight at GOAWAY: ${activeAtGoaway}`);
    console.log(
      `in flight at each GOAWAY: ${activeAtGoaway}; retried after refusal: ${refusedRetries}`,
    );
  },
});
