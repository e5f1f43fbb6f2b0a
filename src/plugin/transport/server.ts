/**
 * A gRPC server on our HTTP/2 layer over `node:tls`, with go-plugin's AutoMTLS: the client must
 * present a certificate that verifies against exactly the one certificate we trust. Listens on a
 * unix socket or TCP.
 *
 * @module
 */
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import { H2Connection } from "./connection.ts";
import { ErrorCode } from "./frames.ts";
import { type Handler, serveCall, type StreamHandler } from "./server_call.ts";
import type { UnaryHandler } from "./types.ts";

/** PEM key material for mutual TLS. */
export interface TlsMaterial {
  /** Our private key (PEM). */
  key: string;
  /** Our certificate (PEM). */
  cert: string;
  /** The only certificate we trust from the peer (PEM). */
  ca: string;
}

/** Where to listen or connect: a unix socket path, or TCP host and port. */
export type Address = { path: string } | { host: string; port: number };

/** Largest message hosts allow (go-plugin raises grpc-go's limits to 2^31 - 1). */
export const DEFAULT_MAX_MESSAGE_BYTES = 0x7fffffff;

/** A gRPC server with mutual TLS. */
export class GrpcServer {
  #tls: TlsMaterial;
  #maxMessageBytes: number;
  #handlers = new Map<string, Handler>();
  #server?: tls.Server;
  #connections = new Set<H2Connection>();

  /**
   * @param options.tls Our key and certificate, and the client certificate we require.
   * @param options.maxMessageBytes Largest request message accepted (default 2^31 - 1); larger
   *   ones end the call with RESOURCE_EXHAUSTED.
   */
  constructor(options: { tls: TlsMaterial; maxMessageBytes?: number }) {
    this.#tls = options.tls;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Registers a unary method by its full path, e.g. "/pb.Backend/HandleRequest". */
  addUnary(method: string, handler: UnaryHandler): void {
    this.#handlers.set(method, { kind: "unary", fn: handler });
  }

  /** Registers a client-, server- or bidirectional-streaming method. */
  addStream(method: string, handler: StreamHandler): void {
    this.#handlers.set(method, { kind: "stream", fn: handler });
  }

  /** Number of open HTTP/2 connections (for tests and diagnostics). */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Starts listening.
   *
   * @returns The bound address: the real port when port 0 was asked.
   * @throws {Error} When the address cannot be bound (e.g. EADDRINUSE).
   */
  listen(address: Address): Promise<Address> {
    const server = tls.createServer({
      key: this.#tls.key,
      cert: this.#tls.cert,
      ca: [this.#tls.ca],
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ["h2"],
      minVersion: "TLSv1.2",
    }, (socket) => this.#accept(socket));
    // A refused or broken handshake concerns that client only.
    server.on("tlsClientError", () => {});
    this.#server = server;
    return new Promise((resolve, reject) => {
      const onListening = () => {
        server.off("error", reject);
        server.on("error", () => {});
        if ("path" in address) return resolve({ path: address.path });
        resolve({ host: address.host, port: (server.address() as AddressInfo).port });
      };
      server.once("error", reject);
      if ("path" in address) server.listen(address.path, onListening);
      else server.listen(address.port, address.host, onListening);
    });
  }

  /**
   * Stops accepting connections, sends GOAWAY on each, lets in-flight calls finish for up to
   * `graceMs` (default 2000), then closes whatever is left.
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    const stopped = new Promise<void>((resolve) =>
      server ? server.close(() => resolve()) : resolve()
    );
    const connections = [...this.#connections];
    for (const conn of connections) conn.goaway(ErrorCode.NO_ERROR);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) =>
      timer = setTimeout(resolve, options.graceMs ?? 2000)
    );
    await Promise.race([Promise.all(connections.map((conn) => conn.closed)), grace]);
    clearTimeout(timer);
    for (const conn of this.#connections) conn.destroy();
    await stopped;
  }

  #accept(socket: tls.TLSSocket): void {
    socket.on("error", () => {});
    if (socket.alpnProtocol !== "h2" || !this.#server) {
      socket.destroy();
      return;
    }
    const conn = new H2Connection(socket, "server", {
      onStream: (stream, fields) =>
        serveCall(stream, fields, {
          handlers: this.#handlers,
          maxMessageBytes: this.#maxMessageBytes,
        }),
    });
    this.#connections.add(conn);
    conn.closed.then(() => this.#connections.delete(conn));
  }
}
