/**
 * Our transport against independent peers: @grpc/grpc-js on Node (not Deno) as client and as
 * server, each closing connections with GOAWAY after 1000 calls, and curl --http2.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { GrpcClient, GrpcError, Status } from "../../../src/plugin/transport/mod.ts";
import { testPki, writePki } from "./_certs.ts";
import { echoService, NO_SANITIZERS, startServer } from "./_fixture.ts";

const PEER = fileURLToPath(new URL("../../fixtures/grpc_js_peer.cjs", import.meta.url));
const decoder = new TextDecoder();

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name, ...NO_SANITIZERS, fn });
}

async function withFiles(fn: (files: Record<string, string>, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "transport-conformance-" });
  try {
    await fn(await writePki(dir), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

test("grpc-js clients on Node make 1000 calls and a bidi stream, close, and our server serves on", async () => {
  const s = await startServer(echoService);
  await withFiles(async (f) => {
    const path = (s.address as { path: string }).path;
    for (const inFlight of ["50", "1"]) {
      const out = await new Deno.Command("node", {
        args: [PEER, "client", path, f.clientCert, f.clientKey, f.serverCert, "1000", "2"],
        env: { PEER_IN_FLIGHT: inFlight },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
      assert.equal(text.match(/^ok 1000 stream 0,1,2,3,4$/gm)?.length, 2, text);
    }
    const client = await s.connect();
    assert.deepEqual([...await client.unary("/t.Echo/Echo", Uint8Array.of(9))], [9]);
    await client.close();
  });
  await s.stop();
});

test("our client talks to a grpc-js server on Node and survives its shutdown GOAWAY", async () => {
  const pki = await testPki();
  await withFiles(async (f, dir) => {
    const path = `${dir}/node.sock`;
    const peer = new Deno.Command("node", {
      args: [PEER, "server", path, f.serverCert, f.serverKey, f.clientCert, "1000"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines = peer.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assert.match((await lines.read()).value ?? "", /listening/);
    const client = await GrpcClient.connect({ path }, { tls: pki.clientTls });
    const count = client.stream("/t.Echo/Count");
    await count.send(Uint8Array.of(100));
    count.end();
    let counted = 0;
    for await (const m of count.messages) assert.equal(m[0], counted++);
    assert.equal(counted, 100);
    const chat = client.stream("/t.Echo/Chat");
    await chat.send(Uint8Array.of(1, 2, 3));
    chat.end();
    for await (const m of chat.messages) assert.deepEqual([...m], [1, 2, 3]);
    const big = new Uint8Array(3 << 20).fill(5);
    assert.equal((await client.unary("/t.Echo/Echo", big)).length, big.length);
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, async (_, j) => {
        const reply = await client.unary("/t.Echo/Echo", Uint8Array.of(i + j & 0xff));
        assert.equal(reply[0], i + j & 0xff);
      }));
    }
    // The 1000th Echo makes grpc-js shut down: GOAWAY, then the socket closes.
    await client.closed;
    assert.equal(client.accepting, false);
    await assert.rejects(
      client.unary("/t.Echo/Echo", Uint8Array.of(1)),
      (e: GrpcError) => e.code === Status.UNAVAILABLE,
    );
    assert.equal((await peer.status).code, 0);
    await lines.cancel();
    await peer.stderr.cancel();
  });
});

test("curl --http2 gets answers and statuses from our server", async () => {
  const s = await startServer(echoService);
  await withFiles(async (f, dir) => {
    const path = (s.address as { path: string }).path;
    await Deno.writeFile(`${dir}/request.bin`, Uint8Array.of(0, 0, 0, 0, 3, 0x61, 0x62, 0x63));
    async function curl(method: string): Promise<{ body: Uint8Array; log: string }> {
      const out = await new Deno.Command("curl", {
        args: [
          ...["-sS", "-v", "--http2", "--unix-socket", path, "--cacert", f.serverCert],
          ...["--cert", f.clientCert, "--key", f.clientKey],
          ...["-H", "content-type: application/grpc", "-H", "te: trailers"],
          ...["--data-binary", `@${dir}/request.bin`, `https://localhost${method}`],
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      return { body: out.stdout, log: decoder.decode(out.stderr) };
    }
    const echo = await curl("/t.Echo/Echo");
    assert.match(echo.log, /ALPN: server accepted h2/);
    assert.match(echo.log, /< HTTP\/2 200/);
    assert.match(echo.log, /< grpc-status: 0/);
    assert.deepEqual([...echo.body], [0, 0, 0, 0, 3, 0x61, 0x62, 0x63]);
    const missing = await curl("/t.Echo/Nope");
    assert.match(missing.log, /< grpc-status: 12/);
    assert.match(missing.log, /< grpc-message: unknown method \/t.Echo\/Nope/);
    assert.equal(missing.body.length, 0);
  });
  await s.stop();
});
