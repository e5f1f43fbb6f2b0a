import assert from "node:assert/strict";
import { GrpcClient, GrpcError, Status } from "../../../src/plugin/transport/mod.ts";
import { certs, startServer } from "./_fixture.ts";
import { makeTestCert } from "../../_certs.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const opts = { sanitizeOps: false, sanitizeResources: false };

function echoServer(server: import("../../../src/plugin/transport/mod.ts").GrpcServer) {
  server.addUnary("/t.Echo/Echo", async (req, ctx) => {
    const tag = ctx.metadata["x-tag"]?.[0] ?? "";
    return enc.encode(tag + dec.decode(req));
  });
  server.addUnary("/t.Echo/Bytes", async (req) => req);
  server.addUnary("/t.Echo/Fail", async () => {
    throw new GrpcError(Status.NOT_FOUND, "no such thing: ünïcode 100%");
  });
  server.addUnary("/t.Echo/Slow", (_req, ctx) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => resolve(new Uint8Array(0)), 5000);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(t);
        reject(new Error("aborted"));
      });
    }));
  server.addStream("/t.Echo/Chat", async (call) => {
    for await (const message of call.messages) {
      await call.send(enc.encode(`re:${dec.decode(message)}`));
    }
  });
}

Deno.test({
  name: "GrpcServer and GrpcClient round-trip unary calls with metadata",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    const client = await s.connect();
    try {
      const reply = await client.unary("/t.Echo/Echo", enc.encode("hello"), {
        metadata: { "x-tag": ["a:"] },
      });
      assert.equal(dec.decode(reply), "a:hello");
      const empty = await client.unary("/t.Echo/Bytes", new Uint8Array(0));
      assert.equal(empty.length, 0);
    } finally {
      await client.close();
      await s.stop();
    }
  },
});

Deno.test({
  name: "GrpcClient carries 4 MB messages both ways intact",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    const client = await s.connect();
    try {
      const big = crypto.getRandomValues(new Uint8Array(65536)).slice();
      const payload = new Uint8Array(4 * 1024 * 1024);
      for (let i = 0; i < payload.length; i += big.length) {
        payload.set(big.subarray(0, Math.min(big.length, payload.length - i)), i);
      }
      const reply = await client.unary("/t.Echo/Bytes", payload);
      assert.equal(reply.length, payload.length);
      assert.deepEqual(reply, payload);
    } finally {
      await client.close();
      await s.stop();
    }
  },
});

Deno.test({
  name: "GrpcClient reports status codes, percent-decoded messages and UNIMPLEMENTED",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    const client = await s.connect();
    try {
      await assert.rejects(client.unary("/t.Echo/Fail", new Uint8Array(0)), (e: GrpcError) => {
        assert.equal(e.code, Status.NOT_FOUND);
        assert.equal(e.message, "no such thing: ünïcode 100%");
        return true;
      });
      await assert.rejects(
        client.unary("/t.Nope/Nope", new Uint8Array(0)),
        (e: GrpcError) => e.code === Status.UNIMPLEMENTED,
      );
    } finally {
      await client.close();
      await s.stop();
    }
  },
});

Deno.test({
  name: "GrpcClient deadlines fail with DEADLINE_EXCEEDED and cancel the server call",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    const client = await s.connect();
    try {
      const started = Date.now();
      await assert.rejects(
        client.unary("/t.Echo/Slow", new Uint8Array(0), { timeoutMs: 100 }),
        (e: GrpcError) => e.code === Status.DEADLINE_EXCEEDED,
      );
      assert.ok(Date.now() - started < 2000);
      assert.equal(
        dec.decode(await client.unary("/t.Echo/Echo", enc.encode("still fine"))),
        "still fine",
      );
    } finally {
      await client.close();
      await s.stop();
    }
  },
});

Deno.test({
  name: "GrpcClient bidirectional streams deliver messages in order",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    const client = await s.connect();
    try {
      const call = client.stream("/t.Echo/Chat");
      const got: string[] = [];
      const reading = (async () => {
        for await (const m of call.messages) got.push(dec.decode(m));
      })();
      for (let i = 0; i < 50; i++) await call.send(enc.encode(String(i)));
      call.end();
      await reading;
      await call.status;
      assert.deepEqual(got, Array.from({ length: 50 }, (_, i) => `re:${i}`));
    } finally {
      await client.close();
      await s.stop();
    }
  },
});

Deno.test({
  name: "GrpcServer survives clients that close (GOAWAY) after 1000 calls, 10,000 calls in all",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    try {
      let ok = 0;
      for (let round = 0; round < 10; round++) {
        const client = await s.connect();
        const batch = Array.from(
          { length: 1000 },
          (_, i) => client.unary("/t.Echo/Echo", enc.encode(`${round}-${i}`)),
        );
        const replies = await Promise.all(batch);
        replies.forEach((r, i) => assert.equal(dec.decode(r), `${round}-${i}`));
        ok += replies.length;
        await client.close();
      }
      assert.equal(ok, 10_000);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name: "GrpcClient survives a server that sends GOAWAY and closes",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    const client = await s.connect();
    for (let i = 0; i < 1000; i++) await client.unary("/t.Echo/Echo", enc.encode("x"));
    await s.stop();
    await client.closed;
    await assert.rejects(
      client.unary("/t.Echo/Echo", enc.encode("x")),
      (e: GrpcError) => e.code === Status.UNAVAILABLE,
    );
  },
});

Deno.test({
  name: "GrpcServer refuses clients without the trusted certificate",
  ...opts,
  async fn() {
    const s = await startServer(echoServer);
    const pair = await certs();
    const stranger = await makeTestCert();
    try {
      await assert.rejects(
        GrpcClient.connect(s.address, {
          tls: { key: stranger.key, cert: stranger.cert, ca: pair.server.cert },
        })
          .then(async (c) => {
            try {
              await c.unary("/t.Echo/Echo", enc.encode("x"), { timeoutMs: 2000 });
            } finally {
              await c.close();
            }
          }),
        (e: GrpcError) => e.code === Status.UNAVAILABLE,
      );
      const socketPath = (s.address as { path: string }).path;
      const out = await new Deno.Command("openssl", {
        // TLS 1.2 fails in the handshake itself, so openssl reports it before it exits.
        args: [
          "s_client",
          "-unix",
          socketPath,
          "-alpn",
          "h2",
          "-servername",
          "localhost",
          "-tls1_2",
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = dec.decode(out.stdout) + dec.decode(out.stderr);
      assert.match(text, /alert|certificate required|handshake failure/i);
    } finally {
      await s.stop();
    }
  },
});
