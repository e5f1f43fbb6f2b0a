/**
 * A gRPC client on our HTTP/2 layer over `node:tls`: one connection with mutual TLS, many
 * concurrent calls, unary and streaming. The plugin uses it to call the host back through the
 * go-plugin broker.
 *
 * @module
 */
import * as net from "node:net";
import * as tls from "node:tls";
import { type ClientStreamCall, startCall } from "./client_call.ts";
import { H2Connection } from "./connection.ts";
import { ErrorCode } from "./frames.ts";
import { type Address, DEFAULT_MAX_MESSAGE_BYTES, type TlsMaterial } from "./server.ts";
import { type CallOptions, GrpcError, Status, type UnaryInvoker } from "./types.ts";

/** Options of GrpcClient.connect. */
export interface ConnectOptions {
  /** Our key and certificate, and the one server certificate we trust. */
  tls: TlsMaterial;
  /** Name the server certificate must carry (go-plugin uses "localhost"). @default "localhost" */
  serverName?: string;
  /** Gives up connecting after this long. @default 10000 */
  timeoutMs?: number;
  /** Largest response message accepted. @default 2^31 - 1 */
  maxMessageBytes?: number;
}

/** A gRPC client connection with mutual TLS. */
export class GrpcClient {
  /** Resolves when the connection is gone: our close, the peer's GOAWAY or close, an error. */
  readonly closed: Promise<void>;
  #conn: H2Connection;
  #authority: string;
  #maxMessageBytes: number;

  private constructor(conn: H2Connection, authority: string, maxMessageBytes: number) {
    this.#conn = conn;
    this.#authority = authority;
    this.#maxMessageBytes = maxMessageBytes;
    this.closed = conn.closed;
  }

  /**
   * Connects with mutual TLS and ALPN h2.
   *
   * @example
   * ```ts ignore
   * const client = await GrpcClient.connect({ path: "/tmp/plugin123" }, { tls: { key, cert, ca } });
   * const reply = await client.unary("/pb.Storage/Get", request, { timeoutMs: 5000 });
   * ```
   * @throws {GrpcError} UNAVAILABLE when the connection, the TLS handshake or ALPN fails.
   */
  static connect(address: Address, options: ConnectOptions): Promise<GrpcClient> {
    return new Promise((resolve, reject) => {
      const raw = "path" in address
        ? net.connect({ path: address.path })
        : net.connect({ host: address.host, port: address.port });
      const socket = tls.connect({
        socket: raw,
        key: options.tls.key,
        cert: options.tls.cert,
        ca: [options.tls.ca],
        servername: options.serverName ?? "localhost",
        ALPNProtocols: ["h2"],
        minVersion: "TLSv1.2",
        rejectUnauthorized: true,
      });
      const fail = (reason: string, cause?: unknown) => {
        clearTimeout(timer);
        socket.destroy();
        raw.destroy();
        reject(new GrpcError(Status.UNAVAILABLE, `cannot connect: ${reason}`, { cause }));
      };
      const timer = setTimeout(() => fail("timed out"), options.timeoutMs ?? 10_000);
      const onError = (error: Error) => fail(error.message, error);
      raw.on("error", onError);
      socket.on("error", onError);
      socket.once("secureConnect", () => {
        clearTimeout(timer);
        raw.off("error", onError);
        socket.off("error", onError);
        raw.on("error", () => {});
        socket.on("error", () => {});
        if (socket.alpnProtocol !== "h2") return fail("the server did not negotiate ALPN h2");
        const authority = "path" in address ? "localhost" : `${address.host}:${address.port}`;
        const conn = new H2Connection(socket, "client");
        resolve(
          new GrpcClient(conn, authority, options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES),
        );
      });
    });
  }

  /** Whether new calls can start here (false once either side sent GOAWAY or it closed). */
  get accepting(): boolean {
    return this.#conn.accepting;
  }

  /**
   * Calls a unary method.
   *
   * @throws {GrpcError} With the call's status when it is not OK; UNAVAILABLE when the
   *   connection is closing or lost.
   */
  readonly unary: UnaryInvoker = async (
    method: string,
    request: Uint8Array,
    options: CallOptions = {},
  ): Promise<Uint8Array> => {
    const call = startCall(this.#conn, method, this.#target(options));
    call.sendLast(request);
    let response: Uint8Array | undefined;
    for await (const message of call.messages) {
      if (response !== undefined) {
        call.cancel();
        throw new GrpcError(Status.INTERNAL, "unary call answered with more than one message");
      }
      response = message;
    }
    await call.status;
    if (response === undefined) {
      throw new GrpcError(Status.INTERNAL, "unary call answered without a message");
    }
    return response;
  };

  /** Starts a client-, server- or bidirectional-streaming call. */
  stream(method: string, options: CallOptions = {}): ClientStreamCall {
    return startCall(this.#conn, method, this.#target(options));
  }

  /** Measures one PING round trip in ms. */
  ping(): Promise<number> {
    return this.#conn.ping();
  }

  /**
   * Sends GOAWAY: new calls fail with UNAVAILABLE, calls in flight may finish for up to
   * `graceMs` (default 5000); then the connection closes.
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    this.#conn.goaway(ErrorCode.NO_ERROR);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) =>
      timer = setTimeout(resolve, options.graceMs ?? 5000)
    );
    await Promise.race([this.closed, grace]);
    clearTimeout(timer);
    this.#conn.destroy();
    await this.closed;
  }

  #target(options: CallOptions) {
    return { ...options, authority: this.#authority, maxMessageBytes: this.#maxMessageBytes };
  }
}
