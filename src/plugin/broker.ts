/**
 * go-plugin's gRPC broker, plugin side (protocol.md §4.1): the host announces a listener per
 * broker id on the StartStream stream; we keep each announcement for a few seconds until the
 * backend's Setup asks for it, then dial it with mutual TLS.
 *
 * @module
 */
import { decode } from "../sdk/pb/codec.ts";
import { GrpcClient, type ServerStreamCall, type TlsMaterial } from "./transport/mod.ts";
import type { BrokeredConnection } from "./backend_server.ts";

interface ConnInfo {
  service_id: number;
  network: string;
  address: string;
}

/** How long an announcement is kept, and how long dial() waits for one (go-plugin uses 5 s). */
const CONN_INFO_TIMEOUT_MS = 5000;

/** The plugin side of the broker. */
export class Broker {
  #tls: TlsMaterial;
  #pending = new Map<number, { info: ConnInfo; expires: number }>();
  #waiters = new Map<number, (info: ConnInfo) => void>();
  #streams = 0;
  #onStreamEnd: () => void;

  /**
   * @param tls Our key and certificate, and the host certificate we trust.
   * @param options.onStreamEnd Called when an established broker stream ends (the host went away).
   */
  constructor(tls: TlsMaterial, options: { onStreamEnd?: () => void } = {}) {
    this.#tls = tls;
    this.#onStreamEnd = options.onStreamEnd ?? (() => {});
  }

  /** The StartStream handler: reads ConnInfo announcements until the host closes the stream. */
  startStream = async (call: ServerStreamCall): Promise<void> => {
    this.#streams++;
    try {
      for await (const message of call.messages) {
        const info = decode<ConnInfo>("plugin.ConnInfo", message);
        const waiter = this.#waiters.get(info.service_id);
        if (waiter) {
          this.#waiters.delete(info.service_id);
          waiter(info);
        } else {
          this.#pending.set(info.service_id, { info, expires: Date.now() + CONN_INFO_TIMEOUT_MS });
        }
      }
    } finally {
      this.#streams--;
      if (this.#streams === 0) this.#onStreamEnd();
    }
  };

  /** Waits for the announcement of `brokerId` and connects to it. */
  async dial(brokerId: number): Promise<BrokeredConnection> {
    const info = await this.#connInfo(brokerId);
    const address = info.network === "unix" ? { path: info.address } : {
      host: info.address.slice(0, info.address.lastIndexOf(":")),
      port: Number(info.address.slice(info.address.lastIndexOf(":") + 1)),
    };
    const client = await GrpcClient.connect(address, { tls: this.#tls });
    return { invoke: client.unary, close: () => client.close() };
  }

  #connInfo(brokerId: number): Promise<ConnInfo> {
    const now = Date.now();
    for (const [id, entry] of this.#pending) if (entry.expires < now) this.#pending.delete(id);
    const pending = this.#pending.get(brokerId);
    if (pending) {
      this.#pending.delete(brokerId);
      return Promise.resolve(pending.info);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(brokerId);
        reject(new Error(`timeout waiting for connection info for broker id ${brokerId}`));
      }, CONN_INFO_TIMEOUT_MS);
      this.#waiters.set(brokerId, (info) => {
        clearTimeout(timer);
        resolve(info);
      });
    });
  }
}
