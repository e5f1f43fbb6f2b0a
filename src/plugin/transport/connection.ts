/**
 * One HTTP/2 connection (RFC 9113) over a connected byte stream, client or server role:
 * preface, SETTINGS (acknowledged both ways), PING, flow control in both directions, stream
 * lifecycle, RST_STREAM and GOAWAY. Nothing the peer sends can throw out of here: a connection
 * error ends the connection with GOAWAY and a stream error resets that stream.
 *
 * @module
 */
import {
  CLIENT_PREFACE,
  DEFAULT_WINDOW,
  ErrorCode,
  Flag,
  FrameReader,
  FrameType,
  H2Error,
  MAX_WINDOW,
  uint32Bytes,
} from "./frames.ts";
import type { ByteSocket } from "./frame_writer.ts";
import { FrameWriter } from "./frame_writer.ts";
import { FrameDispatcher } from "./frame_dispatcher.ts";
import { type HeaderField, HpackDecoder, HpackEncoder } from "./hpack.ts";
import {
  defaultPeerSettings,
  LOCAL_SETTINGS,
  type LocalSettings,
  localSettingsPayload,
  type PeerSettings,
} from "./settings.ts";
import { Waiters } from "./_waiters.ts";
import { Pings } from "./_pings.ts";
import { H2Stream, type StreamHost } from "./stream.ts";

/** Options of a connection. */
export interface ConnectionOptions {
  /** Server role: a peer opened a stream with these request headers. */
  onStream?: (stream: H2Stream, fields: HeaderField[]) => void;
  /** Overrides of our settings (tests use small windows). */
  settings?: Partial<LocalSettings>;
}

/** An HTTP/2 connection. */
export class H2Connection implements StreamHost {
  /** Our role. */
  readonly role: "client" | "server";
  /** Resolves once the socket is gone, for whatever reason. */
  readonly closed: Promise<void>;
  /** @internal State shared with the frame dispatcher. */
  readonly local: LocalSettings;
  /** @internal */
  readonly peer: PeerSettings = defaultPeerSettings();
  /** @internal */
  readonly streams = new Map<number, H2Stream>();
  /** @internal */
  readonly decoder: HpackDecoder;
  /** @internal */
  readonly encoder = new HpackEncoder();
  /** @internal Connection send window. */
  sendWindow = DEFAULT_WINDOW;
  /** @internal Highest stream id the peer opened. */
  lastPeerStreamId = 0;
  /** @internal Next id for a stream we open. */
  nextStreamId: number;
  /** @internal Last-stream-id of the peer's GOAWAY, once received. */
  goawayReceived?: number;
  /** @internal Whether we sent GOAWAY. */
  goawaySent = false;
  /** @internal */
  readonly options: ConnectionOptions;
  #socket: ByteSocket;
  #writer: FrameWriter;
  #dispatcher: FrameDispatcher;
  #reader: FrameReader;
  #isClosed = false;
  #resolveClosed!: () => void;
  #windowWaiters = new Waiters();
  #openWaiters = new Waiters();
  #pings = new Pings();
  #destroyTimer?: ReturnType<typeof setTimeout>;

  /**
   * @param socket A connected byte stream (TLS with ALPN h2 in practice).
   * @param role Our role on it.
   */
  constructor(socket: ByteSocket, role: "client" | "server", options: ConnectionOptions = {}) {
    this.#socket = socket;
    this.role = role;
    this.options = options;
    this.local = { ...LOCAL_SETTINGS, ...options.settings };
    this.decoder = new HpackDecoder(4096, { maxListBytes: this.local.maxHeaderListSize });
    this.nextStreamId = role === "client" ? 1 : 2;
    this.#reader = new FrameReader(this.local.maxFrameSize, { preface: role === "server" });
    this.#writer = new FrameWriter(socket, () => this.#onSocketGone());
    this.#dispatcher = new FrameDispatcher(this);
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    socket.on("data", (chunk) => this.#onBytes(chunk));
    socket.on("error", () => this.#onSocketGone());
    socket.on("end", () => this.#onSocketGone());
    socket.on("close", () => this.#onSocketGone());
    if (role === "client") this.#writer.raw(CLIENT_PREFACE);
    this.#writer.frame(FrameType.SETTINGS, 0, 0, localSettingsPayload(this.local, role));
    this.writeWindowUpdate(0, this.local.connectionWindow - DEFAULT_WINDOW);
    this.#dispatcher.connectionRecvWindow = this.local.connectionWindow;
  }

  /** Whether new streams may be opened on this connection. */
  get accepting(): boolean {
    return !this.#isClosed && this.goawayReceived === undefined && !this.goawaySent;
  }

  /** Whether the socket is gone. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Creates a stream we will open (client role); its id is assigned by its first headers. */
  createStream(): H2Stream {
    return new H2Stream(0, this, {
      send: this.peer.initialWindowSize,
      receive: this.local.streamWindow,
    });
  }

  /** Sends PING; resolves with the round-trip time in ms (rejects if the connection ends). */
  ping(): Promise<number> {
    if (this.#isClosed) return Promise.reject(new Error("connection closed"));
    const { payload, rtt } = this.#pings.start();
    this.#writer.frame(FrameType.PING, 0, 0, payload);
    return rtt;
  }

  /**
   * Sends GOAWAY once. Streams the peer opened up to now may finish; the socket closes when the
   * last stream is done, or at once with `immediate`.
   */
  goaway(code: number = ErrorCode.NO_ERROR, options: { immediate?: boolean; debug?: string } = {}) {
    if (!this.goawaySent && !this.#isClosed) {
      this.goawaySent = true;
      const debug = new TextEncoder().encode(options.debug ?? "");
      const payload = new Uint8Array(8 + debug.length);
      payload.set(uint32Bytes(this.lastPeerStreamId, code));
      payload.set(debug, 8);
      this.#writer.frame(FrameType.GOAWAY, 0, 0, payload);
      this.wakeOpeners(); // they see `accepting` false and refuse themselves
    }
    if (options.immediate || this.streams.size === 0) this.#shutdownSocket();
  }

  /** Closes the socket now (after writing what is queued); open streams end as lost. */
  destroy(): void {
    this.#writer.flush();
    this.#onSocketGone();
  }

  // ---- StreamHost ---------------------------------------------------------------------------

  /** @internal */
  async openStream(stream: H2Stream): Promise<void> {
    while (this.accepting && this.streams.size >= this.peer.maxConcurrentStreams) {
      await this.#openWaiters.wait();
    }
    if (stream.done) {
      this.#openWaiters.wakeOne(); // pass the free slot on to the next waiting stream
      throw new H2Error(ErrorCode.CANCEL, "stream cancelled before it opened");
    }
    if (!this.accepting || this.nextStreamId > MAX_WINDOW) {
      // Never sent: the peer did not see it, so the call may be retried on a new connection.
      stream.terminate(ErrorCode.REFUSED_STREAM, "refused");
      throw new H2Error(ErrorCode.REFUSED_STREAM, "connection is closing");
    }
    stream.assignId(this.nextStreamId);
    this.nextStreamId += 2;
    this.streams.set(stream.id, stream);
  }

  /** @internal */
  writeHeaders(streamId: number, fields: readonly HeaderField[], endStream: boolean): void {
    const block = this.encoder.encode(fields);
    const max = this.peer.maxFrameSize;
    // All fragments go out back to back: nothing may come between HEADERS and CONTINUATION.
    for (let offset = 0, first = true; first || offset < block.length; first = false) {
      const part = block.subarray(offset, offset + max);
      offset += part.length;
      const flags = (offset >= block.length ? Flag.END_HEADERS : 0) |
        (first && endStream ? Flag.END_STREAM : 0);
      this.#writer.frame(first ? FrameType.HEADERS : FrameType.CONTINUATION, flags, streamId, part);
    }
  }

  /** @internal */
  async writeData(stream: H2Stream, data: Uint8Array, endStream: boolean): Promise<void> {
    let offset = 0;
    do {
      if (this.#isClosed || stream.done) throw new H2Error(ErrorCode.CANCEL, "stream closed");
      if (this.#writer.congested) {
        await this.#writer.waitForDrain();
        continue;
      }
      const left = data.length - offset;
      const size = Math.min(left, stream.sendWindow, this.sendWindow, this.peer.maxFrameSize);
      if (left > 0 && size <= 0) {
        await this.#windowWaiters.wait();
        continue;
      }
      const chunk = data.subarray(offset, offset + size);
      offset += size;
      stream.sendWindow -= size;
      this.sendWindow -= size;
      const last = offset >= data.length;
      this.#writer.frame(FrameType.DATA, last && endStream ? Flag.END_STREAM : 0, stream.id, chunk);
    } while (offset < data.length);
  }

  /** @internal */
  writeReset(streamId: number, code: number): void {
    this.#writer.frame(FrameType.RST_STREAM, 0, streamId, uint32Bytes(code));
  }

  /** @internal */
  writeWindowUpdate(streamId: number, increment: number): void {
    if (increment > 0) {
      this.#writer.frame(FrameType.WINDOW_UPDATE, 0, streamId, uint32Bytes(increment));
    }
  }

  /** @internal */
  streamClosed(stream: H2Stream): void {
    if (this.streams.get(stream.id) !== stream) return;
    this.streams.delete(stream.id);
    this.wakeWindowWaiters();
    this.#openWaiters.wakeOne();
    if (this.streams.size === 0 && (this.goawaySent || this.goawayReceived !== undefined)) {
      // Draining and done: say goodbye (if we have not) and close.
      this.goaway(ErrorCode.NO_ERROR);
    }
  }

  // ---- used by the frame dispatcher ---------------------------------------------------------

  /** @internal Queues a frame. */
  writeFrame(type: number, flags: number, streamId: number, payload?: Uint8Array): void {
    this.#writer.frame(type, flags, streamId, payload);
  }

  /** @internal Wakes writers waiting for flow-control window. */
  wakeWindowWaiters(): void {
    this.#windowWaiters.wakeAll();
  }

  /** @internal Wakes stream openers after MAX_CONCURRENT_STREAMS grew. */
  wakeOpeners(): void {
    this.#openWaiters.wakeAll();
  }

  /** @internal A PING ACK arrived. */
  pingAcked(payload: Uint8Array): void {
    this.#pings.acked(payload);
  }

  /** @internal The peer sent GOAWAY: refuse our streams above its last id, stop opening. */
  peerGoaway(lastStreamId: number): void {
    this.goawayReceived = Math.min(this.goawayReceived ?? lastStreamId, lastStreamId);
    const ours = this.role === "client" ? 1 : 0;
    for (const stream of [...this.streams.values()]) {
      if (stream.id % 2 === ours && stream.id > this.goawayReceived) {
        stream.terminate(ErrorCode.REFUSED_STREAM, "refused");
      }
    }
    this.wakeOpeners(); // they see `accepting` false and refuse themselves
    if (this.streams.size === 0) this.goaway(ErrorCode.NO_ERROR);
  }

  // ---- internals ----------------------------------------------------------------------------

  #onBytes(chunk: Uint8Array): void {
    if (this.#isClosed) return;
    try {
      for (const frame of this.#reader.push(chunk)) {
        if (this.#isClosed) return;
        this.#dispatcher.dispatch(frame);
      }
    } catch (error) {
      this.#connectionError(error);
    }
  }

  #connectionError(error: unknown): void {
    const h2 = error instanceof H2Error ? error : undefined;
    const code = h2?.code ?? ErrorCode.INTERNAL_ERROR;
    this.goaway(code, { immediate: true, debug: h2?.message ?? "internal error" });
  }

  /** Flushes, ends our side and destroys the socket if the peer does not close it soon. */
  #shutdownSocket(): void {
    if (this.#isClosed) return;
    this.#writer.flush();
    try {
      this.#socket.end();
    } catch { /* already gone */ }
    this.#destroyTimer ??= setTimeout(() => this.destroy(), 1000);
    // Streams cannot continue without a socket; report them lost now.
    this.#endStreams();
  }

  #endStreams(): void {
    for (const stream of [...this.streams.values()]) {
      stream.terminate(ErrorCode.CANCEL, "connection");
    }
    this.streams.clear();
    this.#writer.close();
    this.wakeWindowWaiters();
    this.wakeOpeners(); // they see `accepting` false and refuse themselves
  }

  #onSocketGone(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    clearTimeout(this.#destroyTimer);
    this.#endStreams();
    this.#pings.failAll();
    try {
      this.#socket.destroy();
    } catch { /* already gone */ }
    this.#resolveClosed();
  }
}
