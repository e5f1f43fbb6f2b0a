/**
 * One outgoing gRPC call on a client connection: request headers, messages both ways, deadline
 * and cancellation, and the final status from trailers, Trailers-Only, resets or a lost
 * connection.
 *
 * @module
 */
import type { H2Connection } from "./connection.ts";
import { ErrorCode } from "./frames.ts";
import type { HeaderField } from "./hpack.ts";
import {
  decodeGrpcMessage,
  encodeMessage,
  formatTimeout,
  headerValue,
  metadataFields,
  statusFromH2Code,
  statusFromHttp,
} from "./grpc_framing.ts";
import { MessageInbox } from "./message_inbox.ts";
import type { H2Stream, ResetReason } from "./stream.ts";
import { type CallOptions, GrpcError, Status, type StatusCode } from "./types.ts";

/** A streaming call as the client sees it. */
export interface ClientStreamCall {
  /** Messages from the server; iteration throws GrpcError when the call ends with non-OK. */
  messages: AsyncIterable<Uint8Array>;
  /** Sends one message; resolves once written, rejects with GrpcError after the call ended. */
  send(message: Uint8Array): Promise<void>;
  /** Half-closes our side: no more messages. */
  end(): void;
  /** Cancels the call (RST_STREAM CANCEL); the status becomes CANCELLED. */
  cancel(): void;
  /** Resolves on OK, rejects with GrpcError otherwise. */
  status: Promise<void>;
}

/** Where and how a call is made. */
export interface CallTarget {
  /** The :authority header. */
  authority: string;
  /** Largest response message accepted. */
  maxMessageBytes: number;
}

function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {}); // callers may drop it; the outcome also reaches `status`
  return promise;
}

/** Starts a call on `conn`. Never throws: a failure to start shows up in `status`. */
export function startCall(
  conn: H2Connection,
  method: string,
  options: CallOptions & CallTarget,
): ClientCall {
  return new ClientCall(conn, method, options);
}

/** One outgoing call; also offers `sendLast`, the unary shortcut (message + END_STREAM). */
export class ClientCall implements ClientStreamCall {
  /** Messages from the server. */
  readonly messages: AsyncIterable<Uint8Array>;
  /** Resolves on OK, rejects with GrpcError otherwise. */
  readonly status: Promise<void>;
  #stream: H2Stream;
  #inbox: MessageInbox;
  #signal?: AbortSignal;
  #settle!: { resolve: () => void; reject: (error: GrpcError) => void };
  #outcome?: GrpcError | "ok";
  #timer?: ReturnType<typeof setTimeout>;
  #sawHeaders = false;
  #endRequested = false;
  #onAbort = () => this.#fail(Status.CANCELLED, "call cancelled");

  /** @internal Use startCall. */
  constructor(conn: H2Connection, method: string, options: CallOptions & CallTarget) {
    this.#stream = conn.createStream();
    this.#inbox = new MessageInbox(this.#stream, options.maxMessageBytes);
    this.messages = this.#inbox.queue;
    this.status = handled(new Promise((resolve, reject) => this.#settle = { resolve, reject }));
    this.#signal = options.signal;
    this.#stream.events = {
      onHeaders: (fields, endStream) => this.#onHeaders(fields, endStream),
      onData: (data) => this.#onData(data),
      onEnd: () => this.#complete(Status.INTERNAL, "server ended the stream without a status"),
      onReset: (code, reason) => this.#onReset(code, reason),
    };
    this.#start(conn, method, options);
  }

  /** Sends one message. */
  send(message: Uint8Array): Promise<void> {
    return this.#write(message, false);
  }

  /** Sends a message and half-closes in the same DATA frame. */
  sendLast(message: Uint8Array): Promise<void> {
    this.#endRequested = true;
    return this.#write(message, true);
  }

  /** Half-closes our side. */
  end(): void {
    if (this.#outcome !== undefined || this.#endRequested) return;
    this.#endRequested = true;
    handled(this.#stream.sendData(new Uint8Array(0), true));
  }

  /** Cancels the call (bound, so it can be handed out as a callback). */
  readonly cancel = (): void => this.#onAbort();

  #start(conn: H2Connection, method: string, options: CallOptions & CallTarget): void {
    const { timeoutMs } = options;
    if (options.signal?.aborted) return this.#complete(Status.CANCELLED, "call cancelled");
    if (!conn.accepting) return this.#complete(Status.UNAVAILABLE, "connection is closing");
    if (timeoutMs !== undefined && timeoutMs <= 0) {
      return this.#complete(Status.DEADLINE_EXCEEDED, "deadline exceeded");
    }
    options.signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(
        () => this.#fail(Status.DEADLINE_EXCEEDED, "deadline exceeded"),
        timeoutMs,
      );
    }
    this.#stream.sendHeaders(requestHeaders(method, options))
      .catch(() => this.#complete(Status.UNAVAILABLE, "stream not opened"));
  }

  #write(message: Uint8Array, last: boolean): Promise<void> {
    if (this.#outcome !== undefined) return handled(Promise.reject(this.#endedError()));
    return handled(
      this.#stream.sendData(encodeMessage(message), last).catch(() => {
        throw this.#endedError(Status.UNAVAILABLE, "stream closed");
      }),
    );
  }

  #endedError(code: StatusCode = Status.CANCELLED, message = "call already ended"): GrpcError {
    return this.#outcome instanceof GrpcError ? this.#outcome : new GrpcError(code, message);
  }

  #onHeaders(fields: readonly HeaderField[], endStream: boolean): void {
    if (this.#sawHeaders) return this.#onStatus(fields);
    this.#sawHeaders = true;
    const httpStatus = headerValue(fields, ":status");
    const contentType = headerValue(fields, "content-type") ?? "";
    if (httpStatus !== "200") {
      return this.#fail(statusFromHttp(httpStatus), `unexpected HTTP status ${httpStatus}`);
    }
    if (!contentType.startsWith("application/grpc")) {
      return this.#fail(Status.UNKNOWN, `unexpected content-type "${contentType}"`);
    }
    if (endStream) this.#onStatus(fields); // Trailers-Only
  }

  #onStatus(fields: readonly HeaderField[]): void {
    const text = headerValue(fields, "grpc-status");
    const message = decodeGrpcMessage(headerValue(fields, "grpc-message") ?? "");
    if (text === undefined) {
      return this.#complete(Status.INTERNAL, "response ended without grpc-status");
    }
    if (!/^\d+$/.test(text) || Number(text) > 16) {
      return this.#complete(Status.UNKNOWN, message || `status ${text}`);
    }
    this.#complete(Number(text) as StatusCode, message);
  }

  #onData(data: Uint8Array): void {
    try {
      this.#inbox.push(data);
    } catch (error) {
      const e = error instanceof GrpcError ? error : new GrpcError(Status.INTERNAL, String(error));
      this.#fail(e.code, e.message);
    }
  }

  #onReset(code: number, reason: ResetReason): void {
    if (reason === "refused") {
      this.#complete(Status.UNAVAILABLE, "stream refused: connection closing");
    } else if (reason === "connection") this.#complete(Status.UNAVAILABLE, "connection closed");
    else if (reason === "local") this.#complete(Status.INTERNAL, `protocol error (HTTP/2 ${code})`);
    else {this.#complete(
        statusFromH2Code(code),
        `stream reset by the server (HTTP/2 error ${code})`,
      );}
  }

  /** Ends the call from our side: RST_STREAM CANCEL, then the status. */
  #fail(code: StatusCode, message: string): void {
    if (this.#outcome !== undefined) return;
    this.#stream.reset(ErrorCode.CANCEL);
    this.#complete(code, message);
  }

  #complete(code: StatusCode, message: string): void {
    if (this.#outcome !== undefined) return;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this.#onAbort);
    if (code === Status.OK && this.#inbox.partial) {
      [code, message] = [Status.INTERNAL, "stream ended inside a message"];
    }
    // Once the status is known the stream has no further use: if it is still open (we never
    // half-closed, or the server answered early), reset it so it stops counting against the
    // peer's MAX_CONCURRENT_STREAMS. Deferred so a trailer's END_STREAM is seen first.
    queueMicrotask(() => this.#stream.reset(ErrorCode.CANCEL));
    if (code === Status.OK) {
      this.#outcome = "ok";
      this.#inbox.queue.end();
      this.#settle.resolve();
    } else {
      this.#outcome = new GrpcError(code, message);
      this.#inbox.queue.fail(this.#outcome);
      this.#settle.reject(this.#outcome);
    }
  }
}

function requestHeaders(method: string, options: CallOptions & CallTarget): HeaderField[] {
  const headers: HeaderField[] = [
    [":method", "POST"],
    [":scheme", "https"],
    [":path", method],
    [":authority", options.authority],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
  ];
  if (options.timeoutMs !== undefined) {
    headers.push(["grpc-timeout", formatTimeout(options.timeoutMs)]);
  }
  return [...headers, ...metadataFields(options.metadata)];
}
