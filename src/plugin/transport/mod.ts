/**
 * Our gRPC transport: HTTP/2 (RFC 9113) and HPACK (RFC 7541) written in TypeScript on `node:tls`,
 * because Deno's `node:http2` aborts the process when a peer sends GOAWAY (denoland/deno#36788),
 * which grpc-go does whenever Vault or OpenBao closes a connection. See docs/transport.md.
 *
 * @example
 * ```ts ignore
 * const server = new GrpcServer({ tls: { key, cert, ca: hostCert } });
 * server.addUnary("/grpc.health.v1.Health/Check", async () => encodedReply);
 * await server.listen({ path: "/tmp/plugin.sock" });
 * ```
 *
 * @module
 */
export {
  type Address,
  GrpcServer,
  type ServerStreamCall,
  type StreamHandler,
  type TlsMaterial,
} from "./server.ts";
export { type ClientStreamCall, GrpcClient } from "./client.ts";
export * from "./types.ts";
