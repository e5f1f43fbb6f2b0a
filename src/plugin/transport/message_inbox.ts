/**
 * The receiving side of one call: DATA bytes in, whole gRPC messages out to one consumer, with
 * backpressure: the stream window is given back as bytes arrive, except while the consumer
 * lags behind by more than a few megabytes.
 *
 * @module
 */
import { AsyncQueue } from "./_async_queue.ts";
import { MessageDecoder } from "./grpc_framing.ts";
import type { H2Stream } from "./stream.ts";
import { GrpcError, Status } from "./types.ts";

/** Unconsumed message bytes above which we stop returning window to the peer. */
const HIGH_WATER = 4 << 20;

/** Messages of one call, in order. */
export class MessageInbox {
  /** The messages, for the consumer. */
  readonly queue: AsyncQueue<Uint8Array>;
  #stream: H2Stream;
  #decoder: MessageDecoder;
  #queuedBytes = 0;
  #withheld = 0;

  /**
   * @param stream The stream whose receive window we manage.
   * @param maxMessageBytes Largest message accepted.
   */
  constructor(stream: H2Stream, maxMessageBytes: number) {
    this.#stream = stream;
    this.#decoder = new MessageDecoder(maxMessageBytes);
    this.queue = new AsyncQueue({ onTake: (message) => this.#taken(message.length + 5) });
  }

  /** Whether bytes of an incomplete message are held. */
  get partial(): boolean {
    return this.#decoder.buffered > 0;
  }

  /** Adds DATA bytes. @throws {GrpcError} For a malformed or oversized message. */
  push(data: Uint8Array): void {
    if (this.#queuedBytes > HIGH_WATER) this.#withheld += data.length;
    else this.#stream.release(data.length);
    for (const message of this.#decoder.push(data)) {
      this.#queuedBytes += message.length + 5;
      this.queue.push(message);
    }
  }

  /** The peer half-closed: ends the queue (an error if a message was cut short). */
  end(): void {
    if (this.#decoder.buffered > 0) {
      this.queue.fail(new GrpcError(Status.INTERNAL, "stream ended inside a message"));
    } else {
      this.queue.end();
    }
  }

  #taken(bytes: number): void {
    this.#queuedBytes -= bytes;
    if (this.#queuedBytes <= HIGH_WATER && this.#withheld > 0) {
      this.#stream.release(this.#withheld);
      this.#withheld = 0;
    }
  }
}
