/**
 * The host's pb.Storage, called back over the brokered connection, as a logical Storage.
 *
 * Storage failures arrive in the reply's `err` text with gRPC status OK (protocol.md §4.4); they
 * are thrown as StorageError with the host's text unchanged, since core matches substrings of it
 * (a standby's "cannot write to readonly storage" makes core forward the request to the active
 * node). A non-OK gRPC status (transport trouble, or "missing storage implementation" when called
 * during Setup) rejects with the transport's GrpcError.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import type { Storage, StorageEntry } from "../logical.ts";
import type { CallOptions, UnaryInvoker } from "../../plugin/transport/types.ts";
import { decode, encode } from "./codec.ts";

/** Options of a {@linkcode StorageClient}. */
export interface StorageClientOptions {
  /**
   * The `snapshot_id` metadata of the request being served (Vault Enterprise reads from a loaded
   * snapshot, protocol.md §3.9), echoed on every storage call as the Go SDK does.
   */
  snapshotId?: string;
  /** Cancels the calls, e.g. when the host cancels the request being served. */
  signal?: AbortSignal;
}

/**
 * Storage served by the host through `invoke`.
 *
 * @example
 * ```ts ignore
 * const storage = new StorageClient(connection.invoke, { signal: ctx.signal });
 * await storage.put({ key: "config", value: new TextEncoder().encode("{}") });
 * ```
 */
export class StorageClient implements Storage {
  #invoke: UnaryInvoker;
  #callOptions: CallOptions;

  /**
   * @param invoke Calls a method on the host's brokered server.
   * @param options Per-request metadata and cancellation.
   */
  constructor(invoke: UnaryInvoker, options: StorageClientOptions = {}) {
    this.#invoke = invoke;
    this.#callOptions = {
      metadata: options.snapshotId ? { snapshot_id: [options.snapshotId] } : undefined,
      signal: options.signal,
    };
  }

  /**
   * Keys directly below `prefix`, relative to it; sub-folders end with "/".
   *
   * @throws {StorageError} with the host's text when the host's storage fails.
   */
  async list(prefix: string): Promise<string[]> {
    const reply = decode(
      "pb.StorageListReply",
      await this.#call("/pb.Storage/List", encode("pb.StorageListArgs", { prefix })),
    );
    throwIfFailed(reply.err);
    return reply.keys;
  }

  /**
   * The entry at `key`, or `undefined` when there is none.
   *
   * @throws {StorageError} with the host's text when the host's storage fails.
   */
  async get(key: string): Promise<StorageEntry | undefined> {
    const reply = decode(
      "pb.StorageGetReply",
      await this.#call("/pb.Storage/Get", encode("pb.StorageGetArgs", { key })),
    );
    throwIfFailed(reply.err);
    if (!reply.entry) return undefined;
    return { key: reply.entry.key, value: reply.entry.value, sealWrap: reply.entry.seal_wrap };
  }

  /**
   * Writes an entry.
   *
   * @throws {StorageError} with the host's text, e.g. "cannot write to readonly storage".
   */
  async put(entry: StorageEntry): Promise<void> {
    const args = encode("pb.StoragePutArgs", {
      entry: { key: entry.key, value: entry.value, seal_wrap: entry.sealWrap ?? false },
    });
    throwIfFailed(decode("pb.StoragePutReply", await this.#call("/pb.Storage/Put", args)).err);
  }

  /**
   * Deletes `key`; deleting a missing key is not an error.
   *
   * @throws {StorageError} with the host's text when the host's storage fails.
   */
  async delete(key: string): Promise<void> {
    const args = encode("pb.StorageDeleteArgs", { key });
    throwIfFailed(
      decode("pb.StorageDeleteReply", await this.#call("/pb.Storage/Delete", args)).err,
    );
  }

  #call(method: string, request: Uint8Array): Promise<Uint8Array> {
    return this.#invoke(method, request, this.#callOptions);
  }
}

function throwIfFailed(err: string): void {
  if (err) throw new StorageError(err);
}
