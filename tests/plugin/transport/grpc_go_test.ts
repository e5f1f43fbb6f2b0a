/**
 * Our transport against grpc-go, the gRPC stack of Vault and OpenBao, with go-plugin's TLS
 * settings (tests/fixtures/grpc_go_peer). Needs a Go toolchain and the google.golang.org/grpc
 * module (from the Go module cache or proxy); ignored when `go` is missing.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { GrpcClient, GrpcError, Status } from "../../../src/plugin/transport/mod.ts";
import { testPki, writePki } from "./_certs.ts";
import { echoService, NO_SANITIZERS, startServer } from "./_fixture.ts";

const PEER_SOURCE = fileURLToPath(new URL("../../fixtures/grpc_go_peer", import.meta.url));
const decoder = new TextDecoder();

function hasGo(): boolean {
  try {
    return new Deno.Command("go", { args: ["version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const ignore = !hasGo();
let built: Promise<string> | undefined;

/** Builds the peer once per run (the Go build cache makes rebuilds fast). */
function peerBinary(): Promise<string> {
  built ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "grpc-go-peer-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    const out = `${dir}/grpc_go_peer`;
    const build = await new Deno.Command("go", {
      args: ["build", "-o", out, "."],
      cwd: PEER_SOURCE,
      env: { GOFLAGS: "-mod=mod" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!build.success) throw new Error(`go build failed: ${decoder.decode(build.stderr)}`);
    return out;
  })();
  return built;
}

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name, ignore, ...NO_SANITIZERS, fn });
}

test("grpc-go clients make 1000 calls and a bidi stream, Close() with GOAWAY, our server serves on", async () => {
  const peer = await peerBinary();
  const s = await startServer(echoService);
  const dir = await Deno.makeTempDir();
  const f = await writePki(dir);
  const path = (s.address as { path: string }).path;
  for (let connection = 0; connection < 2; connection++) {
    const out = await new Deno.Command(peer, {
      args: ["client", path, f.clientCert, f.clientKey, f.serverCert, "1000"],
    }).output();
    const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
    assert.match(text, /^ok 1000 stream 0,1,2,3,4$/m, text);
  }
  const client = await s.connect();
  assert.deepEqual([...await client.unary("/t.Echo/Echo", Uint8Array.of(3))], [3]);
  await client.close();
  await s.stop();
  await Deno.remove(dir, { recursive: true });
});

test("our client talks to a grpc-go server and survives its GracefulStop GOAWAY", async () => {
  const peer = await peerBinary();
  const pki = await testPki();
  const dir = await Deno.makeTempDir();
  const f = await writePki(dir);
  const path = `${dir}/go.sock`;
  const server = new Deno.Command(peer, {
    args: ["server", path, f.serverCert, f.serverKey, f.clientCert, "1000"],
    stdout: "piped",
  }).spawn();
  const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  assert.match((await lines.read()).value ?? "", /listening/);
  const client = await GrpcClient.connect({ path }, { tls: pki.clientTls });
  const chat = client.stream("/t.Echo/Chat", { metadata: { "x-trace": ["1"] } });
  for (const n of [1, 2, 3]) await chat.send(Uint8Array.of(n));
  chat.end();
  const echoed: number[] = [];
  for await (const m of chat.messages) echoed.push(m[0]);
  assert.deepEqual(echoed, [1, 2, 3]);
  const big = Uint8Array.from({ length: 3 << 20 }, (_, i) => i & 0xff);
  const reply = await client.unary("/t.Echo/Echo", big);
  assert.ok(reply.length === big.length && reply.every((b, i) => b === big[i]));
  for (let i = 0; i < 999; i += 37) {
    await Promise.all(Array.from({ length: Math.min(37, 999 - i) }, async (_, j) => {
      assert.equal((await client.unary("/t.Echo/Echo", Uint8Array.of(j)))[0], j);
    }));
  }
  // Call 1000 (the 3 MB one counted too) triggers GracefulStop: GOAWAY, then close.
  await client.closed;
  assert.equal(client.accepting, false);
  await assert.rejects(
    client.unary("/t.Echo/Echo", Uint8Array.of(1)),
    (e: GrpcError) => e.code === Status.UNAVAILABLE,
  );
  assert.equal((await server.status).code, 0);
  await lines.cancel();
  await Deno.remove(dir, { recursive: true });
});
