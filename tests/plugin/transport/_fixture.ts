/** A GrpcServer on a fresh unix socket with the test PKI, and clients for it. */
import {
  type Address,
  GrpcClient,
  GrpcServer,
  type StreamHandler,
} from "../../../src/plugin/transport/mod.ts";
import { testPki } from "./_certs.ts";

/** Deno's sanitizers cannot follow sockets closed by the peer; tests check closing explicitly. */
export const NO_SANITIZERS = { sanitizeOps: false, sanitizeResources: false } as const;

/** A running test server. */
export interface TestServer {
  /** The server. */
  server: GrpcServer;
  /** Where it listens. */
  address: Address;
  /** Connects a client with the trusted client certificate. */
  connect(): Promise<GrpcClient>;
  /** Closes the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a server after `setup` registered its methods. */
export async function startServer(
  setup: (server: GrpcServer) => void,
  options: { maxMessageBytes?: number; tcp?: boolean } = {},
): Promise<TestServer> {
  const pki = await testPki();
  const dir = await Deno.makeTempDir({ prefix: "transport-" });
  const server = new GrpcServer({ tls: pki.serverTls, maxMessageBytes: options.maxMessageBytes });
  setup(server);
  const address = await server.listen(
    options.tcp ? { host: "127.0.0.1", port: 0 } : { path: `${dir}/grpc.sock` },
  );
  return {
    server,
    address,
    connect: () => GrpcClient.connect(address, { tls: pki.clientTls }),
    async stop() {
      await server.close({ graceMs: 200 });
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Echo service: Echo (unary), Chat (bidi echo), Count (server streaming n messages). */
export function echoService(server: GrpcServer): void {
  server.addUnary("/t.Echo/Echo", async (request) => request);
  server.addStream("/t.Echo/Chat", chat);
  server.addStream("/t.Echo/Count", async (call) => {
    for await (const request of call.messages) {
      for (let i = 0; i < request[0]; i++) await call.send(Uint8Array.of(i));
    }
  });
}

const chat: StreamHandler = async (call) => {
  for await (const message of call.messages) await call.send(message);
};

/** Bytes of a string. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** String of bytes. */
export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}
