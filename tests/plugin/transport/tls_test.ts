/** Mutual TLS as go-plugin's AutoMTLS sets it up, and ALPN h2, seen from outside. */
import assert from "node:assert/strict";
import * as net from "node:net";
import * as tls from "node:tls";
import { GrpcClient, GrpcError, Status } from "../../../src/plugin/transport/mod.ts";
import { testPki, writePki } from "./_certs.ts";
import { echoService, NO_SANITIZERS, startServer } from "./_fixture.ts";

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name, ...NO_SANITIZERS, fn });
}

/** Connects with raw node:tls; returns what happened: bytes received and how it ended. */
function probe(
  path: string,
  options: tls.ConnectionOptions,
): Promise<{ bytes: number; error?: string; alpn: string | false }> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      socket: net.connect({ path }),
      servername: "localhost",
      ...options,
    });
    let bytes = 0;
    let error: string | undefined;
    socket.on("data", (chunk: Uint8Array) => {
      if (bytes === 0) setTimeout(() => socket.destroy(), 50); // got an answer: enough
      bytes += chunk.length;
    });
    socket.on("error", (e) => error = e.message);
    socket.on("secureConnect", () => {
      // Speak first as an HTTP/2 client would; a rejected client never gets SETTINGS back.
      socket.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00");
    });
    socket.on("close", () => resolve({ bytes, error, alpn: socket.alpnProtocol ?? false }));
    setTimeout(() => socket.destroy(), 3000);
  });
}

test("GrpcServer refuses clients without a certificate or with an untrusted one", async () => {
  const pki = await testPki();
  let served = 0;
  const s = await startServer((server) => {
    server.addUnary("/t.Echo/Echo", async (request) => {
      served++;
      return request;
    });
  });
  const path = (s.address as { path: string }).path;
  const anonymous = await probe(path, { ca: pki.server.cert, ALPNProtocols: ["h2"] });
  assert.equal(anonymous.bytes, 0, "no HTTP/2 bytes for a client without a certificate");
  const stranger = await probe(path, {
    ca: pki.server.cert,
    key: pki.stranger.key,
    cert: pki.stranger.cert,
    ALPNProtocols: ["h2"],
  });
  assert.equal(stranger.bytes, 0, "no HTTP/2 bytes for an untrusted certificate");
  // Through our client: depending on the TLS version the refusal surfaces at connect or at the
  // first call; either way as UNAVAILABLE, and the handler never runs.
  const outcome = await GrpcClient.connect(s.address, {
    tls: { key: pki.stranger.key, cert: pki.stranger.cert, ca: pki.server.cert },
  }).then((client) => client.unary("/t.Echo/Echo", Uint8Array.of(1))).catch((e) => e);
  assert.ok(outcome instanceof GrpcError && outcome.code === Status.UNAVAILABLE, String(outcome));
  assert.equal(served, 0);
  // The trusted client still gets through.
  const trusted = await probe(path, {
    ca: pki.server.cert,
    key: pki.client.key,
    cert: pki.client.cert,
    ALPNProtocols: ["h2"],
  });
  assert.ok(trusted.bytes > 0);
  assert.equal(trusted.alpn, "h2");
  await s.stop();
});

test("GrpcClient refuses a server with another certificate or another name", async () => {
  const pki = await testPki();
  const s = await startServer(echoService);
  await assert.rejects(
    GrpcClient.connect(s.address, { tls: { ...pki.clientTls, ca: pki.stranger.cert } }),
    (e: GrpcError) => e.code === Status.UNAVAILABLE && /cannot connect/.test(e.message),
  );
  await assert.rejects(
    GrpcClient.connect(s.address, { tls: pki.clientTls, serverName: "example.com" }),
    (e: GrpcError) => e.code === Status.UNAVAILABLE,
  );
  await s.stop();
});

test("GrpcServer negotiates ALPN h2 with openssl s_client and drops clients without h2", async () => {
  const s = await startServer(echoService);
  const dir = await Deno.makeTempDir();
  const files = await writePki(dir);
  const path = (s.address as { path: string }).path;
  async function sClient(alpn: string): Promise<string> {
    const out = await new Deno.Command("openssl", {
      args: [
        "s_client",
        "-unix",
        path,
        "-alpn",
        alpn,
        "-servername",
        "localhost",
        "-cert",
        files.clientCert,
        "-key",
        files.clientKey,
        "-CAfile",
        files.serverCert,
        "-verify_return_error",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  }
  const h2 = await sClient("h2");
  assert.match(h2, /ALPN protocol: h2/);
  assert.match(h2, /Verify return code: 0 \(ok\)/);
  // A client offering only http/1.1 gets TLS alert 120 (no_application_protocol).
  assert.match(await sClient("http/1.1"), /no application protocol/);
  const pki = await testPki();
  const noAlpn = await probe(path, {
    ca: pki.server.cert,
    key: pki.client.key,
    cert: pki.client.cert,
  });
  assert.equal(noAlpn.bytes, 0, "a client without ALPN h2 gets no HTTP/2");
  await Deno.remove(dir, { recursive: true });
  await s.stop();
});

test("GrpcClient refuses a TLS server that does not negotiate ALPN h2", async () => {
  const pki = await testPki();
  const dir = await Deno.makeTempDir();
  const server = tls.createServer({
    key: pki.server.key,
    cert: pki.server.cert,
    ca: [pki.client.cert],
    requestCert: true,
    ALPNProtocols: ["http/1.1"],
  }, (socket) => socket.on("error", () => {}));
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(`${dir}/http1.sock`, resolve));
  await assert.rejects(
    GrpcClient.connect({ path: `${dir}/http1.sock` }, { tls: pki.clientTls }),
    (e: GrpcError) => e.code === Status.UNAVAILABLE,
  );
  await new Promise((resolve) => server.close(resolve));
  await Deno.remove(dir, { recursive: true });
});
