/**
 * The host's pb.SystemView, called back over the brokered connection, as a logical SystemView.
 * Durations arrive as int64 nanoseconds and leave as whole seconds.
 *
 * @module
 */
import type { Entity, Group, PluginEnvironment, SystemView } from "../logical.ts";
import type { UnaryInvoker } from "../../plugin/transport/types.ts";
import { decode, encode } from "./codec.ts";
import { entityFromPb, groupFromPb, pluginEnvFromPb } from "./identity.ts";
import { nanosToSeconds } from "./time.ts";

const EMPTY = encode("pb.Empty", {});

/**
 * SystemView served by the host through `invoke`. Errors the host reports in a reply's `err`
 * field are thrown as `Error`s with the host's text; a non-OK gRPC status (e.g. "missing system
 * view implementation" during Setup) rejects with the transport's GrpcError.
 */
export class SystemViewClient implements SystemView {
  #invoke: UnaryInvoker;

  /** @param invoke Calls a method on the host's brokered server. */
  constructor(invoke: UnaryInvoker) {
    this.#invoke = invoke;
  }

  /** The mount's default lease TTL in seconds. */
  async defaultLeaseTtlSeconds(): Promise<number> {
    const reply = await this.#invoke("/pb.SystemView/DefaultLeaseTTL", EMPTY);
    return nanosToSeconds(decode("pb.TTLReply", reply).TTL);
  }

  /** The mount's maximum lease TTL in seconds. */
  async maxLeaseTtlSeconds(): Promise<number> {
    const reply = await this.#invoke("/pb.SystemView/MaxLeaseTTL", EMPTY);
    return nanosToSeconds(decode("pb.TTLReply", reply).TTL);
  }

  /** Whether the mount is being unmounted. */
  async tainted(): Promise<boolean> {
    return decode("pb.TaintedReply", await this.#invoke("/pb.SystemView/Tainted", EMPTY)).tainted;
  }

  /** Replication state bit set (0 outside Enterprise). */
  async replicationState(): Promise<number> {
    const reply = await this.#invoke("/pb.SystemView/ReplicationState", EMPTY);
    return decode("pb.ReplicationStateReply", reply).state;
  }

  /** Whether the mount is local (not replicated). */
  async localMount(): Promise<boolean> {
    const reply = await this.#invoke("/pb.SystemView/LocalMount", EMPTY);
    return decode("pb.LocalMountReply", reply).local;
  }

  /**
   * The identity entity with this id, or `undefined` when the host has none.
   *
   * @throws {Error} with the host's text when the lookup fails.
   */
  async entityInfo(entityId: string): Promise<Entity | undefined> {
    const args = encode("pb.EntityInfoArgs", { entity_id: entityId });
    const reply = decode(
      "pb.EntityInfoReply",
      await this.#invoke("/pb.SystemView/EntityInfo", args),
    );
    throwIfFailed(reply.err);
    return reply.entity ? entityFromPb(reply.entity) : undefined;
  }

  /**
   * The groups the entity belongs to.
   *
   * @throws {Error} with the host's text when the lookup fails.
   */
  async groupsForEntity(entityId: string): Promise<Group[]> {
    const args = encode("pb.EntityInfoArgs", { entity_id: entityId });
    const reply = decode(
      "pb.GroupsForEntityReply",
      await this.#invoke("/pb.SystemView/GroupsForEntity", args),
    );
    throwIfFailed(reply.err);
    return reply.groups.map(groupFromPb);
  }

  /**
   * The host's version.
   *
   * @throws {Error} with the host's text when the host cannot tell.
   */
  async pluginEnv(): Promise<PluginEnvironment> {
    const reply = decode(
      "pb.PluginEnvReply",
      await this.#invoke("/pb.SystemView/PluginEnv", EMPTY),
    );
    throwIfFailed(reply.err);
    return pluginEnvFromPb(reply.plugin_environment);
  }
}

function throwIfFailed(err: string): void {
  if (err) throw new Error(err);
}
