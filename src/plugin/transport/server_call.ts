/**
 * One incoming gRPC call on the server: request validation, the handler run with its context,
 * deadline and cancellation, responses, and the status as trailers (or Trailers-Only).
 *
 * @module
 */
import { ErrorCode } from "./frames.ts";
import type { HeaderField } from "./hpack.ts";
import {
  encodeGrpcMessage,
  encodeMessage,
  headerValue,
  metadataFrom,
  parseTimeout,
} from "./grpc_framing.ts";
import { MessageInbox } from "./message_inbox.ts";
import type { H2Stream } from "./stream.ts";
import {
  type CallContext,
  GrpcError,
  Status,
  type StatusCode,
  type UnaryHandler,
} from "./types.ts";

/** A streaming call as the server handler sees it. */
export interface ServerStreamCall {
  /** Metadata and cancellation. */
  ctx: CallContext;
  /** Messages from the client until it half-closes; throws GrpcError if the call is aborted. */
  messages: AsyncIterable<Uint8Array>;
  /** Sends one message; resolves once written, rejects with GrpcError after the call ended. */
  send(message: Uint8Array): Promise<void>;
}

/** Serves a streaming method; returning ends the call with OK, throwing GrpcError with its status. */
export type StreamHandler = (call: ServerStreamCall) => Promise<void>;

/** A registered method. */
export type Handler = { kind: "unary"; fn: UnaryHandler } | { kind: "stream"; fn: StreamHandler };

const RESPONSE_HEADERS: readonly HeaderField[] = [
  [":status", "200"],
  ["content-type", "application/grpc"],
];

/** Serves one stream the peer opened. Never throws: every outcome becomes a status. */
export function serveCall(
  stream: H2Stream,
  fields: readonly HeaderField[],
  options: { handlers: ReadonlyMap<string, Handler>; maxMessageBytes: number },
): void {
  const path = headerValue(fields, ":path") ?? "";
  if (headerValue(fields, ":method") !== "POST") return httpError(stream, "405");
  if (!(headerValue(fields, "content-type") ?? "").startsWith("application/grpc")) {
    return httpError(stream, "415");
  }
  const handler = options.handlers.get(path);
  if (!handler) return trailersOnly(stream, Status.UNIMPLEMENTED, `unknown method ${path}`);
  const encoding = headerValue(fields, "grpc-encoding");
  if (encoding !== undefined && encoding !== "identity") {
    return trailersOnly(stream, Status.UNIMPLEMENTED, `grpc-encoding ${encoding} not supported`);
  }
  new ServerCall(stream, fields, options.maxMessageBytes).run(handler);
}

/** Sends final headers, then stops the client's sending if it has not ended (RFC 9113 §8.1). */
function respondAndClose(stream: H2Stream, fields: readonly HeaderField[]): void {
  stream.sendHeaders(fields, true).then(() => stream.reset(ErrorCode.NO_ERROR), () => {});
}

/** Answers a request that is not gRPC with a bare HTTP status. */
function httpError(stream: H2Stream, status: string): void {
  respondAndClose(stream, [[":status", status]]);
}

/** Ends a call before any response with a Trailers-Only response. */
function trailersOnly(stream: H2Stream, code: StatusCode, message: string): void {
  respondAndClose(stream, [...RESPONSE_HEADERS, ...statusFields(code, message)]);
}

function statusFields(code: StatusCode, message: string): HeaderField[] {
  const fields: HeaderField[] = [["grpc-status", String(code)]];
  if (message) fields.push(["grpc-message", encodeGrpcMessage(message)]);
  return fields;
}

class ServerCall {
  #stream: H2Stream;
  #inbox: MessageInbox;
  #abort = new AbortController();
  #ctx: CallContext;
  #finished = false;
  #headersSent = false;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(stream: H2Stream, fields: readonly HeaderField[], maxMessageBytes: number) {
    this.#stream = stream;
    this.#inbox = new MessageInbox(stream, maxMessageBytes);
    this.#ctx = { metadata: metadataFrom(fields), signal: this.#abort.signal };
    const timeoutMs = parseTimeout(headerValue(fields, "grpc-timeout"));
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(
        () => this.#cancel(Status.DEADLINE_EXCEEDED, "deadline exceeded"),
        timeoutMs,
      );
    }
    stream.events = {
      onData: (data) => {
        try {
          this.#inbox.push(data);
        } catch (error) {
          const e = error instanceof GrpcError
            ? error
            : new GrpcError(Status.INTERNAL, String(error));
          this.#cancel(e.code, e.message);
        }
      },
      onEnd: () => this.#inbox.end(),
      onReset: () => this.#clientGone(),
    };
  }

  run(handler: Handler): void {
    const send = (message: Uint8Array) => this.#send(message);
    const result = handler.kind === "unary"
      ? this.#unary(handler.fn)
      : (async () => await handler.fn({ ctx: this.#ctx, messages: this.#inbox.queue, send }))();
    result.then(
      () => this.#finish(Status.OK, ""),
      (error) => {
        if (error instanceof GrpcError) return this.#finish(error.code, error.message);
        this.#finish(Status.UNKNOWN, error instanceof Error ? error.message : String(error));
      },
    );
  }

  async #unary(fn: UnaryHandler): Promise<void> {
    const messages = this.#inbox.queue;
    const first = await messages.next();
    if (first.done) throw new GrpcError(Status.INTERNAL, "unary call without a request message");
    if (!(await messages.next()).done) {
      throw new GrpcError(Status.INTERNAL, "unary call with more than one request message");
    }
    const response = await fn(first.value, this.#ctx);
    await this.#send(response);
  }

  #send(message: Uint8Array): Promise<void> {
    if (this.#finished) {
      const closed = Promise.reject(new GrpcError(Status.CANCELLED, "call already ended"));
      closed.catch(() => {}); // the handler may not await it
      return closed;
    }
    if (!this.#headersSent) {
      this.#headersSent = true;
      this.#stream.sendHeaders(RESPONSE_HEADERS);
    }
    const sent = this.#stream.sendData(encodeMessage(message)).catch(() => {
      throw new GrpcError(Status.CANCELLED, "call ended while sending");
    });
    sent.catch(() => {});
    return sent;
  }

  /** Ends the call with a status, unless it already ended. */
  #finish(code: StatusCode, message: string): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    const fields = statusFields(code, message);
    respondAndClose(this.#stream, this.#headersSent ? fields : [...RESPONSE_HEADERS, ...fields]);
  }

  /** Deadline or bad input: answer with the status and abort the handler. */
  #cancel(code: StatusCode, message: string): void {
    this.#finish(code, message);
    this.#abortHandler(new GrpcError(code, message));
  }

  /** The client reset the stream or the connection went: nobody to answer, abort the handler. */
  #clientGone(): void {
    if (this.#finished) return; // the handler is done or was already aborted
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#abortHandler(new GrpcError(Status.CANCELLED, "call cancelled by the client"));
  }

  #abortHandler(error: GrpcError): void {
    this.#inbox.queue.fail(error);
    if (!this.#abort.signal.aborted) this.#abort.abort(error);
  }
}
