/**
 * go-plugin's gRPC broker, plugin side (protocol.md §4.1; go-plugin grpc_broker.go). Right after
 * connecting, the host opens `plugin.GRPCBroker/StartStream` and keeps it open for our whole
 * life. For each backend it sets up, it listens on a fresh socket and announces it on that stream
 * as `ConnInfo{service_id, network, address}`; `pb.Backend/Setup` then names the same id as
 * `broker_id`. The announcement may arrive before or after Setup, so we keep unclaimed ones for
 * a few seconds (as go-plugin does) and let a dial wait for its id for as long.
 *
 * @module
 */
import { decode, type Message } from "../sdk/pb/codec.ts";
import { GrpcClient, type ServerStreamCall, type TlsMaterial } from "./transport/mod.ts";
import type { BrokeredConnection } from "./backend_server.ts";

/** One announcement of a host listener. */
type ConnInfo = Message<"plugin.ConnInfo">;

/** go-plugin's wait for connection info, and how long it keeps an unclaimed one. */
export const CONN_INFO_TIMEOUT_MS = 5000;

/** Options of a dial. */
export interface DialOptions {
  /** How long to wait for the host's announcement. @default 5000 */
  timeoutMs?: number;
  /** Gives up waiting or connecting. */
  signal?: AbortSignal;
}

/** The plugin side of the broker: serves StartStream and dials what the host announces. */
export class Broker {
  #tls: TlsMaterial;
  #keepMs: number;
  #pending = new Map<number, { info: ConnInfo; timer: ReturnType<typeof setTimeout> }>();
  #waiters = new Map<number, (info: ConnInfo) => void>();
  #streams = 0;
  #established = false;
  #closing = Promise.withResolvers<void>();
  #closed = false;
  #onStreamEnd: () => void;

  /**
   * @param tls Our key and certificate, and the host certificate we trust.
   * @param options.onStreamEnd Called when the last broker stream ends by the host's doing (it
   *   closed the stream or the connection dropped), not by {@linkcode Broker.close}. The host
   *   holds the stream for as long as it needs us, so this means it is gone.
   * @param options.keepMs How long an unclaimed announcement is kept. @default 5000
   */
  constructor(tls: TlsMaterial, options: { onStreamEnd?: () => void; keepMs?: number } = {}) {
    this.#tls = tls;
    this.#onStreamEnd = options.onStreamEnd ?? (() => {});
    this.#keepMs = options.keepMs ?? CONN_INFO_TIMEOUT_MS;
  }

  /** Whether a broker stream has been opened at least once. */
  get established(): boolean {
    return this.#established;
  }

  /** The StartStream handler: takes announcements until the host ends the stream or we close. */
  readonly startStream = async (call: ServerStreamCall): Promise<void> => {
    this.#streams++;
    this.#established = true;
    const messages = call.messages[Symbol.asyncIterator]();
    try {
      while (!this.#closed) {
        const next = await Promise.race([messages.next(), this.#closing.promise]);
        if (!next || next.done) break;
        this.#announce(decode("plugin.ConnInfo", next.value));
      }
    } catch {
      // The call was cancelled or the connection dropped: the host is gone either way.
    } finally {
      this.#streams--;
      if (this.#streams === 0 && !this.#closed) this.#onStreamEnd();
    }
  };

  /**
   * Waits for the host's announcement of `brokerId` and connects to it with mutual TLS (our
   * certificate as the client certificate, only the host certificate trusted, name localhost).
   *
   * @throws {Error} When no announcement arrives in time ("timeout waiting for connection info
   *   for broker id N", go-plugin's words), the wait is aborted, or the network is unknown.
   * @throws {GrpcError} UNAVAILABLE when the connection or TLS handshake fails.
   */
  async dial(brokerId: number, options: DialOptions = {}): Promise<BrokeredConnection> {
    const info = await this.#connInfo(brokerId, options);
    const client = await GrpcClient.connect(addressOf(info), {
      tls: this.#tls,
      serverName: "localhost",
      timeoutMs: options.timeoutMs ?? CONN_INFO_TIMEOUT_MS,
    });
    return { invoke: client.unary, close: () => client.close({ graceMs: 1000 }) };
  }

  /** Ends open StartStream calls without calling onStreamEnd, and drops what is pending. */
  close(): void {
    this.#closed = true;
    this.#closing.resolve();
    for (const { timer } of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #announce(info: ConnInfo): void {
    // Knocks belong to the multiplexed broker, which hosts use only when we say we support it.
    if (info.knock?.knock) return;
    const waiter = this.#waiters.get(info.service_id);
    if (waiter) {
      this.#waiters.delete(info.service_id);
      waiter(info);
      return;
    }
    if (this.#pending.has(info.service_id)) return; // go-plugin keeps the first one too
    const timer = setTimeout(() => this.#pending.delete(info.service_id), this.#keepMs);
    unref(timer);
    this.#pending.set(info.service_id, { info, timer });
  }

  #connInfo(brokerId: number, options: DialOptions): Promise<ConnInfo> {
    const pending = this.#pending.get(brokerId);
    if (pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(brokerId);
      return Promise.resolve(pending.info);
    }
    const { promise, resolve, reject } = Promise.withResolvers<ConnInfo>();
    const finish = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (this.#waiters.get(brokerId) === onInfo) this.#waiters.delete(brokerId);
    };
    const onInfo = (info: ConnInfo) => {
      finish();
      resolve(info);
    };
    const onAbort = () => {
      finish();
      reject(options.signal!.reason ?? new Error("dial aborted"));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timeout waiting for connection info for broker id ${brokerId}`));
    }, options.timeoutMs ?? CONN_INFO_TIMEOUT_MS);
    if (options.signal?.aborted) onAbort();
    else {
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.set(brokerId, onInfo);
    }
    return promise;
  }
}

/** Lets the process exit with `timer` pending (the types say Node's Timeout; Deno gives a number). */
function unref(timer: ReturnType<typeof setTimeout> | number): void {
  Deno.unrefTimer(Number(timer));
}

/** A ConnInfo's address as the transport wants it: a socket path, or host and port. */
export function addressOf(info: { network: string; address: string }) {
  if (info.network === "unix") return { path: info.address };
  if (info.network === "tcp") {
    const colon = info.address.lastIndexOf(":");
    const host = info.address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
    const port = Number(info.address.slice(colon + 1));
    if (colon > 0 && Number.isInteger(port) && port > 0 && port < 65536) return { host, port };
  }
  throw new Error(
    `Cannot dial the host's broker listener: unknown address ${info.network} "${info.address}"`,
  );
}
