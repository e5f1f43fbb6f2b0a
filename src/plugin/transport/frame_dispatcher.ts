/**
 * The receiving half of an HTTP/2 connection: validates each frame the peer sends (RFC 9113 §6)
 * and applies it to the connection and its streams. Violations are thrown as H2Error: with a
 * stream id they reset that stream, without one they end the connection.
 *
 * @module
 */
import {
  ErrorCode,
  Flag,
  type Frame,
  framePayload,
  FrameType,
  H2Error,
  MAX_WINDOW,
  readUint32,
  Setting,
} from "./frames.ts";
import { concatBytes } from "./frame_writer.ts";
import { type HeaderField, HpackError } from "./hpack.ts";
import { parseSettings } from "./settings.ts";
import { H2Stream } from "./stream.ts";
import type { H2Connection } from "./connection.ts";

/** A header block being received (HEADERS then CONTINUATION frames). */
interface HeaderBlock {
  streamId: number;
  endStream: boolean;
  parts: Uint8Array[];
  size: number;
}

function protocolError(message: string, streamId?: number): H2Error {
  return new H2Error(ErrorCode.PROTOCOL_ERROR, message, { streamId });
}

/** Applies incoming frames to one connection. */
export class FrameDispatcher {
  /** What the peer may still send on the connection before our next WINDOW_UPDATE. */
  connectionRecvWindow = 0;
  #conn: H2Connection;
  #connectionUnacked = 0;
  #block?: HeaderBlock;
  #sawSettings = false;

  /** @param conn The connection whose state the frames change. */
  constructor(conn: H2Connection) {
    this.#conn = conn;
  }

  /**
   * Handles one frame. A stream error resets that stream only (RFC 9113 §5.4.2).
   *
   * @throws {H2Error} On a connection error.
   */
  dispatch(frame: Frame): void {
    try {
      this.#dispatch(frame);
    } catch (error) {
      if (!(error instanceof H2Error) || error.streamId === undefined) throw error;
      this.#conn.streams.get(error.streamId)?.terminate(error.code, "local");
      this.#conn.writeReset(error.streamId, error.code);
    }
  }

  #dispatch(frame: Frame): void {
    if (!this.#sawSettings) {
      // The peer's preface ends with a SETTINGS frame (RFC 9113 §3.4).
      if (frame.type !== FrameType.SETTINGS || frame.flags & Flag.ACK) {
        throw protocolError("the first frame must be SETTINGS");
      }
      this.#sawSettings = true;
    }
    if (this.#block && frame.type !== FrameType.CONTINUATION) {
      throw protocolError("header block interrupted");
    }
    switch (frame.type) {
      case FrameType.DATA:
        return this.#data(frame);
      case FrameType.HEADERS:
      case FrameType.CONTINUATION:
        return this.#headerFragment(frame);
      case FrameType.PRIORITY:
        if (frame.streamId === 0) throw protocolError("PRIORITY on stream 0");
        if (frame.payload.length !== 5) {
          throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, "PRIORITY length", {
            streamId: frame.streamId,
          });
        }
        return; // we do not prioritise
      case FrameType.RST_STREAM:
        return this.#rstStream(frame);
      case FrameType.SETTINGS:
        return this.#settings(frame);
      case FrameType.PUSH_PROMISE:
        throw protocolError("PUSH_PROMISE is disabled");
      case FrameType.PING:
        return this.#ping(frame);
      case FrameType.GOAWAY:
        return this.#goaway(frame);
      case FrameType.WINDOW_UPDATE:
        return this.#windowUpdate(frame);
      default:
        return; // unknown frame types are ignored (RFC 9113 §5.5)
    }
  }

  /** Whether `id` names a stream that was never opened (by either side). */
  #idle(id: number): boolean {
    const ours = (id % 2 === 1) === (this.#conn.role === "client");
    return ours ? id >= this.#conn.nextStreamId : id > this.#conn.lastPeerStreamId;
  }

  #data(frame: Frame): void {
    const id = frame.streamId;
    if (id === 0) throw protocolError("DATA on stream 0");
    if (this.#idle(id)) throw protocolError("DATA on an idle stream");
    const flowLength = frame.payload.length;
    if (flowLength > this.connectionRecvWindow) {
      throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, "connection window exceeded");
    }
    // The connection window is returned on receipt; the stream window when data is consumed,
    // so one slow stream holds back only itself.
    this.connectionRecvWindow -= flowLength;
    this.#connectionUnacked += flowLength;
    if (this.#connectionUnacked >= this.#conn.local.connectionWindow / 4) {
      this.#conn.writeWindowUpdate(0, this.#connectionUnacked);
      this.connectionRecvWindow += this.#connectionUnacked;
      this.#connectionUnacked = 0;
    }
    const stream = this.#conn.streams.get(id);
    if (!stream) return; // closed or reset by us: ignore (RFC 9113 §5.1)
    const data = framePayload(frame);
    stream.receiveData(data, (frame.flags & Flag.END_STREAM) !== 0, flowLength);
  }

  #headerFragment(frame: Frame): void {
    const id = frame.streamId;
    if (id === 0) throw protocolError("header block on stream 0");
    if (frame.type === FrameType.HEADERS) {
      const fragment = framePayload(frame);
      this.#block = {
        streamId: id,
        endStream: (frame.flags & Flag.END_STREAM) !== 0,
        parts: [fragment],
        size: fragment.length,
      };
    } else {
      if (!this.#block || this.#block.streamId !== id) {
        throw protocolError("unexpected CONTINUATION");
      }
      this.#block.parts.push(frame.payload);
      this.#block.size += frame.payload.length;
    }
    if (this.#block.size > this.#conn.local.maxHeaderListSize) {
      throw new H2Error(ErrorCode.ENHANCE_YOUR_CALM, "header block too large");
    }
    if (!(frame.flags & Flag.END_HEADERS)) return;
    const { endStream, parts, size } = this.#block;
    this.#block = undefined;
    let fields;
    try {
      // Decoded even for streams we forgot, to keep the HPACK tables in step.
      fields = this.#conn.decoder.decode(concatBytes(parts, size));
    } catch (error) {
      if (error instanceof HpackError) {
        throw new H2Error(ErrorCode.COMPRESSION_ERROR, error.message);
      }
      throw error;
    }
    const stream = this.#conn.streams.get(id);
    if (stream) return stream.receiveHeaders(fields, endStream);
    if (!this.#idle(id)) return; // a stream we already closed: ignore
    if (this.#conn.role !== "server" || id % 2 === 0) {
      throw protocolError("headers on a stream the peer may not open");
    }
    this.#conn.lastPeerStreamId = id;
    this.#openPeerStream(id, fields, endStream);
  }

  #openPeerStream(id: number, fields: HeaderField[], endStream: boolean): void {
    const conn = this.#conn;
    let peerStreams = 0;
    for (const open of conn.streams.keys()) if (open % 2 === 1) peerStreams++;
    if (conn.goawaySent || peerStreams >= conn.local.maxConcurrentStreams) {
      conn.writeReset(id, ErrorCode.REFUSED_STREAM);
      return;
    }
    const stream = new H2Stream(id, conn, {
      send: conn.peer.initialWindowSize,
      receive: conn.local.streamWindow,
    });
    conn.streams.set(id, stream);
    stream.markHeadersReceived();
    try {
      conn.options.onStream?.(stream, fields);
    } catch {
      stream.reset(ErrorCode.INTERNAL_ERROR);
      return;
    }
    if (endStream) stream.receiveEnd();
  }

  #rstStream(frame: Frame): void {
    if (frame.payload.length !== 4) {
      throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM length");
    }
    if (frame.streamId === 0) throw protocolError("RST_STREAM on stream 0");
    if (this.#idle(frame.streamId)) throw protocolError("RST_STREAM on an idle stream");
    this.#conn.streams.get(frame.streamId)?.terminate(readUint32(frame.payload, 0), "peer");
  }

  #settings(frame: Frame): void {
    if (frame.streamId !== 0) throw protocolError("SETTINGS on a stream");
    if (frame.flags & Flag.ACK) {
      if (frame.payload.length !== 0) {
        throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
      }
      return;
    }
    const conn = this.#conn;
    for (const [id, value] of parseSettings(frame.payload)) {
      if (id === Setting.HEADER_TABLE_SIZE) {
        conn.peer.headerTableSize = value;
        conn.encoder.setPeerMaxTableSize(value);
      } else if (id === Setting.INITIAL_WINDOW_SIZE) {
        const delta = value - conn.peer.initialWindowSize;
        for (const stream of conn.streams.values()) {
          if (stream.sendWindow + delta > MAX_WINDOW) {
            throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, "stream window overflow");
          }
          stream.sendWindow += delta;
        }
        conn.peer.initialWindowSize = value;
      } else if (id === Setting.MAX_FRAME_SIZE) {
        conn.peer.maxFrameSize = value;
      } else if (id === Setting.MAX_CONCURRENT_STREAMS) {
        conn.peer.maxConcurrentStreams = value;
        conn.wakeOpeners();
      }
    }
    conn.writeFrame(FrameType.SETTINGS, Flag.ACK, 0);
    conn.wakeWindowWaiters();
  }

  #ping(frame: Frame): void {
    if (frame.streamId !== 0) throw protocolError("PING on a stream");
    if (frame.payload.length !== 8) throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, "PING length");
    if (frame.flags & Flag.ACK) this.#conn.pingAcked(frame.payload);
    else this.#conn.writeFrame(FrameType.PING, Flag.ACK, 0, frame.payload.slice());
  }

  #goaway(frame: Frame): void {
    if (frame.streamId !== 0) throw protocolError("GOAWAY on a stream");
    if (frame.payload.length < 8) throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, "GOAWAY length");
    this.#conn.peerGoaway(readUint32(frame.payload, 0) & 0x7fffffff);
  }

  #windowUpdate(frame: Frame): void {
    if (frame.payload.length !== 4) {
      throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE length");
    }
    const increment = readUint32(frame.payload, 0) & 0x7fffffff;
    const id = frame.streamId;
    if (id === 0) {
      if (increment === 0) throw protocolError("WINDOW_UPDATE of 0");
      if (this.#conn.sendWindow + increment > MAX_WINDOW) {
        throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, "connection window overflow");
      }
      this.#conn.sendWindow += increment;
    } else {
      if (this.#idle(id)) throw protocolError("WINDOW_UPDATE on an idle stream");
      if (increment === 0) throw protocolError("WINDOW_UPDATE of 0", id);
      this.#conn.streams.get(id)?.growSendWindow(increment);
    }
    this.#conn.wakeWindowWaiters();
  }
}
