/**
 * A gRPC server on our HTTP/2 layer over `node:tls` with mutual TLS (go-plugin's AutoMTLS: the
 * peer must present exactly the certificate we trust) on a unix socket or TCP.
 *
 * @module
 */
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import { H2Connection } from "./connection.ts";
import { ErrorCode } from "./frames.ts";
import type { HeaderField } from "./hpack.ts";
import type { H2Stream } from "./stream.ts";
import {
  encodeGrpcMessage,
  encodeMessage,
  headerValue,
  MessageDecoder,
  metadataFrom,
  parseTimeout,
} from "./grpc_framing.ts";
import { AsyncQueue } from "./_async_queue.ts";
import {
  type CallContext,
  GrpcError,
  Status,
  type StatusCode,
  type UnaryHandler,
} from "./types.ts";

/** PEM key material for mutual TLS. */
export interface TlsMaterial {
  /** Our private key (PEM). */
  key: string;
  /** Our certificate (PEM). */
  cert: string;
  /** The only certificate we trust from the peer (PEM). */
  ca: string;
}

/** Where to listen or connect. */
export type Address = { path: string } | { host: string; port: number };

/** A streaming call as the server handler sees it. */
export interface ServerStreamCall {
  /** Metadata and cancellation. */
  ctx: CallContext;
  /** Messages from the client, until it half-closes. */
  messages: AsyncIterable<Uint8Array>;
  /** Sends one message to the client. */
  send(message: Uint8Array): Promise<void>;
}

/** Serves a streaming method; returning ends the call with OK, throwing GrpcError with its status. */
export type StreamHandler = (call: ServerStreamCall) => Promise<void>;

type Handler = { kind: "unary"; fn: UnaryHandler } | { kind: "stream"; fn: StreamHandler };

const RESPONSE_HEADERS: HeaderField[] = [[":status", "200"], ["content-type", "application/grpc"]];

/** A gRPC server with mutual TLS. */
export class GrpcServer {
  #tls: TlsMaterial;
  #maxMessageBytes: number;
  #handlers = new Map<string, Handler>();
  #server?: tls.Server;
  #connections = new Set<H2Connection>();

  /**
   * @param options.tls Our key and certificate, and the peer certificate we require.
   * @param options.maxMessageBytes Largest request message accepted (default 2 GiB - 1, as hosts allow).
   */
  constructor(options: { tls: TlsMaterial; maxMessageBytes?: number }) {
    this.#tls = options.tls;
    this.#maxMessageBytes = options.maxMessageBytes ?? 0x7fffffff;
  }

  /** Registers a unary method, e.g. "/pb.Backend/HandleRequest". */
  addUnary(method: string, handler: UnaryHandler): void {
    this.#handlers.set(method, { kind: "unary", fn: handler });
  }

  /** Registers a streaming method (client, server or bidirectional streaming). */
  addStream(method: string, handler: StreamHandler): void {
    this.#handlers.set(method, { kind: "stream", fn: handler });
  }

  /** Starts listening; resolves with the bound address (the real port when port 0 was asked). */
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
    server.on("tlsClientError", () => {/* a refused client: nothing to do */});
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      const done = () => {
        server.off("error", reject);
        if ("path" in address) resolve(address);
        else {
          const info = server.address() as AddressInfo;
          resolve({ host: address.host, port: info.port });
        }
      };
      if ("path" in address) server.listen(address.path, done);
      else server.listen(address.port, address.host, done);
    });
  }

  /** Stops accepting, sends GOAWAY, lets calls finish for up to `graceMs`, then closes everything. */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    const stopped = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : undefined;
    for (const conn of this.#connections) conn.goaway(ErrorCode.NO_ERROR);
    const allClosed = Promise.all([...this.#connections].map((c) => c.closed));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      allClosed,
      new Promise((resolve) => timer = setTimeout(resolve, options.graceMs ?? 2000)),
    ]);
    clearTimeout(timer);
    for (const conn of this.#connections) conn.destroy();
    await stopped;
  }

  #accept(socket: tls.TLSSocket): void {
    socket.on("error", () => {});
    if (socket.alpnProtocol !== "h2") {
      socket.destroy();
      return;
    }
    const conn = new H2Connection(socket, "server", {
      onStream: (stream, headers, endStream) => this.#onStream(stream, headers, endStream),
    });
    this.#connections.add(conn);
    conn.closed.then(() => this.#connections.delete(conn));
  }

  #onStream(stream: H2Stream, headers: HeaderField[], endStream: boolean): void {
    const path = headerValue(headers, ":path") ?? "";
    const contentType = headerValue(headers, "content-type") ?? "";
    if (headerValue(headers, ":method") !== "POST" || !contentType.startsWith("application/grpc")) {
      stream.sendHeaders([[":status", "415"]], true);
      return;
    }
    const handler = this.#handlers.get(path);
    if (!handler) {
      finish(stream, Status.UNIMPLEMENTED, `unknown method ${path}`, false);
      return;
    }
    const abort = new AbortController();
    const ctx: CallContext = { metadata: metadataFrom(headers), signal: abort.signal };
    const timeout = parseTimeout(headerValue(headers, "grpc-timeout") ?? "");
    const incoming = new AsyncQueue<Uint8Array>();
    const decoder = new MessageDecoder(this.#maxMessageBytes);
    let finished = false;
    let headersSent = false;
    const end = (code: StatusCode, message: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      finish(stream, code, message, headersSent);
      if (!abort.signal.aborted) abort.abort();
    };
    const timer = timeout === undefined ? undefined : setTimeout(
      () => end(Status.DEADLINE_EXCEEDED, "deadline exceeded"),
      timeout,
    );
    stream.events = {
      onData(data) {
        try {
          for (const message of decoder.push(data)) incoming.push(message);
        } catch (error) {
          const e = error as GrpcError;
          end(e.code ?? Status.INTERNAL, e.message);
        }
      },
      onEnd() {
        incoming.end();
      },
      onReset() {
        finished = true;
        clearTimeout(timer);
        incoming.fail(new GrpcError(Status.CANCELLED, "call cancelled by the client"));
        if (!abort.signal.aborted) abort.abort();
      },
    };
    if (endStream) incoming.end();

    const send = async (message: Uint8Array) => {
      if (finished) throw new GrpcError(Status.CANCELLED, "call already finished");
      if (!headersSent) {
        headersSent = true;
        stream.sendHeaders(RESPONSE_HEADERS);
      }
      await stream.sendData(encodeMessage(message));
    };
    const run = handler.kind === "unary"
      ? (async () => {
        const first = await incoming.next();
        const extra = first.done ? undefined : await incoming.next();
        if (first.done || (extra && !extra.done)) {
          throw new GrpcError(Status.INTERNAL, "a unary call needs exactly one request message");
        }
        const response = await handler.fn(first.value, ctx);
        await send(response);
      })()
      : handler.fn({ ctx, messages: incoming, send });
    run.then(
      () => end(Status.OK, ""),
      (error) => {
        const e = error instanceof GrpcError
          ? error
          : new GrpcError(Status.UNKNOWN, error instanceof Error ? error.message : String(error));
        end(e.code, e.message);
      },
    );
  }
}

/** Ends a call with trailers (or a Trailers-Only response when no headers were sent yet). */
function finish(stream: H2Stream, code: StatusCode, message: string, headersSent: boolean): void {
  const trailers: HeaderField[] = [["grpc-status", String(code)]];
  if (message) trailers.push(["grpc-message", encodeGrpcMessage(message)]);
  stream.sendHeaders(headersSent ? trailers : [...RESPONSE_HEADERS, ...trailers], true);
}
