/**
 * A gRPC client on our HTTP/2 layer over `node:tls`: one connection, many concurrent calls, unary
 * and streaming. Used to call the host back through the go-plugin broker.
 *
 * @module
 */
import * as tls from "node:tls";
import * as net from "node:net";
import { H2Connection } from "./connection.ts";
import { ErrorCode } from "./frames.ts";
import type { HeaderField } from "./hpack.ts";
import {
  decodeGrpcMessage,
  encodeMessage,
  formatTimeout,
  headerValue,
  MessageDecoder,
  metadataFields,
} from "./grpc_framing.ts";
import { AsyncQueue } from "./_async_queue.ts";
import { type CallOptions, GrpcError, Status, type StatusCode } from "./types.ts";
import type { Address, TlsMaterial } from "./server.ts";

/** A streaming call as the client sees it. */
export interface ClientStreamCall {
  /** Messages from the server. Iteration throws GrpcError when the call ends with a non-OK status. */
  messages: AsyncIterable<Uint8Array>;
  /** Sends one message. */
  send(message: Uint8Array): Promise<void>;
  /** Half-closes our side. */
  end(): void;
  /** Cancels the call. */
  cancel(): void;
  /** Resolves on OK, rejects with GrpcError otherwise. */
  status: Promise<void>;
}

/** A gRPC client connection with mutual TLS. */
export class GrpcClient {
  #conn: H2Connection;
  #authority: string;

  private constructor(conn: H2Connection, authority: string) {
    this.#conn = conn;
    this.#authority = authority;
    this.closed = conn.closed;
  }

  /** Resolves when the connection is gone (our close, the peer's GOAWAY or a socket error). */
  readonly closed: Promise<void>;

  /**
   * Connects with mutual TLS and ALPN h2.
   *
   * @param address Unix socket path or TCP host and port.
   * @param options.tls Our key and certificate, and the server certificate we trust.
   * @param options.serverName Name verified in the server certificate (go-plugin uses "localhost").
   * @throws {GrpcError} UNAVAILABLE when the connection or TLS handshake fails.
   */
  static connect(
    address: Address,
    options: { tls: TlsMaterial; serverName?: string; timeoutMs?: number },
  ): Promise<GrpcClient> {
    const serverName = options.serverName ?? "localhost";
    return new Promise((resolve, reject) => {
      const raw = "path" in address
        ? net.connect({ path: address.path })
        : net.connect({ host: address.host, port: address.port });
      const socket = tls.connect({
        socket: raw,
        key: options.tls.key,
        cert: options.tls.cert,
        ca: [options.tls.ca],
        servername: serverName,
        ALPNProtocols: ["h2"],
        minVersion: "TLSv1.2",
        rejectUnauthorized: true,
      });
      const timer = setTimeout(
        () => fail(new Error("connect timed out")),
        options.timeoutMs ?? 10_000,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(
          new GrpcError(Status.UNAVAILABLE, `cannot connect: ${error.message}`, { cause: error }),
        );
      };
      socket.once("error", fail);
      socket.once("secureConnect", () => {
        clearTimeout(timer);
        socket.off("error", fail);
        socket.on("error", () => {});
        if (socket.alpnProtocol !== "h2") return fail(new Error("server did not negotiate h2"));
        const authority = "path" in address ? "localhost" : `${address.host}:${address.port}`;
        resolve(new GrpcClient(new H2Connection(socket, "client"), authority));
      });
    });
  }

  /** Calls a unary method. Rejects with GrpcError on a non-OK status. */
  unary = async (
    method: string,
    request: Uint8Array,
    options: CallOptions = {},
  ): Promise<Uint8Array> => {
    const call = this.stream(method, options);
    const sent = call.send(request);
    call.end();
    let response: Uint8Array | undefined;
    for await (const message of call.messages) {
      if (response !== undefined) {
        call.cancel();
        throw new GrpcError(Status.INTERNAL, "a unary call returned more than one message");
      }
      response = message;
    }
    await sent;
    await call.status;
    if (response === undefined) {
      throw new GrpcError(Status.INTERNAL, "a unary call returned no message");
    }
    return response;
  };

  /** Starts a streaming call. */
  stream(method: string, options: CallOptions = {}): ClientStreamCall {
    const incoming = new AsyncQueue<Uint8Array>();
    let settle!: { resolve: () => void; reject: (e: GrpcError) => void };
    const status = new Promise<void>((resolve, reject) => settle = { resolve, reject });
    status.catch(() => {});
    let done = false;
    // deno-lint-ignore prefer-const -- assigned once the stream exists, read by complete()
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = () => {};
    const complete = (code: StatusCode, message: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (code === Status.OK) {
        incoming.end();
        settle.resolve();
      } else {
        const error = new GrpcError(code, message);
        incoming.fail(error);
        settle.reject(error);
      }
    };
    let stream: ReturnType<H2Connection["openStream"]>;
    try {
      stream = this.#conn.openStream();
    } catch {
      complete(Status.UNAVAILABLE, "connection closed");
      return { messages: incoming, send: () => status, end() {}, cancel() {}, status };
    }
    const decoder = new MessageDecoder(0x7fffffff);
    let sawHeaders = false;
    const onTrailers = (fields: readonly HeaderField[]) => {
      const code = Number(headerValue(fields, "grpc-status") ?? NaN);
      const message = decodeGrpcMessage(headerValue(fields, "grpc-message") ?? "");
      if (!Number.isInteger(code)) {
        const httpStatus = headerValue(fields, ":status");
        return complete(Status.UNKNOWN, `missing grpc-status (HTTP ${httpStatus ?? "?"})`);
      }
      complete(code as StatusCode, message);
    };
    stream.events = {
      onHeaders(fields, endStream) {
        if (!sawHeaders) {
          sawHeaders = true;
          const httpStatus = headerValue(fields, ":status");
          if (httpStatus !== "200") {
            stream.reset(ErrorCode.CANCEL);
            return complete(Status.UNKNOWN, `unexpected HTTP status ${httpStatus}`);
          }
          if (endStream) onTrailers(fields);
          return;
        }
        onTrailers(fields);
      },
      onData(data) {
        try {
          for (const message of decoder.push(data)) incoming.push(message);
        } catch (error) {
          stream.reset(ErrorCode.CANCEL);
          complete((error as GrpcError).code ?? Status.INTERNAL, (error as Error).message);
        }
      },
      onEnd() {
        complete(Status.INTERNAL, "stream ended without a status");
      },
      onReset(code, connectionLost) {
        if (connectionLost) complete(Status.UNAVAILABLE, "connection closed");
        else if (code === ErrorCode.REFUSED_STREAM) complete(Status.UNAVAILABLE, "stream refused");
        else if (code === ErrorCode.CANCEL) {
          complete(Status.CANCELLED, "stream cancelled by the server");
        } else complete(Status.INTERNAL, `stream reset with HTTP/2 error ${code}`);
      },
    };
    timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      stream.reset(ErrorCode.CANCEL);
      complete(Status.DEADLINE_EXCEEDED, "deadline exceeded");
    }, options.timeoutMs);
    onAbort = () => {
      stream.reset(ErrorCode.CANCEL);
      complete(Status.CANCELLED, "call cancelled");
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const headers: HeaderField[] = [
      [":method", "POST"],
      [":scheme", "https"],
      [":path", method],
      [":authority", this.#authority],
      ["content-type", "application/grpc"],
      ["te", "trailers"],
    ];
    if (options.timeoutMs !== undefined) {
      headers.push(["grpc-timeout", formatTimeout(options.timeoutMs)]);
    }
    headers.push(...metadataFields(options.metadata));
    stream.sendHeaders(headers);
    return {
      messages: incoming,
      send: (message) => done ? status : stream.sendData(encodeMessage(message)),
      end: () => {
        if (!done) stream.sendData(new Uint8Array(0), true);
      },
      cancel: () => onAbort(),
      status,
    };
  }

  /** Sends GOAWAY and closes the connection once in-flight calls are done. */
  close(): Promise<void> {
    this.#conn.goaway(ErrorCode.NO_ERROR);
    return this.closed;
  }
}
