/**
 * Our transport against independent peers: @grpc/grpc-js on Node in both roles (each closing the
 * connection with GOAWAY after 1000 calls), curl --http2 and openssl s_client.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { GrpcClient, type GrpcServer } from "../../../src/plugin/transport/mod.ts";
import { certs, startServer } from "./_fixture.ts";

const PEER = fileURLToPath(new URL("../../fixtures/grpc_js_peer.cjs", import.meta.url));
const opts = { sanitizeOps: false, sanitizeResources: false };

async function writeCerts(dir: string) {
  const pair = await certs();
  const files = {
    serverCert: `${dir}/server.pem`,
    serverKey: `${dir}/server.key`,
    clientCert: `${dir}/client.pem`,
    clientKey: `${dir}/client.key`,
  };
  await Deno.writeTextFile(files.serverCert, pair.server.cert);
  await Deno.writeTextFile(files.serverKey, pair.server.key);
  await Deno.writeTextFile(files.clientCert, pair.client.cert);
  await Deno.writeTextFile(files.clientKey, pair.client.key);
  return files;
}

function echo(server: GrpcServer) {
  server.addUnary("/t.Echo/Echo", async (req) => req);
  server.addStream("/t.Echo/Chat", async (call) => {
    for await (const m of call.messages) await call.send(m);
  });
}

Deno.test({
  name: "a grpc-js client on Node does 1000 calls and a stream, closes, and our server lives on",
  ...opts,
  async fn() {
    const s = await startServer(echo);
    const dir = await Deno.makeTempDir();
    try {
      const f = await writeCerts(dir);
      const socket = (s.address as { path: string }).path;
      const out = await new Deno.Command("node", {
        args: [PEER, "client", socket, f.clientCert, f.clientKey, f.serverCert, "1000"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.match(text, /^ok 1000 stream 0,1,2,3,4/m, text);
      const client = await s.connect();
      assert.deepEqual([...await client.unary("/t.Echo/Echo", Uint8Array.of(9))], [9]);
      await client.close();
    } finally {
      await s.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "our client survives a grpc-js server on Node that shuts down (GOAWAY) after 1000 calls",
  ...opts,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const f = await writeCerts(dir);
      const socket = `${dir}/node.sock`;
      const peer = new Deno.Command("node", {
        args: [PEER, "server", socket, f.serverCert, f.serverKey, f.clientCert, "1000"],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const reader = peer.stdout.pipeThrough(new TextDecoderStream()).getReader();
      assert.match((await reader.read()).value ?? "", /listening/);
      const pair = await certs();
      const client = await GrpcClient.connect({ path: socket }, {
        tls: { key: pair.client.key, cert: pair.client.cert, ca: pair.server.cert },
      });
      for (let i = 0; i < 1000; i += 100) {
        const replies = await Promise.all(
          Array.from(
            { length: 100 },
            (_, j) => client.unary("/t.Echo/Echo", Uint8Array.of((i + j) % 256)),
          ),
        );
        replies.forEach((r, j) => assert.equal(r[0], (i + j) % 256));
      }
      await client.closed;
      assert.equal((await peer.status).code, 0);
      reader.releaseLock();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "curl --http2 gets a gRPC answer with trailers from our server",
  ...opts,
  async fn() {
    const s = await startServer(echo);
    const dir = await Deno.makeTempDir();
    try {
      const f = await writeCerts(dir);
      await Deno.writeFile(`${dir}/msg`, Uint8Array.of(0, 0, 0, 0, 3, 0x61, 0x62, 0x63));
      const out = await new Deno.Command("curl", {
        args: [
          "-sv",
          "--http2",
          "--unix-socket",
          (s.address as { path: string }).path,
          "--cert",
          f.clientCert,
          "--key",
          f.clientKey,
          "--cacert",
          f.serverCert,
          "-H",
          "content-type: application/grpc",
          "-H",
          "te: trailers",
          "--data-binary",
          `@${dir}/msg`,
          "-o",
          `${dir}/reply`,
          "https://localhost/t.Echo/Echo",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(out.stderr);
      assert.match(log, /ALPN: server accepted h2/);
      assert.match(log, /< HTTP\/2 200/);
      assert.match(log, /grpc-status: 0/);
      assert.deepEqual(
        await Deno.readFile(`${dir}/reply`),
        Uint8Array.of(0, 0, 0, 0, 3, 0x61, 0x62, 0x63),
      );
    } finally {
      await s.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
