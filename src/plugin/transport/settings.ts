/**
 * SETTINGS payloads (RFC 9113 §6.5): encoding ours and validating the peer's.
 *
 * @module
 */
import {
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  ErrorCode,
  H2Error,
  MAX_FRAME_SIZE_LIMIT,
  MAX_WINDOW,
  Setting,
} from "./frames.ts";

/** Receive windows and limits we announce. */
export interface LocalSettings {
  /** SETTINGS_INITIAL_WINDOW_SIZE: per-stream receive window. */
  streamWindow: number;
  /** Connection receive window (raised with WINDOW_UPDATE right after the preface). */
  connectionWindow: number;
  /** SETTINGS_MAX_FRAME_SIZE. */
  maxFrameSize: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS the peer may open (server role). */
  maxConcurrentStreams: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE, also the cap on a header block's encoded size. */
  maxHeaderListSize: number;
}

/** Large windows, so multi-megabyte messages need few round trips. */
export const LOCAL_SETTINGS: LocalSettings = {
  streamWindow: 4 << 20,
  connectionWindow: 16 << 20,
  maxFrameSize: 1 << 18,
  maxConcurrentStreams: 1000,
  maxHeaderListSize: 1 << 20,
};

/** Our SETTINGS payload for a role. */
export function localSettingsPayload(local: LocalSettings, role: "client" | "server"): Uint8Array {
  return encodeSettings([
    [Setting.INITIAL_WINDOW_SIZE, local.streamWindow],
    [Setting.MAX_FRAME_SIZE, local.maxFrameSize],
    [Setting.MAX_HEADER_LIST_SIZE, local.maxHeaderListSize],
    // A client refuses server push; a server bounds the streams a client may open.
    role === "client"
      ? [Setting.ENABLE_PUSH, 0]
      : [Setting.MAX_CONCURRENT_STREAMS, local.maxConcurrentStreams],
  ]);
}

/** The peer's settings as they apply to what we send. */
export interface PeerSettings {
  /** Most the peer's HPACK decoder keeps; bounds our encoder's dynamic table. */
  headerTableSize: number;
  /** Streams we may have open at once. */
  maxConcurrentStreams: number;
  /** Initial send window of each stream. */
  initialWindowSize: number;
  /** Largest frame payload we may send. */
  maxFrameSize: number;
}

/** Settings in force before the peer's first SETTINGS frame arrives. */
export function defaultPeerSettings(): PeerSettings {
  return {
    headerTableSize: 4096,
    maxConcurrentStreams: Number.POSITIVE_INFINITY,
    initialWindowSize: DEFAULT_WINDOW,
    maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  };
}

/** Encodes `[identifier, value]` pairs as a SETTINGS payload. */
export function encodeSettings(settings: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const out = new Uint8Array(settings.length * 6);
  const view = new DataView(out.buffer);
  settings.forEach(([id, value], i) => {
    view.setUint16(i * 6, id);
    view.setUint32(i * 6 + 2, value);
  });
  return out;
}

/**
 * Parses and validates a SETTINGS payload (not an ACK); unknown identifiers are skipped.
 *
 * @throws {H2Error} FRAME_SIZE_ERROR for a length not a multiple of 6, PROTOCOL_ERROR for a bad
 *   ENABLE_PUSH or MAX_FRAME_SIZE, FLOW_CONTROL_ERROR for INITIAL_WINDOW_SIZE above 2^31 - 1.
 */
export function parseSettings(payload: Uint8Array): Array<[number, number]> {
  if (payload.length % 6 !== 0) {
    throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length is not a multiple of 6");
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  const settings: Array<[number, number]> = [];
  for (let offset = 0; offset < payload.length; offset += 6) {
    const id = view.getUint16(offset);
    const value = view.getUint32(offset + 2);
    if (id === Setting.ENABLE_PUSH && value > 1) {
      throw new H2Error(ErrorCode.PROTOCOL_ERROR, "ENABLE_PUSH must be 0 or 1");
    }
    if (id === Setting.INITIAL_WINDOW_SIZE && value > MAX_WINDOW) {
      throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE above 2^31-1");
    }
    if (
      id === Setting.MAX_FRAME_SIZE &&
      (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_FRAME_SIZE_LIMIT)
    ) {
      throw new H2Error(ErrorCode.PROTOCOL_ERROR, "MAX_FRAME_SIZE out of range");
    }
    settings.push([id, value]);
  }
  return settings;
}
