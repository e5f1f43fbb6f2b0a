/**
 * Our gRPC transport: HTTP/2 (RFC 9113) and HPACK (RFC 7541) written in TypeScript on
 * `node:tls`, client and server, with go-plugin's mutual TLS. It exists because Deno 2.9.6's
 * `node:http2` aborts the process when a peer sends GOAWAY (denoland/deno#36788), which grpc-go
 * does whenever Vault or OpenBao closes a connection. See docs/transport.md.
 *
 * @example
 * ```ts ignore
 * const server = new GrpcServer({ tls: { key, cert, ca: hostCert } });
 * server.addUnary("/grpc.health.v1.Health/Check", async () => encodedReply);
 * await server.listen({ path: "/tmp/plugin.sock" });
 *
 * const client = await GrpcClient.connect({ path: brokerSocket }, { tls: { key, cert, ca: hostCert } });
 * const reply = await client.unary("/pb.Storage/Get", encodedRequest, { timeoutMs: 5000 });
 * await client.close();
 * ```
 *
 * @module
 */
export { type Address, DEFAULT_MAX_MESSAGE_BYTES, GrpcServer, type TlsMaterial } from "./server.ts";
export type { ServerStreamCall, StreamHandler } from "./server_call.ts";
export { type ConnectOptions, GrpcClient } from "./client.ts";
export type { ClientStreamCall } from "./client_call.ts";
export * from "./types.ts";
