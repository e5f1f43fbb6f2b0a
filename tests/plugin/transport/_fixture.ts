/** A server/client pair on a unix socket with fresh mutual-TLS certificates. */
import { type Address, GrpcClient, GrpcServer } from "../../../src/plugin/transport/mod.ts";
import { makeTestCert, type TestCert } from "../../_certs.ts";

/** Certificates of both sides. */
export interface Pair {
  server: TestCert;
  client: TestCert;
}

let cached: Promise<Pair> | undefined;

/** Server and client certificates (made once per test run). */
export function certs(): Promise<Pair> {
  cached ??= Promise.all([makeTestCert(), makeTestCert({ curve: "P-521" })]).then((
    [server, client],
  ) => ({
    server,
    client,
  }));
  return cached;
}

/** Starts a server with `setup` on a fresh socket; returns it, its address and a connect(). */
export async function startServer(setup: (server: GrpcServer) => void) {
  const pair = await certs();
  const dir = await Deno.makeTempDir({ prefix: "grpc-" });
  const server = new GrpcServer({
    tls: { key: pair.server.key, cert: pair.server.cert, ca: pair.client.cert },
  });
  setup(server);
  const address: Address = await server.listen({ path: `${dir}/s.sock` });
  return {
    server,
    address,
    connect: () =>
      GrpcClient.connect(address, {
        tls: { key: pair.client.key, cert: pair.client.cert, ca: pair.server.cert },
      }),
    async stop() {
      await server.close({ graceMs: 200 });
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
